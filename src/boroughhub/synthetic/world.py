"""The synthetic London of one run: everyone's life course, generated once, before any file is written.

Holds the street lives (nights), their stays, the people housed by hostels without sleeping rough,
and the council approaches of all of them. Households that only ever meet a council (most of
H-CLIC) are not held here: each council's writer makes its own, so memory stays bounded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from boroughhub.reference import code_list
from boroughhub.synthetic.accommodation import Stay, StayPlanner, build_services
from boroughhub.synthetic.people import (
    Person,
    WeightedChoice,
    between,
    date_of_birth_for_age,
    draw_identity,
    pick,
)
from boroughhub.synthetic.street import StreetLife, StreetPlanner, financial_year
from boroughhub.synthetic.targets import (
    HOME_AREA_WEIGHTS,
    HOSTEL_ONLY_PEOPLE_PER_YEAR,
    HOUSEHOLD_NATIONALITY_WEIGHTS,
    PILOT_AREAS,
)

LOCAL_AUTHORITIES: tuple[str, ...] = tuple(
    row["code"] for row in code_list("areas") if row["area_type"] == "local_authority"
)
PRE_STREET_APPROACH_RATE = 0.22  # new people who approached a council in the year before their first night
STREET_APPROACH_RATE = 0.07  # person-years on the street with an approach to a council
HOSTEL_ONLY_APPROACH_RATE = 0.3


@dataclass(frozen=True, slots=True)
class CaseSeed:
    """A council approach by someone the world knows: who, where, when, and what kind of life."""

    person: Person
    council: str
    application: int
    profile: str  # pre_street, rough_sleeper or hostel_only


@dataclass(slots=True)
class World:
    start: date
    end: date
    councils: tuple[str, ...]
    lives: list[StreetLife]
    stays: dict[str, list[Stay]]  # by person_id
    hostel_only: list[Person]
    case_seeds: dict[str, list[CaseSeed]] = field(default_factory=dict)


def resolve_areas(areas: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """``pilot``, ``all`` or a comma-separated list of ONS codes -> local authority codes."""
    if isinstance(areas, str):
        if areas == "all":
            return LOCAL_AUTHORITIES
        if areas == "pilot":
            return PILOT_AREAS
        areas = [a.strip() for a in areas.split(",") if a.strip()]
    unknown = [a for a in areas if a not in LOCAL_AUTHORITIES]
    if unknown or not areas:
        raise ValueError(f"Unknown area codes {unknown or areas}: use pilot, all or E09000001-E09000033.")
    return tuple(sorted(set(areas)))


def home_area_weights(councils: tuple[str, ...]) -> dict[str, float]:
    """Where people sleep rough, restricted to the selected councils (and Heathrow with Hillingdon)."""
    weights = {a: w for a, w in HOME_AREA_WEIGHTS.items() if a in councils}
    if "E09000017" in councils:
        weights["heathrow"] = HOME_AREA_WEIGHTS["heathrow"]
    if len(councils) == len(LOCAL_AUTHORITIES):
        weights["london_buses"] = HOME_AREA_WEIGHTS["london_buses"]
        weights["london_underground"] = HOME_AREA_WEIGHTS["london_underground"]
    return weights


def area_share(councils: tuple[str, ...]) -> float:
    """The selected areas' share of London's people sleeping rough."""
    return sum(home_area_weights(councils).values()) / sum(HOME_AREA_WEIGHTS.values())


def build_world(seed: int, councils: tuple[str, ...], start: date, end: date, scale: float) -> World:
    rng = random.Random(f"{seed}:world")
    weights = home_area_weights(councils)
    factor = scale * sum(weights.values()) / sum(HOME_AREA_WEIGHTS.values())
    lives = StreetPlanner(rng, start, end, factor, weights).plan()
    planner = StayPlanner(build_services(list(councils), rng), end.toordinal(), rng)
    stays = {life.person.person_id: planner.stays_of(life) for life in lives if life.nights}
    world = World(start, end, councils, lives, {k: v for k, v in stays.items() if v}, [])
    _add_hostel_only(world, planner, factor, rng, next_id=len(lives) + 1)
    _add_street_approaches(world, rng)
    return world


def _council_for(area: str, councils: tuple[str, ...], rng: random.Random) -> str:
    return area if area in councils else pick(rng, councils)


def _add_street_approaches(world: World, rng: random.Random) -> None:
    start, end = world.start.toordinal(), world.end.toordinal()
    for life in world.lives:
        if not life.nights:
            continue
        first_day, first_area = life.nights[0]
        if rng.random() < PRE_STREET_APPROACH_RATE:
            applied = first_day - between(rng, 14, 365)
            if applied >= start:
                _seed(world, CaseSeed(life.person, _council_for(first_area, world.councils, rng), applied, "pre_street"))
        seen_years: dict[int, tuple[int, str]] = {}
        for day, area in life.nights:
            seen_years.setdefault(financial_year(date.fromordinal(day)), (day, area))
        for day, area in seen_years.values():
            if rng.random() < STREET_APPROACH_RATE:
                applied = day + between(rng, 0, 60)
                if applied <= end:
                    _seed(world, CaseSeed(life.person, _council_for(area, world.councils, rng), applied, "rough_sleeper"))


def _add_hostel_only(world: World, planner: StayPlanner, factor: float, rng: random.Random, next_id: int) -> None:
    nationalities = WeightedChoice(HOUSEHOLD_NATIONALITY_WEIGHTS)
    start, end = world.start.toordinal(), world.end.toordinal()
    count = round(HOSTEL_ONLY_PEOPLE_PER_YEAR * factor * (end - start + 1) / 365.25)
    for k in range(count):
        arrive = between(rng, start, end)
        gender = "male" if rng.random() < 0.7 else "female"
        dob = date_of_birth_for_age(between(rng, 18, 70), date.fromordinal(arrive), rng)
        person = draw_identity(f"P{next_id + k:08d}", "hostel_only", nationalities.draw(rng), gender, dob, rng)
        stays = planner.hostel_only_stays(person.person_id, arrive)
        if not stays:
            continue
        world.hostel_only.append(person)
        world.stays[person.person_id] = stays
        if rng.random() < HOSTEL_ONLY_APPROACH_RATE:
            applied = max(start, arrive - between(rng, 0, 120))
            _seed(world, CaseSeed(person, _council_for(stays[0].service.area, world.councils, rng), applied, "hostel_only"))


def _seed(world: World, seed: CaseSeed) -> None:
    born, applied = seed.person.date_of_birth, date.fromordinal(seed.application)
    if applied.year - born.year - ((applied.month, applied.day) < (born.month, born.day)) < 16:
        return  # H-CLIC main applicants are 16 or over
    world.case_seeds.setdefault(seed.council, []).append(seed)

