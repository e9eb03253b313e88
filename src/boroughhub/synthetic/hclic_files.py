"""H-CLIC extracts: one submission per council, with the identifiers of every household member.

Most of a council's cases are households that never sleep rough (families, single people);
they are made here, per council, and forgotten once written, so memory stays bounded at any scale.
The approaches of people the world knows (before their first night, while on the street, from a
hostel) come from ``World.case_seeds``. About 7% of households approach the same council again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from boroughhub.synthetic.hclic_cases import Case, draw_case
from boroughhub.synthetic.identifiers import HCLIC_QUALITY, record_identity
from boroughhub.synthetic.people import (
    Person,
    WeightedChoice,
    between,
    date_of_birth_for_age,
    draw_identity,
    pick,
)
from boroughhub.synthetic.submission import SubmissionSummary, SubmissionWriter, cell, day
from boroughhub.synthetic.targets import HCLIC_HOUSEHOLDS_PER_YEAR, HOUSEHOLD_NATIONALITY_WEIGHTS
from boroughhub.synthetic.truth import TruthWriter
from boroughhub.synthetic.world import LOCAL_AUTHORITIES, World

REPEAT_APPROACH_RATE = 0.07
# Councils with more homelessness applications than the London average (our estimate).
COUNCIL_WEIGHTS: dict[str, float] = {
    "E09000025": 2.0, "E09000008": 1.7, "E09000010": 1.6, "E09000014": 1.5, "E09000005": 1.5, "E09000033": 1.4,
    "E09000022": 1.3, "E09000028": 1.3, "E09000012": 1.3, "E09000030": 1.3, "E09000023": 1.2, "E09000031": 1.2,
    "E09000001": 0.1, "E09000027": 0.6, "E09000021": 0.6, "E09000029": 0.6, "E09000015": 0.7, "E09000004": 0.7,
}
_HOUSEHOLD = WeightedChoice({
    "single_adult": 50, "single_parent_with_children": 25, "couple_with_children": 13, "couple_without_children": 6,
    "three_plus_adults_with_children": 3, "three_plus_adults_without_children": 2, "not_known": 1,
})
_APPLICANT_AGE = ((16, 17, 1.1), (18, 24, 20.0), (25, 34, 30.5), (35, 44, 22.9), (45, 54, 14.4), (55, 64, 7.1),
                  (65, 74, 2.4), (75, 90, 1.1))
_AGE_BAND = WeightedChoice({f"{lo}-{hi}": share for lo, hi, share in _APPLICANT_AGE})
_EMPLOYMENT = WeightedChoice({
    "full_time": 12, "part_time": 10, "student_training": 2, "registered_unemployed": 30,
    "not_registered_seeking_work": 8, "not_seeking_work_at_home": 15, "long_term_illness_disability": 15,
    "retired": 3, "other": 5,
})
_SEXUAL = WeightedChoice({"heterosexual": 85, "gay_lesbian": 3, "other": 1, "prefer_not_to_say": 8})
_EEA = ("eea_worker", "eea_permanent_right_to_reside", "eea_family_member", "eea_self_employed", "eea_other")
_NON_EEA = ("non_eea_indefinite_leave", "non_eea_limited_leave", "non_eea_refugee", "non_eea_exceptional_leave",
            "non_eea_other_protection")
_EU = {"ROU", "POL", "IRL", "LTU", "BGR", "PRT", "ITA", "LVA", "HUN", "ESP", "SVK", "CZE", "FRA", "DEU"}


@dataclass(slots=True)
class Household:
    members: list[tuple[Person, str]]  # (person, relationship); the main applicant first
    household_type: str
    priority: bool
    profile: str


def households_per_year(council: str, scale: float) -> float:
    total = sum(COUNCIL_WEIGHTS.get(c, 1.0) for c in LOCAL_AUTHORITIES)
    return HCLIC_HOUSEHOLDS_PER_YEAR * scale * COUNCIL_WEIGHTS.get(council, 1.0) / total


class HouseholdMaker:
    def __init__(self, council: str, rng: random.Random) -> None:
        self.council, self.rng, self.number = council, rng, 0
        self.nationalities = WeightedChoice(HOUSEHOLD_NATIONALITY_WEIGHTS)

    def _person_id(self) -> str:
        self.number += 1
        return f"H{self.council[-3:]}{self.number:07d}"

    def make(self, applied: int) -> Household:
        rng = self.rng
        on = date.fromordinal(applied)
        kind = _HOUSEHOLD.draw(rng)
        low, high = (int(x) for x in _AGE_BAND.draw(rng).split("-"))
        age = between(rng, low, high)
        parent_gender = "female" if kind == "single_parent_with_children" and rng.random() < 0.9 else (
            "male" if rng.random() < 0.6 else "female")
        nationality = self.nationalities.draw(rng)
        main = draw_identity(self._person_id(), "household", nationality, parent_gender,
                             date_of_birth_for_age(age, on, rng), rng)
        members = [(main, "main_applicant")]
        if kind.startswith("couple") or kind.startswith("three_plus"):
            partner_gender = "female" if parent_gender == "male" else "male"
            partner_age = max(18, age + between(rng, -6, 6))
            partner = draw_identity(self._person_id(), "household", nationality, partner_gender,
                                    date_of_birth_for_age(partner_age, on, rng), rng,
                                    last_name=main.last_name if rng.random() < 0.6 else None)
            members.append((partner, "partner"))
        if kind.startswith("three_plus"):
            for _ in range(between(rng, 1, 2)):
                other = draw_identity(self._person_id(), "household", nationality, pick(rng, ("male", "female")),
                                      date_of_birth_for_age(between(rng, 18, 70), on, rng), rng,
                                      last_name=main.last_name if rng.random() < 0.5 else None)
                members.append((other, "other_adult"))
        if kind.endswith("with_children"):
            members += self._children(main, age, on)
        priority = kind.endswith("with_children") or rng.random() < 0.15
        return Household(members, kind, priority, "household")

    def _children(self, parent: Person, parent_age: int, on: date) -> list[tuple[Person, str]]:
        rng = self.rng
        children: list[tuple[Person, str]] = []
        count = rng.choices((1, 2, 3, 4), weights=(45, 32, 15, 8))[0]
        oldest = max(0, min(17, parent_age - 16))
        for k in range(count):
            twin = k > 0 and rng.random() < 0.03  # twins: same surname, same date of birth
            surname: str | None
            if twin:
                dob, surname = children[-1][0].date_of_birth, children[-1][0].last_name
            else:
                dob = min(on, date_of_birth_for_age(between(rng, 0, oldest), on, rng))
                surname = parent.last_name if rng.random() < 0.85 else None
            child = draw_identity(self._person_id(), "household", parent.nationality, pick(rng, ("male", "female")),
                                  dob, rng, last_name=surname)
            child.ni_number = None
            if twin:
                child.twin_of = children[-1][0].person_id
            children.append((child, "child"))
        return children


def write_hclic(world: World, council: str, out_dir: Path, seed: int, scale: float, truth: TruthWriter) -> SubmissionSummary:
    rng = random.Random(f"{seed}:hclic:{council}")
    start, end = world.start.toordinal(), world.end.toordinal()
    maker = HouseholdMaker(council, rng)
    planned: list[tuple[int, int, Household]] = []
    for seed_case in world.case_seeds.get(council, []):
        profile = seed_case.profile
        priority = rng.random() < (0.25 if profile == "rough_sleeper" else 0.15)
        household = Household([(seed_case.person, "main_applicant")], "single_adult", priority, profile)
        planned.append((seed_case.application, len(planned), household))
    for _ in range(round(households_per_year(council, scale) * (end - start + 1) / 365.25)):
        applied = between(rng, start, end)
        household = maker.make(applied)
        planned.append((applied, len(planned), household))
        if rng.random() < REPEAT_APPROACH_RATE and applied + 60 <= end:
            planned.append((between(rng, applied + 60, min(end, applied + 900)), len(planned), household))
    planned.sort(key=lambda item: (item[0], item[1]))
    written: set[str] = set()
    person_number = 0
    with SubmissionWriter(out_dir, "hclic", council, world.start, world.end) as files:
        for number, (applied, _, household) in enumerate(planned, start=1):
            case_ref = f"HC{number:07d}"
            case = draw_case(applied, end, household.household_type, household.priority, household.profile, rng)
            _write_case(files, case_ref, case)
            for person, relationship in household.members:
                person_number += 1
                person_ref = f"HP{person_number:07d}"
                files.write("hclic_people", _person_row(person_ref, case_ref, person, relationship, applied, rng))
                truth.record("hclic", council, "hclic_people", person_ref, person.person_id)
                if person.kind == "household" and person.person_id not in written:
                    written.add(person.person_id)
                    truth.person(person)
        return files.close()


def _write_case(files: SubmissionWriter, case_ref: str, case: Case) -> None:
    files.write("hclic_cases", (
        case_ref, day(case.application), day(case.assessment), case.initial_assessment, cell(case.s21_notice),
        case.reason_loss_of_home or "", case.accommodation_at_application or "", case.household_type,
        case.support_needs_status, case.referral_source or "",
    ))
    for need in case.support_needs:
        files.write("hclic_support_needs", (case_ref, need))
    for table, stage in (("hclic_prevention", case.prevention), ("hclic_relief", case.relief)):
        if stage is not None:
            files.write(table, (
                case_ref, day(stage.start), day(stage.end), stage.end_reason or "", stage.accommodation_secured or "",
                stage.main_activity or "",
            ))
    duty = case.main_duty
    if duty is not None:
        files.write("hclic_main_duty", (
            case_ref, day(duty.decision_date), duty.decision, duty.priority_need or "", day(duty.end),
            duty.end_reason or "",
        ))
    for k, (begin, finish, ta_type, out_of_area) in enumerate(case.placements, start=1):
        files.write("hclic_temporary_accommodation", (
            f"{case_ref}-T{k}", case_ref, day(begin), day(finish), ta_type, cell(out_of_area),
        ))


def _eligibility(nationality: str, rng: random.Random) -> str:
    if nationality == "GBR":
        return "uk_national"
    return pick(rng, _EEA if nationality in _EU else _NON_EEA)


def _person_row(
    person_ref: str, case_ref: str, person: Person, relationship: str, applied: int, rng: random.Random
) -> tuple[str, ...]:
    main = relationship == "main_applicant"
    identity = record_identity(person, HCLIC_QUALITY, rng, names_required=True, dob_required=main)
    dob = identity.date_of_birth
    if not main and rng.random() < 0.03:
        dob = None
    if dob is not None and (dob.toordinal() > applied or (main and _age(dob, applied) < 16)):
        dob = person.date_of_birth  # a recording slip may not make the applicant a child
    adult = relationship != "child"
    ni = identity.ni_number if main or (adult and rng.random() < 0.67) else ""
    return (
        person_ref, case_ref, relationship, identity.first_name, identity.last_name, cell(dob), ni,
        person.gender if rng.random() < 0.99 else "", person.ethnicity if rng.random() < 0.9 else "",
        person.nationality if rng.random() < 0.92 else "",
        _EMPLOYMENT.draw(rng) if main and rng.random() < 0.85 else "",
        _eligibility(person.nationality, rng) if main and rng.random() < 0.9 else "",
        _SEXUAL.draw(rng) if main and rng.random() < 0.6 else "",
    )


def _age(born: date, on_ordinal: int) -> int:
    on = date.fromordinal(on_ordinal)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
