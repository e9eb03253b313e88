"""A seeded synthetic set of residents known to adult social care, housing and rough sleeping services.

The residents are the people the hub's own generator already made (``truth/persons.csv`` and
``truth/person_records.csv``) where those files exist, so the same person appears in H-CLIC, CHAIN,
InForm and now adult social care, with the overlap those sources have; a share of adults also gets
adult social care events (the ASC CLD submission of Lambeth and Westminster). Without those files
(tests, the browser hub, the benchmark) it draws its own people. A few named residents are always
there: the guide and the browser test follow them.

Each source knows a person under its own local id and records them its own way: a typo in a name, first
and last name swapped, a date of birth with day and month swapped, or (outreach) none at all. Which
records are the same resident is left to the hub's matching; ``ResidentsWorld.truth`` (record key ->
resident) is for tests only, and ``resident_id`` on an involvement or address row is that truth too.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

SUPPLIER_ORGS = {"E09000007": "camden", "E09000017": "hillingdon", "E09000022": "lambeth",
                 "E09000033": "westminster", "chain_london": "gla", "provider-a": "provider-a",
                 "provider-b": "provider-b"}
ASC_ORGS = ("lambeth", "westminster")

#: Teams per (organisation, source): code, name, key workers (name, phone).
RESIDENT_TEAMS: dict[tuple[str, str], tuple[str, str, tuple[tuple[str, str], ...]]] = {
    ("lambeth", "asc_cld"): ("LAM-ASC-NORTH", "Lambeth adult social care, North locality",
                             (("Grace Adeyemi", "020 7926 1001"), ("Tom Whitfield", "020 7926 1002"))),
    ("westminster", "asc_cld"): ("WES-ASC-CENTRAL", "Westminster adult social care, Central",
                                 (("Priya Raman", "020 7641 2001"), ("Owen Marsh", "020 7641 2002"))),
    ("lambeth", "hclic"): ("LAM-HOUSING-OPTIONS", "Lambeth housing options",
                           (("Sade Bello", "020 7926 3001"),)),
    ("westminster", "hclic"): ("WES-HOUSING-OPTIONS", "Westminster housing solutions",
                               (("Daniel Reyes", "020 7641 3001"), ("Hannah Cole", "020 7641 3002"))),
    ("camden", "hclic"): ("CAM-HOUSING-OPTIONS", "Camden housing options", (("Ali Demir", "020 7974 3001"),)),
    ("hillingdon", "hclic"): ("HIL-HOUSING-OPTIONS", "Hillingdon housing options",
                              (("Ruth Evans", "01895 253001"),)),
    ("gla", "chain"): ("GLA-OUTREACH-WEST", "Street outreach, West London (CHAIN)",
                       (("Marcus Hill", "020 7983 4001"), ("Leah Novak", "020 7983 4002"))),
    ("provider-a", "inform"): ("PRA-HOSTELS", "Provider A hostels", (("Chris Adams", "020 7000 5001"),)),
    ("provider-b", "inform"): ("PRB-HOSTELS", "Provider B supported housing", (("Jo Patel", "020 7000 6001"),)),
}

FIRST_NAMES = ("Amara", "James", "Fatima", "Oliver", "Aisha", "George", "Mei", "Daniel", "Zainab", "Thomas",
               "Olga", "Kwame", "Sarah", "Mohammed", "Emily", "Tariq", "Grace", "Piotr", "Chloe", "Ibrahim")
LAST_NAMES = ("Smith", "Okafor", "Khan", "Jones", "Nowak", "Patel", "Williams", "Ahmed", "Brown", "Mensah",
              "Taylor", "Ali", "Murphy", "Chen", "Davies", "Hussain", "Evans", "Kowalski", "Osei", "Wright")
STREETS = ("Brixton Road", "Harrow Road", "Kennington Lane", "Edgware Road", "Stockwell Park Road",
           "Marylebone High Street", "Coldharbour Lane", "Queensway", "Wandsworth Road", "Lisson Grove")
POSTCODE_AREAS = {"lambeth": ("SW9", "SE11", "SW2"), "westminster": ("W2", "NW8", "W9"),
                  "camden": ("NW1", "NW5"), "hillingdon": ("UB8", "UB3"), "gla": ("W2", "SW9"),
                  "provider-a": ("SE1",), "provider-b": ("W10",)}


@dataclass(frozen=True, slots=True)
class Resident:
    resident_id: str
    first_name: str
    last_name: str
    date_of_birth: date


@dataclass(frozen=True, slots=True)
class InvolvementRow:
    resident_id: str
    source: str
    supplier: str
    record_key: str
    team_code: str
    team_name: str
    key_worker_name: str
    key_worker_phone: str
    key_worker_email: str
    start_date: date
    end_date: date | None
    #: ``source:supplier:local id`` of the source's record of the person (``SourcePerson.key``)
    person_key: str = ""


@dataclass(frozen=True, slots=True)
class AddressRow:
    resident_id: str
    source: str
    supplier: str
    address: str
    postcode: str
    date_from: date
    date_to: date | None
    person_key: str = ""


@dataclass(frozen=True, slots=True)
class SourcePerson:
    """A person as one source records them, under the source's own local id."""

    source: str
    supplier: str
    local_id: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    postcode: str = ""

    @property
    def key(self) -> str:
        return f"{self.source}:{self.supplier}:{self.local_id}"


@dataclass
class ResidentsWorld:
    residents: list[Resident] = field(default_factory=list)
    involvements: list[InvolvementRow] = field(default_factory=list)
    addresses: list[AddressRow] = field(default_factory=list)
    #: The ASC CLD submissions: supplier org -> event rows (as ``asc_cld.COLUMNS``).
    asc_events: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    #: Each source's record of a person, by ``SourcePerson.key``.
    source_people: dict[str, SourcePerson] = field(default_factory=dict)
    #: For tests only: which resident each source record really is (``SourcePerson.key`` -> resident id).
    truth: dict[str, str] = field(default_factory=dict)
    _made: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False, compare=False)
    _counts: dict[tuple[str, str], int] = field(default_factory=dict, repr=False, compare=False)

    def recorded(self, person: Resident, source: str, org: str, rng: random.Random | None) -> str:
        """The key of ``source``'s record of ``person`` at ``org``, made on first use (exact when ``rng`` is None)."""
        made = self._made.get((person.resident_id, source, org))
        if made is not None:
            return made
        number = self._counts[(source, org)] = self._counts.get((source, org), 0) + 1
        local_id = f"{LOCAL_ID_PREFIX[source]}{org[:3].upper()}{number * 7 + 1000:07d}"
        first, last, born = (person.first_name, person.last_name, person.date_of_birth) if rng is None else \
            _as_recorded(person, source, rng)
        recorded = SourcePerson(source, org, local_id, first, last, born)
        self.source_people[recorded.key] = recorded
        self.truth[recorded.key] = person.resident_id
        self._made[(person.resident_id, source, org)] = recorded.key
        return recorded.key


LOCAL_ID_PREFIX = {"asc_cld": "P", "hclic": "HC", "chain": "CH", "inform": "IF"}


def _typo(name: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped, or one dropped, away from the first letter."""
    if len(name) < 4:
        return name
    at = rng.randint(1, len(name) - 2)
    if rng.random() < 0.5:
        return name[:at] + name[at + 1] + name[at] + name[at + 2:]
    return name[:at] + name[at + 1:]


def _as_recorded(person: Resident, source: str, rng: random.Random) -> tuple[str, str, date | None]:
    first, last, born = person.first_name, person.last_name, person.date_of_birth
    draw = rng.random()
    if draw < 0.06:
        last = _typo(last, rng)
    elif draw < 0.10:
        first = _typo(first, rng)
    elif draw < 0.14:
        first, last = last, first
    if source == "chain" and rng.random() < 0.15:
        return first, last, None  # outreach workers often have no date of birth
    if born.day <= 12 and born.day != born.month and rng.random() < 0.03:
        born = date(born.year, born.day, born.month)
    return first, last, born


def secure_email(name: str, org: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{org}.secure.example"


# The named residents of the guide and the browser test (ids R-DEMO-...): a resident on the Lambeth
# North team's open case whom Westminster housing and West London outreach also know; an adult known
# only to Westminster housing (no relationship: break-glass only); a 16-year-old on the North team's
# transition case, whom the adults-only agreement never shows.
STORY_RESIDENTS = (
    Resident("R-DEMO-0001", "Amara", "Okafor", date(1961, 6, 14)),
    Resident("R-DEMO-0002", "Peter", "Lindqvist", date(1949, 2, 3)),
    Resident("R-DEMO-0003", "Jamie", "Okafor", date(2010, 9, 1)),
)


def _involvement(resident_id: str, org: str, source: str, record_key: str, start: date, end: date | None,
                 worker: int = 0, person_key: str = "") -> InvolvementRow:
    code, name, workers = RESIDENT_TEAMS[(org, source)]
    worker_name, phone = workers[worker % len(workers)]
    return InvolvementRow(resident_id, source, org, record_key, code, name, worker_name, phone,
                          secure_email(worker_name, org), start, end, person_key)


def _story(today: date, world: ResidentsWorld) -> None:
    amara, peter, jamie = STORY_RESIDENTS
    world.residents.extend(STORY_RESIDENTS)

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def key(person: Resident, org: str, source: str) -> str:
        return world.recorded(person, source, org, None)

    world.involvements += [
        _involvement(amara.resident_id, "lambeth", "asc_cld", "LAM-ASC-90001", ago(400), None,
                     person_key=key(amara, "lambeth", "asc_cld")),
        _involvement(amara.resident_id, "westminster", "hclic", "WES-H-70001", ago(120), None,
                     person_key=key(amara, "westminster", "hclic")),
        _involvement(amara.resident_id, "gla", "chain", "C-STORY-0001", ago(700), ago(30),
                     person_key=key(amara, "gla", "chain")),
        _involvement(amara.resident_id, "gla", "chain", "C-STORY-0002", ago(20), None, worker=1,
                     person_key=key(amara, "gla", "chain")),
        _involvement(peter.resident_id, "westminster", "hclic", "WES-H-70002", ago(90), None, worker=1,
                     person_key=key(peter, "westminster", "hclic")),
        _involvement(jamie.resident_id, "lambeth", "asc_cld", "LAM-ASC-90003", ago(60), None,
                     person_key=key(jamie, "lambeth", "asc_cld")),
    ]
    world.addresses += [
        AddressRow(amara.resident_id, "hclic", "westminster", "Flat 3, 12 Harrow Road, London", "W2 1XX",
                   ago(120), None, key(amara, "westminster", "hclic")),
        AddressRow(amara.resident_id, "asc_cld", "lambeth", "41 Stockwell Park Road, London", "SW9 0XX",
                   ago(2000), ago(121), key(amara, "lambeth", "asc_cld")),
        AddressRow(peter.resident_id, "hclic", "westminster", "8 Lisson Grove, London", "NW8 8XX", ago(90), None,
                   key(peter, "westminster", "hclic")),
        AddressRow(jamie.resident_id, "asc_cld", "lambeth", "41 Stockwell Park Road, London", "SW9 0XX",
                   ago(2000), None, key(jamie, "lambeth", "asc_cld")),
    ]


def _own_people(count: int, rng: random.Random, today: date) -> Iterator[Resident]:
    for n in range(count):
        born = today - timedelta(days=rng.randint(18 * 365, 90 * 365))
        yield Resident(f"R{n + 1:08d}", rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), born)


def _known_people(truth: Path) -> tuple[list[Resident], dict[str, list[tuple[str, str, str]]]]:
    """The hub generator's people and, for each, the (source, supplier org, record key) of their records."""
    records: dict[str, list[tuple[str, str, str]]] = {}
    with (truth / "person_records.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            org = SUPPLIER_ORGS.get(row["supplier_code"])
            if org is not None and row["table"] in ("chain_people", "hclic_people", "inform_clients"):
                records.setdefault(row["person_id"], []).append((row["source"], org, row["record_key"]))
    people = []
    with (truth / "persons.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["person_id"] in records and row["date_of_birth"]:
                people.append(Resident(row["person_id"], row["first_name"], row["last_name"],
                                       date.fromisoformat(row["date_of_birth"])))
    return people, records


def build_residents(today: date, seed: int = 1, count: int = 200, truth: Path | None = None) -> ResidentsWorld:
    """The named story residents plus ``count`` others (or every person of ``truth``), with their
    involvements, addresses and the ASC CLD events of Lambeth and Westminster. Same arguments, same world."""
    rng = random.Random(seed)
    world = ResidentsWorld()
    _story(today, world)
    if truth is not None and (truth / "persons.csv").exists():
        people, records = _known_people(truth)
    else:
        people = list(_own_people(count, rng, today))
        records = {p.resident_id: _drawn_records(p.resident_id, rng) for p in people}
    for person in people:
        world.residents.append(person)
        for n, (source, org, key) in enumerate(records.get(person.resident_id, [])):
            start = today - timedelta(days=rng.randint(30, 2500))
            end = None if rng.random() < 0.35 else min(today - timedelta(days=1), start + timedelta(days=rng.randint(14, 400)))
            recorded = world.recorded(person, source, org, rng)
            world.involvements.append(_involvement(person.resident_id, org, source, key, start, end, n, recorded))
            world.addresses.append(_address(person.resident_id, source, org, start, end, rng, recorded))
        # About one adult in five is also known to adult social care (more among older people).
        chance = 0.15 + (0.2 if (today.year - person.date_of_birth.year) >= 65 else 0.0)
        if (today.year - person.date_of_birth.year) >= 18 and rng.random() < chance:
            _add_asc(world, person, rng.choice(ASC_ORGS), today, rng)
    _story_events(world, today)
    return world


def _drawn_records(resident_id: str, rng: random.Random) -> list[tuple[str, str, str]]:
    drawn = []
    if rng.random() < 0.6:
        org = rng.choice(("lambeth", "westminster", "camden", "hillingdon"))
        drawn.append(("hclic", org, f"H-{resident_id}"))
    if rng.random() < 0.25:
        drawn.append(("chain", "gla", f"C-{resident_id}"))
    if rng.random() < 0.1:
        drawn.append(("inform", rng.choice(("provider-a", "provider-b")), f"I-{resident_id}"))
    return drawn


def _address(resident_id: str, source: str, org: str, start: date, end: date | None,
             rng: random.Random, person_key: str) -> AddressRow:
    area = rng.choice(POSTCODE_AREAS[org])
    return AddressRow(resident_id, source, org, f"{rng.randint(1, 180)} {rng.choice(STREETS)}, London",
                      f"{area} {rng.randint(1, 9)}XX", start, end, person_key)


def _add_asc(world: ResidentsWorld, person: Resident, org: str, today: date, rng: random.Random) -> None:
    start = today - timedelta(days=rng.randint(30, 1500))
    end = None if rng.random() < 0.5 else min(today - timedelta(days=1), start + timedelta(days=rng.randint(30, 600)))
    key = f"{org[:3].upper()}-ASC-{len(world.involvements):06d}"
    recorded = world.recorded(person, "asc_cld", org, rng)
    involvement = _involvement(person.resident_id, org, "asc_cld", key, start, end, rng.randint(0, 1), recorded)
    world.involvements.append(involvement)
    world.addresses.append(_address(person.resident_id, "asc_cld", org, start, end, rng, recorded))


def _story_events(world: ResidentsWorld, today: date) -> None:
    """The ASC CLD submission rows behind every adult social care involvement: a request, then the
    assessment that opened the case, and a review for cases that are still open."""
    postcodes = {a.person_key: a.postcode for a in world.addresses if a.source == "asc_cld"}
    reasons = ("physical_support", "support_with_memory_and_cognition", "mental_health_support", "social_support")
    for n, inv in enumerate(i for i in world.involvements if i.source == "asc_cld"):
        person = world.source_people[inv.person_key]
        born = person.date_of_birth.isoformat() if person.date_of_birth else ""
        base = {"person_id": person.local_id, "nhs_number": "", "first_name": person.first_name,
                "last_name": person.last_name, "date_of_birth": born, "gender": "",
                "ethnicity": "", "postcode": postcodes.get(inv.person_key, ""), "service_type": "", "primary_support_reason": reasons[n % 4],
                "team_code": inv.team_code, "team_name": inv.team_name, "key_worker_name": inv.key_worker_name,
                "key_worker_phone": inv.key_worker_phone, "key_worker_email": inv.key_worker_email}
        rows = world.asc_events.setdefault(inv.supplier, [])
        request_day = inv.start_date - timedelta(days=14)
        rows.append({**base, "event_id": f"{inv.record_key}-REQ", "event_type": "request",
                     "event_start": request_day.isoformat(), "event_end": request_day.isoformat(),
                     "event_outcome": "long_term_support"})
        rows.append({**base, "event_id": inv.record_key, "event_type": "assessment",
                     "event_start": inv.start_date.isoformat(),
                     "event_end": inv.end_date.isoformat() if inv.end_date else "",
                     "event_outcome": "ongoing" if inv.end_date is None else "ended_moved",
                     "service_type": "long_term_community"})
        if inv.end_date is None and inv.start_date < today - timedelta(days=365):
            review = inv.start_date + timedelta(days=365)
            rows.append({**base, "event_id": f"{inv.record_key}-REV", "event_type": "review",
                         "event_start": review.isoformat(), "event_end": review.isoformat(),
                         "event_outcome": "long_term_support", "service_type": "long_term_community"})
