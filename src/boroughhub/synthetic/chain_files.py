"""The CHAIN extract: one London-wide submission from ``chain_london``.

Every night on the street is a bedded-down outreach contact; outreach also meets people awake
(not bedded down), at day centres and at hubs. About 1.5% of people get a second CHAIN record
(a duplicate the operator never merged), used for their later events.
"""

from __future__ import annotations

import random
from pathlib import Path

from boroughhub.synthetic.accommodation import Stay
from boroughhub.synthetic.identifiers import CHAIN_QUALITY, record_identity
from boroughhub.synthetic.people import Person, WeightedChoice, between, pick
from boroughhub.synthetic.street import StreetLife
from boroughhub.synthetic.submission import SubmissionSummary, SubmissionWriter, cell, day
from boroughhub.synthetic.truth import TruthWriter
from boroughhub.synthetic.world import World

SUPPLIER = "chain_london"
DUPLICATE_RECORD_RATE = 0.015
_OUTREACH = WeightedChoice({"street_outreach": 85, "rapid_response": 10, "joint_operation": 5})
_LOCATION = WeightedChoice({
    "street": 30, "doorway": 25, "park_or_open_space": 10, "stairwell_or_communal_area": 6, "car_park": 4,
    "derelict_building": 3, "tent_or_encampment": 8, "vehicle": 2, "rail_station": 4, "other": 3,
})
_PSEUDO_LOCATION = {"heathrow": "airport", "london_buses": "bus", "london_underground": "underground"}
_BEFORE_WEIGHTS = {
    "private_rented": 15, "social_rented": 6, "living_with_family": 14, "tied_accommodation": 2,
    "staying_with_friends": 18, "hostel_or_supported_housing": 8, "temporary_accommodation": 2, "squat": 2,
    "prison": 8, "hospital": 2, "local_authority_care": 1, "armed_forces": 0.5,
    "rough_sleeping_outside_london": 6, "other": 3, "not_known": 4,
}
# About 17% of new people came from asylum support accommodation (2023/24): people of the rest of the world.
_BEFORE = {
    "uk_or_europe": WeightedChoice(_BEFORE_WEIGHTS),
    "asylum_route": WeightedChoice({**_BEFORE_WEIGHTS, "asylum_support_accommodation": 400}),
}
_ASYLUM_ROUTE = {"asylum_seeker", "refused_asylum_seeker", "refugee_or_humanitarian_protection"}


def _team(area: str, rng: random.Random) -> str:
    return f"{area.upper()[:12]}-OT{between(rng, 1, 3)}"


def _location(area: str, rng: random.Random) -> str:
    return _PSEUDO_LOCATION.get(area) or _LOCATION.draw(rng)


def _institution(person: Person, first_night: int, rng: random.Random) -> tuple[str, str]:
    if rng.random() > 0.3:
        return "", ""
    prison, care, forces = person.history
    if person.immigration_status in ("asylum_seeker", "refugee_or_humanitarian_protection") and rng.random() < 0.6:
        kind = "asylum_support_accommodation"
    elif prison and rng.random() < 0.7:
        kind = pick(rng, ("prison", "prison", "approved_premises"))
    elif forces and rng.random() < 0.5:
        kind = "armed_forces"
    elif care and rng.random() < 0.5:
        kind = "local_authority_care"
    else:
        kind = pick(rng, ("hospital_general", "hospital_mental_health", "other_institution"))
    left = max(first_night - int(rng.expovariate(1 / 60)) - 1, person.date_of_birth.toordinal() + 16 * 365)
    return kind, day(left)


def _people_row(chain_id: str, life: StreetLife, first_event: int, rng: random.Random) -> list[str]:
    person = life.person
    identity = record_identity(person, CHAIN_QUALITY, rng, names_required=False)
    engaged = len(life.nights) >= 2
    assessed = rng.random() < (0.8 if engaged else 0.3)
    needs = [cell(n) for n in person.needs] if assessed else ["", "", "", ""]
    nights = [d for d, _ in life.nights] or [first_event]
    assessed_on = day(pick(rng, nights)) if assessed else ""
    history = [cell(h) if assessed and rng.random() < 0.7 else "" for h in person.history]
    institution, left = _institution(person, nights[0], rng)
    non_uk = person.nationality != "GBR"
    return [
        chain_id, identity.first_name, identity.last_name, identity.other_names, cell(identity.date_of_birth),
        cell(identity.date_of_birth_estimated) if identity.date_of_birth else "", identity.ni_number,
        f"{chr(65 + rng.randrange(26))}{rng.randrange(10**7):07d}" if non_uk and rng.random() < 0.05 else "",
        person.gender if rng.random() < 0.97 else "", person.nationality if rng.random() < 0.95 else "",
        person.ethnicity if rng.random() < 0.85 else "",
        person.immigration_status if rng.random() < (0.7 if non_uk else 0.4) else "",
        *needs, assessed_on, *history, institution, left,
        _BEFORE["asylum_route" if person.immigration_status in _ASYLUM_ROUTE else "uk_or_europe"].draw(rng)
        if rng.random() < 0.75 else "",
    ]


def write_chain(
    world: World, out_dir: Path, seed: int, truth: TruthWriter
) -> tuple[SubmissionSummary, dict[str, str]]:
    """Writes the CHAIN submission; returns it and each person's first CHAIN person id."""
    chain_ids: dict[str, str] = {}
    rng = random.Random(f"{seed}:chain")
    end = world.end.toordinal()
    contact_number = stay_number = person_number = 0
    with SubmissionWriter(out_dir, "chain", SUPPLIER, world.start, world.end) as files:
        for life in world.lives:
            stays = [s for s in world.stays.get(life.person.person_id, []) if s.in_chain]
            events = [d for d, _ in life.nights] + [d for d, _ in life.sightings]
            if not events and not stays:
                continue
            person_number += 1
            ids = [f"C{person_number:07d}"]
            chain_ids[life.person.person_id] = ids[0]
            split = None
            if len(life.nights) >= 4 and rng.random() < DUPLICATE_RECORD_RATE:
                split = life.nights[len(life.nights) // 2][0]
                ids.append(f"C{person_number:07d}D")
            for k, chain_id in enumerate(ids):
                first = min(events + [s.start for s in stays]) if k == 0 else split or 0
                files.write("chain_people", _people_row(chain_id, life, first, rng))
                truth.record("chain", SUPPLIER, "chain_people", chain_id, life.person.person_id)

            def owner(when: int, ids: list[str] = ids, split: int | None = split) -> str:
                return ids[1] if split is not None and when >= split else ids[0]

            rows = _contacts(life, stays, end, rng)
            for when, area, location, bedded, kind in sorted(rows):
                contact_number += 1
                files.write("chain_contacts", (
                    f"K{contact_number:08d}", owner(when), day(when), area, location, bedded, kind, _team(area, rng),
                ))
            for stay in stays:
                stay_number += 1
                files.write("chain_stays", _stay_row(f"S{stay_number:08d}", owner(stay.start), stay))
        return files.close(), chain_ids


def _contacts(life: StreetLife, stays: list[Stay], end: int, rng: random.Random) -> list[tuple[int, str, str, str, str]]:
    """(date, area, location, bedded_down, contact_type) of every contact with the person."""
    rows = []
    for when, area in life.nights:
        rows.append((when, area, _location(area, rng), "true", _OUTREACH.draw(rng)))
        if rng.random() < 0.03:
            rows.append((when, area, _location(area, rng), "true", _OUTREACH.draw(rng)))
        roll = rng.random()
        if roll < 0.12 and when + 1 <= end:
            later = min(end, when + between(rng, 1, 5))
            rows.append((later, area, _location(area, rng), "false", _OUTREACH.draw(rng)))
        elif roll < 0.16:
            rows.append((min(end, when + between(rng, 0, 10)), area, "", "false", "day_centre"))
    for when, area in life.sightings:
        rows.append((when, area, _location(area, rng), "false", pick(rng, ("street_outreach", "day_centre", "other"))))
    for stay in stays:
        if stay.service.service_type in ("nsno_hub", "assessment_centre") and rng.random() < 0.7:
            rows.append((stay.start, stay.service.area, "", "false", "assessment_hub"))
        elif rng.random() < 0.1:
            rows.append((stay.start, stay.service.area, "", "false", "accommodation_project"))
    return rows


def _stay_row(stay_id: str, chain_id: str, stay: Stay) -> tuple[str, ...]:
    return (
        stay_id, chain_id, stay.service.project_code, stay.service.service_type, stay.service.area,
        day(stay.start), day(stay.end), stay.reason or "", stay.destination or "",
    )

