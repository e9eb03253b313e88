"""H-CLIC cases that follow the duty sequence of the Homelessness Reduction Act.

A case is assessed as threatened (prevention duty), homeless (relief duty) or owed no duty.
Prevention that ends with the household homeless (or refusing) moves to relief; relief that runs
its 56 days can lead to a main duty decision; households in priority need get temporary
accommodation. Category shares follow MHCLG's England live tables for 2019/20 (metrics.md 10.4);
people coming off the street get worse outcomes and more support needs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from boroughhub.reference import code_list
from boroughhub.synthetic.people import WeightedChoice, between, pick


@dataclass(slots=True)
class Stage:
    start: int
    end: int | None
    end_reason: str | None
    accommodation_secured: str | None
    main_activity: str | None


@dataclass(slots=True)
class MainDuty:
    decision_date: int
    decision: str
    priority_need: str | None
    end: int | None
    end_reason: str | None


@dataclass(slots=True)
class Case:
    application: int
    assessment: int | None
    initial_assessment: str
    s21_notice: bool | None
    reason_loss_of_home: str | None
    accommodation_at_application: str | None
    household_type: str
    support_needs_status: str
    support_needs: list[str]
    referral_source: str | None
    prevention: Stage | None = None
    relief: Stage | None = None
    main_duty: MainDuty | None = None
    placements: list[tuple[int, int | None, str, bool | None]] = field(default_factory=list)


def _w(text: str) -> WeightedChoice:
    """Weights written as 'code share code share ...'."""
    parts = text.split()
    return WeightedChoice({parts[i]: float(parts[i + 1]) for i in range(0, len(parts), 2)})


_ASSESSMENT = {
    "household": _w("threatened_prevention_duty 48.8 homeless_relief_duty 46.0 not_homeless_no_duty 5.2"),
    "pre_street": _w("threatened_prevention_duty 55 homeless_relief_duty 40 not_homeless_no_duty 5"),
    "rough_sleeper": _w("threatened_prevention_duty 5 homeless_relief_duty 93 not_homeless_no_duty 2"),
    "hostel_only": _w("threatened_prevention_duty 30 homeless_relief_duty 65 not_homeless_no_duty 5"),
}
_ACCOMMODATION_RELIEF = _w(
    "no_fixed_abode 24 living_with_family 21.5 prs_self_contained 8 prs_hmo 2 prs_lodging 1.6 living_with_friends 10.5 "
    "srs_council_tenant 4 srs_registered_provider_tenant 4 not_known 4 other 2.2 rough_sleeping 6 institution_custody 3 "
    "institution_general_hospital 1.4 institution_psychiatric_hospital 1 temporary_accommodation 2.4 "
    "nass_accommodation 1.9 refuge 1.6 owner_occupier 1"
)
_ACCOMMODATION_PREVENTION = _w(
    "prs_self_contained 30 prs_hmo 4 living_with_family 25 living_with_friends 8 srs_council_tenant 8 "
    "srs_registered_provider_tenant 8 owner_occupier 2 no_fixed_abode 3 srs_supported_housing_hostel 4 other 3 "
    "not_known 3 nass_accommodation 1.5 institution_custody 0.5"
)
_ACCOMMODATION_PROFILE = {
    "rough_sleeper": _w("rough_sleeping 70 no_fixed_abode 20 living_with_friends 5 institution_custody 3 not_known 2"),
    "pre_street": _w(
        "living_with_family 20 living_with_friends 20 prs_hmo 10 prs_self_contained 12 srs_supported_housing_hostel 8 "
        "nass_accommodation 10 institution_custody 8 institution_general_hospital 2 no_fixed_abode 8 not_known 2"
    ),
}
_REASON = _w(
    "family_friends_no_longer_accommodate 27.7 other 10 not_known 10.8 domestic_abuse 12.5 ast_end_landlord_sell_relet 5 "
    "ast_end_arrears_budgeting 1 ast_end_arrears_benefit_change 1 ast_end_arrears_circumstances 1 ast_end_other 2.4 "
    "relationship_breakdown_non_violent 9.5 supported_housing_eviction_breach 3 supported_housing_eviction_arrears 2.2 "
    "social_tenancy_end_arrears 2 social_tenancy_end_other 1.8 left_institution_no_accommodation 3.4 "
    "other_violence_harassment 2.9 asylum_support_ended 2 non_ast_private_tenancy_end 1.9"
)
_REASON_FOR_ACCOMMODATION = {
    "institution_custody": "left_institution_no_accommodation",
    "institution_general_hospital": "left_institution_no_accommodation",
    "institution_psychiatric_hospital": "left_institution_no_accommodation",
    "nass_accommodation": "asylum_support_ended",
}
_PREVENTION_END = _w(
    "secured_accommodation_stayed 21.4 secured_accommodation_moved 36.9 homeless 19.4 contact_lost 9.4 "
    "elapsed_56_days 7.3 withdrew_or_deceased 4.1 refused_suitable_offer 0.5 refused_to_cooperate 0.5 "
    "no_longer_eligible 0.5 not_known 0.5"
)
_RELIEF_END = _w(
    "secured_accommodation_6_months 39.9 elapsed_56_days 38.2 contact_lost 12 withdrew_or_deceased 5.8 "
    "local_connection_referral_accepted 1.2 intentionally_homeless_from_accommodation_provided 0.5 "
    "refused_final_accommodation 0.8 refused_to_cooperate_notice 0.6 no_longer_eligible 0.5 not_known 0.5"
)
_RELIEF_END_STREET = _w(
    "secured_accommodation_6_months 22 elapsed_56_days 33 contact_lost 30 withdrew_or_deceased 8 "
    "refused_final_accommodation 2 refused_to_cooperate_notice 2 no_longer_eligible 2 not_known 1"
)
_SECURED = _w(
    "prs_self_contained 30 prs_hmo 8 prs_lodging 3 srs_council_tenancy 12 srs_registered_provider_tenancy 14 "
    "srs_supported_housing_hostel 10 staying_with_family 10 staying_with_friends 5 owner_occupier 1 other 4 not_known 3"
)
_DECISION_PRIORITY = _w("owed_main_duty 85 priority_need_intentionally_homeless 8 no_priority_need 5 not_homeless 2")
_DECISION_SINGLE = _w("no_priority_need 75 owed_main_duty 15 priority_need_intentionally_homeless 5 not_homeless 5")
_PRIORITY_FAMILY = _w("dependent_children 90 pregnant 10")
_PRIORITY_SINGLE = _w(
    "vulnerable_mental_health 45 vulnerable_physical_disability_ill_health 25 vulnerable_other 15 "
    "vulnerable_old_age 5 vulnerable_young_applicant 5 vulnerable_domestic_abuse 5"
)
_MAIN_DUTY_END = _w(
    "part6_offer_accepted 45 prs_offer_accepted 20 refused_ta_withdrew_or_lost_contact 15 part6_offer_refused 4 "
    "prs_offer_refused 3 ceased_eligible 2 intentionally_homeless_from_ta 3 voluntarily_ceased_to_occupy_ta 6 not_known 2"
)
_TA_TYPE = _w(
    "nightly_paid_self_contained 30 bed_and_breakfast 12 private_sector_leased 25 la_ha_stock 18 hostel 10 other 5"
)
_REFERRAL = _w(
    "no_referral 72 dtr_adult_secure_estate 2 dtr_national_probation_service 4 dtr_hospital 2 "
    "dtr_mental_health_inpatient 0.5 dtr_jobcentre_plus 1 dtr_adult_social_services 1.5 "
    "dtr_childrens_social_services 1.5 dtr_other_not_known 1.5 agency_referral 8 another_local_authority 3"
)
_NEEDS_GENERAL = (
    ("mental_health", 0.49), ("physical_ill_health_disability", 0.31), ("domestic_abuse", 0.2),
    ("offending_history", 0.165), ("repeat_homelessness", 0.135), ("drug_dependency", 0.125),
    ("rough_sleeping_history", 0.11), ("access_education_employment_training", 0.1), ("young_person_18_25", 0.1),
    ("alcohol_dependency", 0.09), ("learning_disability", 0.06), ("difficulties_budgeting", 0.05),
)
_NEEDS_STREET = (
    ("rough_sleeping_history", 0.7), ("mental_health", 0.6), ("repeat_homelessness", 0.4), ("drug_dependency", 0.4),
    ("alcohol_dependency", 0.35), ("offending_history", 0.3), ("physical_ill_health_disability", 0.3),
)
_PREVENTION_ACTIVITIES = [r["code"] for r in code_list("hclic_activity") if r["prevention"] == "true"]
_RELIEF_ACTIVITIES = [r["code"] for r in code_list("hclic_activity") if r["relief"] == "true"]
_SECURED_PREVENTION = {"secured_accommodation_stayed", "secured_accommodation_moved"}


def _open_if_later(day: int, last: int) -> int | None:
    return day if day <= last else None


def _support(profile: str, rng: random.Random) -> tuple[str, list[str]]:
    street = profile in ("rough_sleeper", "pre_street", "hostel_only")
    roll = rng.random()
    if roll < (0.85 if street else 0.466):
        table = _NEEDS_STREET if street else _NEEDS_GENERAL
        needs = [need for need, rate in table if rng.random() < rate] or [table[0][0]]
        return "one_or_more", needs
    return ("not_known", []) if roll > (0.97 if street else 0.966) else ("none", [])


def draw_case(application: int, last: int, household_type: str, priority: bool, profile: str, rng: random.Random) -> Case:
    """A case applied for on ``application`` (ordinal date), with every stage known by ``last``."""
    assessment_kind = _ASSESSMENT[profile].draw(rng)
    assessed = _open_if_later(application + between(rng, 0, 10), last)
    no_duty = assessment_kind == "not_homeless_no_duty"
    chooser = _ACCOMMODATION_PROFILE.get(profile) or (
        _ACCOMMODATION_PREVENTION if assessment_kind == "threatened_prevention_duty" else _ACCOMMODATION_RELIEF
    )
    accommodation = None if no_duty and rng.random() < 0.6 else chooser.draw(rng)
    reason = None if accommodation is None else _REASON_FOR_ACCOMMODATION.get(accommodation) or _REASON.draw(rng)
    status, needs = _support(profile, rng)
    case = Case(
        application, assessed, assessment_kind, None, reason, accommodation, household_type, status, needs,
        None if rng.random() < 0.03 else _REFERRAL.draw(rng),
    )
    if assessment_kind == "threatened_prevention_duty":
        case.s21_notice = bool(reason and reason.startswith("ast_end") and rng.random() < 0.6)
    elif rng.random() < 0.5:
        case.s21_notice = False
    if no_duty:
        return case
    begin = assessed if assessed is not None else application
    relief_start: int | None = begin
    if assessment_kind == "threatened_prevention_duty":
        relief_start = _prevention(case, begin, last, rng)
    if relief_start is not None:
        _relief_and_main_duty(case, relief_start, last, priority, profile, rng)
    return case


def _prevention(case: Case, begin: int, last: int, rng: random.Random) -> int | None:
    """Adds the prevention stage; returns the relief start date if the case moves to relief."""
    reason = _PREVENTION_END.draw(rng)
    length = {"elapsed_56_days": 56 + between(rng, 0, 40), "homeless": between(rng, 10, 90)}.get(reason, between(rng, 14, 120))
    end = _open_if_later(begin + length, last)
    case.prevention = Stage(
        begin, end, reason if end is not None else None,
        _SECURED.draw(rng) if end is not None and reason in _SECURED_PREVENTION else None,
        pick(rng, _PREVENTION_ACTIVITIES) if rng.random() < 0.9 else None,
    )
    if end is None:
        return None
    moves_on = (reason == "homeless" and rng.random() < 0.9) or (
        reason in ("refused_suitable_offer", "refused_to_cooperate") and rng.random() < 0.5
    )
    return end if moves_on else None


def _relief_and_main_duty(
    case: Case, start: int, last: int, priority: bool, profile: str, rng: random.Random
) -> None:
    reason = (_RELIEF_END_STREET if profile in ("rough_sleeper", "pre_street") else _RELIEF_END).draw(rng)
    length = 56 + between(rng, 0, 25) if reason == "elapsed_56_days" else between(rng, 5, 56)
    end = _open_if_later(start + length, last)
    case.relief = Stage(
        start, end, reason if end is not None else None,
        _SECURED.draw(rng) if end is not None and reason == "secured_accommodation_6_months" else None,
        pick(rng, _RELIEF_ACTIVITIES) if rng.random() < 0.9 else None,
    )
    ta_start = start if priority and rng.random() < 0.7 else None
    ta_end = end
    if end is not None and reason == "elapsed_56_days" and rng.random() < 0.85:
        decided = end + between(rng, 0, 45)
        if decided <= last:
            decision = (_DECISION_PRIORITY if priority else _DECISION_SINGLE).draw(rng)
            needs_priority = decision in ("owed_main_duty", "priority_need_intentionally_homeless")
            duty = MainDuty(
                decided, decision,
                (_PRIORITY_FAMILY if case.household_type != "single_adult" else _PRIORITY_SINGLE).draw(rng)
                if needs_priority else None,
                None, None,
            )
            if decision == "owed_main_duty":
                duty.end = _open_if_later(decided + between(rng, 60, 1400), last)
                duty.end_reason = _MAIN_DUTY_END.draw(rng) if duty.end is not None else None
                if ta_start is None and rng.random() < 0.8:
                    ta_start = decided
                ta_end = duty.end
            case.main_duty = duty
    if ta_start is not None:
        _placements(case, ta_start, ta_end, rng)


def _placements(case: Case, start: int, end: int | None, rng: random.Random) -> None:
    out_of_area = None if rng.random() < 0.1 else rng.random() < 0.3
    if end is not None and end - start > 60 and rng.random() < 0.3:
        move = start + between(rng, 14, end - start - 14)
        case.placements.append((start, move, _TA_TYPE.draw(rng), out_of_area))
        start = move
    case.placements.append((start, end, _TA_TYPE.draw(rng), out_of_area))
