"""True people: who each synthetic person really is, before any source records them.

A person's true identity (names, date of birth, NI number, nationality) is written to
``truth/persons.csv``; every source record of them is a noisy copy (see ``identifiers.py``).
"""

from __future__ import annotations

import random
import string
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import TypeVar

from boroughhub.synthetic.names import (
    MALE_FORM_OF_SURNAME,
    POPULATION_OF_NATIONALITY,
    POPULATIONS,
    STREET_NAMES,
)
from boroughhub.synthetic.targets import AGE_BAND_SHARES, GENDER_SHARES, SUPPORT_NEED_RATES

T = TypeVar("T")


class WeightedChoice:
    """A fixed weighted choice, drawn fast with precomputed cumulative weights."""

    __slots__ = ("values", "cumulative", "total", "last")

    def __init__(self, weights: dict[str, float]) -> None:
        self.values = list(weights)
        self.cumulative = list(accumulate(weights.values()))
        self.total = self.cumulative[-1]
        self.last = len(self.values) - 1

    def draw(self, rng: random.Random) -> str:
        index = bisect_right(self.cumulative, rng.random() * self.total)
        return self.values[index if index < self.last else self.last]


def between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` inclusive (``rng.randint`` at a quarter of the cost)."""
    return low + int(rng.random() * (high - low + 1))


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """One of ``options``, uniformly (``rng.choice`` at a third of the cost)."""
    return options[int(rng.random() * len(options))]


@dataclass(slots=True)
class Person:
    """One true person. ``kind`` says which life they lead: street, hostel_only or household."""

    person_id: str
    kind: str
    gender: str
    first_name: str
    last_name: str
    date_of_birth: date
    nationality: str
    ethnicity: str
    ni_number: str | None
    population: str
    aliases: list[str] = field(default_factory=list)
    twin_of: str | None = None
    immigration_status: str = "other"
    needs: tuple[bool, bool, bool, bool] = (False, False, False, False)
    history: tuple[bool, bool, bool] = (False, False, False)  # prison, care, armed forces


_NI_FIRST = [c for c in string.ascii_uppercase if c not in "DFIQUV"]
_NI_SECOND = [c for c in string.ascii_uppercase if c not in "DFIOQUV"]
_NI_BAD_PREFIXES = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def random_ni_number(rng: random.Random) -> str:
    """A random NI number of valid form (HMRC NIM39110): never a real person's."""
    while True:
        prefix = pick(rng, _NI_FIRST) + pick(rng, _NI_SECOND)
        if prefix not in _NI_BAD_PREFIXES:
            return f"{prefix}{rng.randrange(1_000_000):06d}{pick(rng, 'ABCD')}"


_EU = {"ROU", "POL", "IRL", "LTU", "BGR", "PRT", "ITA", "LVA", "HUN", "ESP", "SVK", "CZE", "FRA", "DEU"}
_ETHNICITY_OF_POPULATION: dict[str, dict[str, float]] = {
    "british": {
        "white_british": 72, "black_caribbean": 6, "black_african": 4, "mixed_white_black_caribbean": 5,
        "asian_pakistani": 2, "asian_indian": 2, "asian_bangladeshi": 2, "mixed_other": 2, "white_other": 3,
        "other_any": 2,
    },
    "irish": {"white_irish": 85, "white_gypsy_irish_traveller": 10, "white_other": 5},
    "caribbean": {"black_caribbean": 90, "mixed_white_black_caribbean": 10},
    "west_african": {"black_african": 95, "black_other": 5},
    "eritrean": {"black_african": 92, "black_other": 8},
    "somali": {"black_african": 95, "other_any": 5},
    "sudanese": {"black_african": 60, "other_arab": 35, "other_any": 5},
    "arabic": {"other_arab": 85, "other_any": 15},
    "south_asian": {"asian_indian": 45, "asian_pakistani": 25, "asian_bangladeshi": 25, "asian_other": 5},
    "afghan_iranian": {"asian_other": 70, "other_any": 30},
    "turkish_kurdish": {"white_other": 60, "other_any": 40},
}
_WHITE_OTHER: dict[str, float] = {"white_other": 94, "white_gypsy_irish_traveller": 3, "other_any": 3}
_CHOOSERS: dict[str, WeightedChoice] = {}


def _chooser(key: str, weights: dict[str, float]) -> WeightedChoice:
    found = _CHOOSERS.get(key)
    if found is None:
        found = _CHOOSERS[key] = WeightedChoice(weights)
    return found


def ethnicity_for(population: str, rng: random.Random) -> str:
    return _chooser("eth:" + population, _ETHNICITY_OF_POPULATION.get(population, _WHITE_OTHER)).draw(rng)


def immigration_status_for(nationality: str, rng: random.Random) -> str:
    if nationality in ("GBR", "IRL"):
        return "british_or_irish_citizen"
    if nationality in _EU:
        return _chooser("imm:eu", {
            "eu_settled_status": 40, "eu_pre_settled_status": 30, "no_leave_to_remain": 20, "other": 10,
        }).draw(rng)
    return _chooser("imm:row", {
        "refugee_or_humanitarian_protection": 25, "asylum_seeker": 15, "refused_asylum_seeker": 15,
        "indefinite_leave_to_remain": 15, "limited_leave_to_remain": 10, "no_leave_to_remain": 15, "other": 5,
    }).draw(rng)


def _population_for(nationality: str, ethnicity: str) -> str:
    population = POPULATION_OF_NATIONALITY.get(nationality, "british")
    if population == "british":  # British people of every background
        if ethnicity.startswith("asian_"):
            return "south_asian"
        if ethnicity == "black_african":
            return "west_african"
        if ethnicity == "black_caribbean":
            return "caribbean"
    return population


_AGE_BANDS = WeightedChoice({f"{lo}-{hi}": share for lo, hi, share in AGE_BAND_SHARES})
_GENDERS = WeightedChoice(GENDER_SHARES)


def date_of_birth_for_age(age: int, on: date, rng: random.Random) -> date:
    """A birth date making the person ``age`` whole years old on ``on``."""
    latest = on.replace(year=on.year - age) if not (on.month == 2 and on.day == 29) else date(on.year - age, 2, 28)
    return latest - timedelta(days=rng.randrange(365))


def draw_identity(
    person_id: str,
    kind: str,
    nationality: str,
    gender: str,
    date_of_birth: date,
    rng: random.Random,
    last_name: str | None = None,
) -> Person:
    """A person of the given nationality, with names from their population."""
    ethnicity = ethnicity_for(POPULATION_OF_NATIONALITY.get(nationality, "british"), rng)
    population = _population_for(nationality, ethnicity)
    names = POPULATIONS[population]
    given = names.female if gender == "female" else names.male
    first = pick(rng, given)
    if last_name is None:
        last_name = pick(rng, names.surnames)
        if gender != "female":
            last_name = MALE_FORM_OF_SURNAME.get(last_name, last_name)
        if names.double_surname and rng.random() < names.double_surname:
            last_name = f"{last_name} {pick(rng, names.surnames)}"
        elif population in ("british", "irish") and rng.random() < 0.02:
            last_name = f"{last_name}-{pick(rng, names.surnames)}"
    ni_rate = 0.93 if nationality in ("GBR", "IRL") else 0.7 if nationality in _EU else 0.35
    return Person(
        person_id=person_id,
        kind=kind,
        gender=gender,
        first_name=first,
        last_name=last_name,
        date_of_birth=date_of_birth,
        nationality=nationality,
        ethnicity=ethnicity,
        ni_number=random_ni_number(rng) if rng.random() < ni_rate else None,
        population=population,
        immigration_status=immigration_status_for(nationality, rng),
    )


def draw_street_person(person_id: str, first_seen: date, nationality: WeightedChoice, rng: random.Random) -> Person:
    """Someone who will sleep rough: London's street population mix of gender, age and needs."""
    band = _AGE_BANDS.draw(rng)
    low, high = (int(part) for part in band.split("-"))
    age = between(rng, low, high)
    person = draw_identity(
        person_id, "street", nationality.draw(rng), _GENDERS.draw(rng), date_of_birth_for_age(age, first_seen, rng), rng
    )
    if rng.random() < 0.18:
        person.aliases.append(pick(rng, STREET_NAMES))
    mental = rng.random() < SUPPORT_NEED_RATES["mental_health"]
    alcohol = rng.random() < SUPPORT_NEED_RATES["alcohol"]
    drugs = rng.random() < SUPPORT_NEED_RATES["drugs"]
    physical = rng.random() < SUPPORT_NEED_RATES["physical_health"]
    person.needs = (alcohol, drugs, mental, physical)
    uk = person.nationality == "GBR"
    person.history = (rng.random() < (0.38 if uk else 0.12), rng.random() < (0.14 if uk else 0.02),
                      rng.random() < (0.07 if uk else 0.01))
    return person


def twin_of(original: Person, person_id: str, rng: random.Random) -> Person:
    """A twin: same surname, same date of birth, another given name (a classic false match)."""
    names = POPULATIONS[original.population]
    twin = draw_identity(
        person_id, original.kind, original.nationality, original.gender, original.date_of_birth, rng,
        last_name=original.last_name,
    )
    given = names.female if twin.gender == "female" else names.male
    while twin.first_name == original.first_name and len(given) > 1:
        twin.first_name = pick(rng, given)
    twin.ethnicity, twin.population, twin.twin_of = original.ethnicity, original.population, original.person_id
    return twin
