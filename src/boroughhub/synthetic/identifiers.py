"""How each source records a person's identifiers: as messy as real records.

Every source record is a noisy copy of the person's true identity, drawn with the source's own
quality. The kinds of noise and their rates (per record; "of those with one" where the noise needs
something to act on):

| Noise | CHAIN | InForm | H-CLIC |
|---|---|---|---|
| Other spelling of a name with a spelling family (Mohammed / Mohamed / Muhammad) | 30% | 15% | 10% |
| Letters with diacritics written without them (Ştefan -> Stefan) | 85% | 50% | 30% |
| Short form or nickname as first name (William -> Bill), of names with one | 12% | 4% | 2% |
| Typo in a name (letter dropped, doubled, swapped or replaced), per name | 5% | 3% | 2% |
| Forename and surname swapped (x3 for Eritrean, Somali, Sudanese naming) | 4% | 1.5% | 1% |
| One part only of a double surname (Silva Santos -> Silva), or hyphenated | 50% | 30% | 20% |
| Surname missing (first name only) | 4% | 0 (required) | 0 (required) |
| No name at all | 1% | 0 | 0 |
| Street name or alias in ``other_names`` (of people who have one) | 70% | 25% | 5% |
| Another spelling of the name also kept in ``other_names`` | 8% | 4% | 0 |
| Date of birth missing | 18% | 4% | 0 for main applicants, 3% others |
| Date of birth estimated from a stated age: 1 January, year +/- 1 (CHAIN flags it) | 8% | 0 | 0 |
| 1 January default (true year) | 0 | 3% | 1.5% |
| Day and month swapped (when both are 12 or less) | 2% | 2% | 1% |
| Wrong year (+/- 1, or ten years early) | 3% | 1.5% | 1% |
| NI number recorded, of people who have one | 10% | 65% | 75% (adults in the household 50%) |

Distinct people also share identifiers by nature: common names (John Smith, Mohamed Ali) recur in
every population, and 0.5% of people have a twin (same surname and date of birth) who is also in
the data. Rates are set in :data:`CHAIN_QUALITY`, :data:`INFORM_QUALITY` and :data:`HCLIC_QUALITY`.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date

from boroughhub.synthetic.names import POPULATIONS, SHORT_FORMS, SPELLING_VARIANTS, ascii_fold
from boroughhub.synthetic.people import Person, pick


@dataclass(frozen=True, slots=True)
class SourceQuality:
    spelling_variant: float
    drop_diacritics: float
    short_form: float
    typo: float
    swap_names: float
    part_of_double_surname: float
    surname_missing: float
    no_name: float
    alias_recorded: float
    spelling_alias: float
    dob_missing: float
    dob_estimated: float
    dob_first_of_january: float
    dob_day_month_swap: float
    dob_wrong_year: float
    ni_recorded: float


CHAIN_QUALITY = SourceQuality(0.30, 0.85, 0.12, 0.05, 0.04, 0.5, 0.04, 0.01, 0.7, 0.08, 0.18, 0.08, 0.0, 0.02, 0.03, 0.10)
INFORM_QUALITY = SourceQuality(0.15, 0.50, 0.04, 0.03, 0.015, 0.3, 0.0, 0.0, 0.25, 0.04, 0.04, 0.0, 0.03, 0.02, 0.015, 0.65)
HCLIC_QUALITY = SourceQuality(0.10, 0.30, 0.02, 0.02, 0.01, 0.2, 0.0, 0.0, 0.05, 0.0, 0.0, 0.0, 0.015, 0.01, 0.01, 0.75)


@dataclass(slots=True)
class RecordedIdentity:
    first_name: str
    last_name: str
    other_names: str
    date_of_birth: date | None
    date_of_birth_estimated: bool
    ni_number: str


_LETTERS = string.ascii_lowercase


def typo(name: str, rng: random.Random) -> str:
    """One keying slip: a letter dropped, doubled, swapped with its neighbour or replaced."""
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    if kind == 2 and i >= 2:  # the first letter is rarely the one mistyped
        return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]
    return name[:i] + pick(rng, _LETTERS) + name[i + 1 :]


def _respell(name: str, quality: SourceQuality, rng: random.Random) -> str:
    parts = name.split(" ")
    for k, part in enumerate(parts):
        variants = SPELLING_VARIANTS.get(part)
        if variants and rng.random() < quality.spelling_variant:
            parts[k] = pick(rng, variants)
    name = " ".join(parts)
    if rng.random() < quality.typo:
        name = typo(name, rng)
    if rng.random() < quality.drop_diacritics:
        name = ascii_fold(name)
    return name


def _record_surname(last: str, quality: SourceQuality, rng: random.Random) -> str:
    if " " in last and rng.random() < quality.part_of_double_surname:
        first_part, second_part = last.split(" ", 1)
        return pick(rng, (first_part, first_part, second_part, f"{first_part}-{second_part}"))
    return last


def record_date_of_birth(
    true_dob: date, quality: SourceQuality, rng: random.Random, required: bool = False
) -> tuple[date | None, bool]:
    """The date of birth a source holds, and whether it is flagged as estimated."""
    roll = rng.random()
    if roll < quality.dob_missing and not required:
        return None, False
    roll -= quality.dob_missing
    if roll < quality.dob_estimated:
        return date(true_dob.year + pick(rng, (-1, 0, 0, 1)), 1, 1), True
    roll -= quality.dob_estimated
    if roll < quality.dob_first_of_january:
        return date(true_dob.year, 1, 1), False
    roll -= quality.dob_first_of_january
    if roll < quality.dob_day_month_swap and true_dob.day <= 12 and true_dob.day != true_dob.month:
        return date(true_dob.year, true_dob.day, true_dob.month), False
    roll -= quality.dob_day_month_swap
    if roll < quality.dob_wrong_year:
        shift = pick(rng, (-1, 1, -10))
        try:
            return true_dob.replace(year=true_dob.year + shift), False
        except ValueError:  # 29 February
            return date(true_dob.year + shift, 2, 28), False
    return true_dob, False


def record_identity(
    person: Person, quality: SourceQuality, rng: random.Random, *, names_required: bool, dob_required: bool = False
) -> RecordedIdentity:
    """What one source record says about ``person``."""
    first = _respell(person.first_name, quality, rng)
    shorts = SHORT_FORMS.get(person.first_name)
    if shorts and rng.random() < quality.short_form:
        first = pick(rng, shorts)
    last = _respell(_record_surname(person.last_name, quality, rng), quality, rng)
    swap = quality.swap_names * (3 if POPULATIONS[person.population].patronymic else 1)
    if rng.random() < swap:
        first, last = last, first
    if not names_required:
        roll = rng.random()
        if roll < quality.no_name:
            first, last = "", ""
        elif roll < quality.no_name + quality.surname_missing:
            last = ""
    others: list[str] = []
    for alias in person.aliases:
        if rng.random() < quality.alias_recorded:
            others.append(alias)
    if rng.random() < quality.spelling_alias:
        variants = SPELLING_VARIANTS.get(person.first_name)
        alternative = pick(rng, variants) if variants else typo(person.first_name, rng)
        others.append(f"{alternative} {ascii_fold(person.last_name)}")
    dob, estimated = record_date_of_birth(person.date_of_birth, quality, rng, required=dob_required)
    if first == "" and last == "" and dob is None and not others:
        first = person.first_name  # CHAIN always holds something a worker was told
    ni = person.ni_number if person.ni_number and rng.random() < quality.ni_recorded else ""
    return RecordedIdentity(first, last, "|".join(dict.fromkeys(o for o in others if o)), dob, estimated, ni)
