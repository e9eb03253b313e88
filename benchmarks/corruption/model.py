"""A second, independent corruption model: households of Londoners seen by three services.

Why it exists: the linkage model was developed against ``boroughhub.synthetic``'s error model, so
scoring it there says little about data it never saw. This model shares no code, names, rates or
kinds of error with that generator. People live in households (shared surname, address and
postcode; siblings and cousins born in the same year; 1.5% of births are twins with the same date
of birth), and each is registered with up to three services that each keep their own file:

- ``gp``: a GP practice list, ISO dates, careful data entry, current address.
- ``housing``: a housing register, DD/MM/YYYY dates, address often a previous one.
- ``school``: a free-text intake form (YYYYMMDD dates), most errors and gaps.

The kinds of error and their rates per field and service are in :data:`QUALITY`; every random
choice comes from one ``random.Random(seed)``, so a seed gives the same files on every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from benchmarks.corruption.vocabulary import (
    GIVEN_NAMES,
    NICKNAMES,
    OUTWARD_CODES,
    STREET_KINDS,
    STREETS,
    SURNAMES,
    TOWNS,
    TRANSLITERATIONS,
)

FIELDS = ("record_id", "first_name", "last_name", "date_of_birth", "postcode", "address")
DATE_FORMATS = {"gp": "%Y-%m-%d", "housing": "%d/%m/%Y", "school": "%Y%m%d"}
KEYBOARD = {
    "a": "sqz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj", "i": "uo", "j": "hk",
    "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o", "q": "w", "r": "et", "s": "ad", "t": "ry",
    "u": "yi", "v": "cb", "w": "qe", "x": "zc", "y": "tu", "z": "x",
}
SOUNDS_ALIKE = (("ph", "f"), ("ck", "k"), ("ie", "y"), ("ei", "ie"), ("ou", "u"), ("th", "t"), ("ee", "i"))


@dataclass(frozen=True)
class Quality:
    """Rates of each kind of error for one service (per record)."""

    coverage: float  # share of people registered with the service
    duplicate: float  # share of those registered twice (a second, independently corrupted record)
    typo_first: float  # keyboard slip or sounds-alike respelling in the given name
    typo_last: float
    nickname: float  # familiar form given instead of the registered name (when there is one)
    transliteration: float  # another romanisation (when there is one)
    initial_only: float  # given name reduced to its initial
    names_reversed: float  # surname written in the given-name box and the reverse
    surname_changed: float  # (adult women) another surname: married, or a double-barrelled form
    dob_missing: float
    dob_month_day_swapped: float  # month-first entry of a day-first date
    dob_digit_slip: float  # one digit of day or year changed
    dob_year_off: float  # year from an age given in the wrong year
    dob_placeholder: float  # unknown date entered as 1 July of the estimated year
    moved: float  # a previous address (and postcode) on the record
    postcode_missing: float
    postcode_slip: float  # one character of the postcode changed
    address_missing: float
    address_abbreviated: float  # "rd" for "road", flat prefix dropped or added


QUALITY: dict[str, Quality] = {
    "gp": Quality(0.85, 0.03, 0.02, 0.015, 0.05, 0.08, 0.01, 0.005, 0.04, 0.01, 0.005, 0.01, 0.0, 0.005, 0.10,
                  0.02, 0.01, 0.03, 0.30),
    "housing": Quality(0.45, 0.06, 0.04, 0.03, 0.10, 0.25, 0.02, 0.02, 0.08, 0.04, 0.02, 0.02, 0.02, 0.02, 0.35,
                       0.10, 0.03, 0.08, 0.50),
    "school": Quality(0.40, 0.10, 0.07, 0.05, 0.25, 0.35, 0.05, 0.04, 0.06, 0.12, 0.04, 0.04, 0.03, 0.05, 0.20,
                      0.25, 0.04, 0.20, 0.60),
}


@dataclass(frozen=True)
class Person:
    person_id: str
    first_name: str
    last_name: str
    birth: date
    female: bool
    origin: str
    house: int
    street: str
    kind: str
    town: str
    postcode: str
    flat: str


def _postcode(rng: random.Random) -> str:
    return f"{rng.choice(OUTWARD_CODES)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"


def _home(rng: random.Random) -> tuple[int, str, str, str, str, str]:
    flat = f"flat {rng.randint(1, 40)}" if rng.random() < 0.35 else ""
    return rng.randint(1, 220), rng.choice(STREETS), rng.choice(list(STREET_KINDS)), rng.choice(TOWNS), _postcode(rng), flat


def _birth(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def population(households: int, rng: random.Random) -> list[Person]:
    """People in households: couples born a few years apart, children, same-year siblings and twins."""
    people: list[Person] = []
    for h in range(households):
        origin = rng.choice(list(GIVEN_NAMES))
        surname = rng.choice(SURNAMES[origin])
        home = _home(rng)
        adults_year = rng.randint(1940, 2000)
        members: list[tuple[date, bool]] = [(_birth(rng, adults_year), rng.random() < 0.5)]
        if rng.random() < 0.6:
            members.append((_birth(rng, adults_year + rng.randint(-4, 4)), not members[0][1]))
        if rng.random() < 0.15:  # an adult sibling or cousin born the same year
            members.append((_birth(rng, adults_year), rng.random() < 0.5))
        for _ in range(rng.choice((0, 0, 1, 2, 3)) if adults_year > 1960 else 0):
            born = _birth(rng, min(adults_year + rng.randint(20, 40), 2024))
            members.append((born, rng.random() < 0.5))
            if rng.random() < 0.015:  # twins: same date of birth, surname and address
                members.append((born, rng.random() < 0.5))
        used: set[str] = set()
        for k, (born, female) in enumerate(members):
            given = rng.choice([g for g in GIVEN_NAMES[origin] if g not in used] or list(GIVEN_NAMES[origin]))
            used.add(given)
            people.append(Person(f"h{h}p{k}", given, surname, born, female, origin, *home))
    return people


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    for old, new in rng.sample(SOUNDS_ALIKE, len(SOUNDS_ALIKE)):
        if old in word and rng.random() < 0.4:
            return word.replace(old, new, 1)
    i = rng.randrange(1, len(word))
    kind = rng.random()
    if kind < 0.4 and word[i] in KEYBOARD:
        return word[:i] + rng.choice(KEYBOARD[word[i]]) + word[i + 1 :]
    if kind < 0.6:
        return word[:i] + word[i + 1 :]  # a letter left out
    if kind < 0.8:
        return word[:i] + word[i] + word[i:]  # a letter doubled
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]  # neighbours transposed


def _given(person: Person, q: Quality, rng: random.Random) -> str:
    name = person.first_name
    if name in NICKNAMES and rng.random() < q.nickname:
        name = rng.choice(NICKNAMES[name])
    elif name in TRANSLITERATIONS and rng.random() < q.transliteration:
        name = rng.choice(TRANSLITERATIONS[name])
    if rng.random() < q.typo_first:
        name = _typo(name, rng)
    if rng.random() < q.initial_only:
        name = name[0]
    return name


def _family(person: Person, q: Quality, rng: random.Random) -> str:
    name = person.last_name
    if name in TRANSLITERATIONS and rng.random() < q.transliteration:
        name = rng.choice(TRANSLITERATIONS[name])
    if person.female and person.birth.year < 2000 and rng.random() < q.surname_changed:
        other = rng.choice(SURNAMES[rng.choice(list(SURNAMES))])
        name = rng.choice((other, f"{name}-{other}", f"{other} {name}"))
    if rng.random() < q.typo_last:
        name = _typo(name, rng)
    return name


def _date_of_birth(person: Person, q: Quality, fmt: str, rng: random.Random) -> str:
    if rng.random() < q.dob_missing:
        return ""
    born = person.birth
    roll = rng.random()
    if roll < q.dob_month_day_swapped and born.day <= 12:
        born = date(born.year, born.day, born.month)
    elif roll < q.dob_month_day_swapped + q.dob_digit_slip:
        if rng.random() < 0.5:
            day = born.day + rng.choice((-10, -1, 1, 10))
            born = date(born.year, born.month, min(max(day, 1), 28))
        else:
            born = date(born.year + rng.choice((-10, -1, 1, 10)), born.month, min(born.day, 28))
    elif roll < q.dob_month_day_swapped + q.dob_digit_slip + q.dob_year_off:
        born = date(born.year + rng.choice((-1, 1)), born.month, min(born.day, 28))
    elif roll < q.dob_month_day_swapped + q.dob_digit_slip + q.dob_year_off + q.dob_placeholder:
        born = date(born.year, 7, 1)
    return born.strftime(fmt)


def _where(person: Person, q: Quality, rng: random.Random) -> tuple[str, str]:
    house, street, kind, town, postcode, flat = (person.house, person.street, person.kind, person.town,
                                                 person.postcode, person.flat)
    if rng.random() < q.moved:
        house, street, kind, town, postcode, flat = _home(rng)
    if rng.random() < q.postcode_slip:
        i = rng.choice([i for i, c in enumerate(postcode) if c != " "])
        postcode = postcode[:i] + rng.choice("0123456789ABDEFGHJLNPRSTUWXYZ") + postcode[i + 1 :]
    words = [flat, str(house), street, kind, town]
    if rng.random() < q.address_abbreviated:
        words = ["" if w == flat and rng.random() < 0.5 else STREET_KINDS.get(w, w) for w in words]
    address = "" if rng.random() < q.address_missing else " ".join(w for w in words if w)
    return ("" if rng.random() < q.postcode_missing else postcode), address


def _record(person: Person, service: str, number: int, rng: random.Random) -> dict[str, str]:
    q = QUALITY[service]
    first, last = _given(person, q, rng), _family(person, q, rng)
    if rng.random() < q.names_reversed:
        first, last = last, first
    postcode, address = _where(person, q, rng)
    styled = {"gp": str.title, "housing": str.upper, "school": lambda s: s}[service]
    return {
        "record_id": f"{service[0]}{number:06d}", "first_name": styled(first), "last_name": styled(last),
        "date_of_birth": _date_of_birth(person, q, DATE_FORMATS[service], rng), "postcode": postcode,
        "address": styled(address),
    }


def generate(households: int, seed: int) -> tuple[dict[str, list[dict[str, str]]], dict[str, str]]:
    """Each service's records (``FIELDS``) and the truth: ``service:record_id`` -> person id."""
    rng = random.Random(seed)
    people = population(households, rng)
    files: dict[str, list[dict[str, str]]] = {service: [] for service in QUALITY}
    truth: dict[str, str] = {}
    for person in people:
        for service, q in QUALITY.items():
            if rng.random() >= q.coverage:
                continue
            for _ in range(2 if rng.random() < q.duplicate else 1):
                record = _record(person, service, len(files[service]) + 1, rng)
                files[service].append(record)
                truth[f"{service}:{record['record_id']}"] = person.person_id
    for service in files:  # a file's order says nothing about who is who
        rng.shuffle(files[service])
    return files, truth
