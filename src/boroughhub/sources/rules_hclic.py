"""Row rules of H-CLIC files (``sources.md`` 5, the duty sequence, and 6.4-6.5)."""

from __future__ import annotations

from boroughhub.sources.row_rule import RowRule, not_before, required_if, stay_in_period, where

_CASE = "JOIN {hclic_cases} c ON c.case_ref = t.case_ref"
_MAIN_APPLICANT = "t.relationship = 'main_applicant'"
_SECURED_PREVENTION = "('secured_accommodation_stayed', 'secured_accommodation_moved')"
_RELIEF_AFTER_PREVENTION = "('homeless', 'refused_suitable_offer', 'refused_to_cooperate')"


def hclic_case_rules() -> list[RowRule]:
    applicants = "(SELECT count(*) FROM {hclic_people} p WHERE p.case_ref = t.case_ref AND p.relationship = 'main_applicant')"
    return [
        not_before(
            "hclic_cases",
            "assessment_date",
            "t.application_date",
            "assessment_date is before application_date.",
        ),
        where(
            "hclic_cases",
            "s21_notice",
            "conditional_forbidden",
            "t.s21_notice AND t.initial_assessment <> 'threatened_prevention_duty'",
            "s21_notice may be true only when initial_assessment is threatened_prevention_duty.",
        ),
        *[
            where(
                "hclic_cases",
                column,
                "conditional_required",
                f"t.{column} IS NULL AND t.initial_assessment <> 'not_homeless_no_duty'",
                "Required unless initial_assessment is not_homeless_no_duty.",
            )
            for column in ("reason_loss_of_home", "accommodation_at_application")
        ],
        where(
            "hclic_cases",
            "",
            "cardinality",
            f"{applicants} <> 1",
            "A case needs exactly one main_applicant in hclic_people.csv.",
            value=f"{applicants} || ' main applicants'",
        ),
        where(
            "hclic_cases",
            "support_needs_status",
            "cardinality",
            "t.support_needs_status = 'one_or_more' AND t.case_ref NOT IN "
            "(SELECT case_ref FROM {hclic_support_needs})",
            "support_needs_status is one_or_more but hclic_support_needs.csv has no row for the case.",
        ),
        where(
            "hclic_support_needs",
            "case_ref",
            "cardinality",
            "c.support_needs_status IN ('none', 'not_known')",
            "The case's support_needs_status says it has no recorded needs.",
            joins=_CASE,
            value="c.support_needs_status",
        ),
        *[
            where(
                "hclic_people",
                column,
                "conditional_required",
                f"t.{column} IS NULL AND {_MAIN_APPLICANT}",
                "Required for the main applicant.",
            )
            for column in ("first_name", "last_name", "date_of_birth")
        ],
        *[
            where(
                "hclic_people",
                column,
                "conditional_forbidden",
                f"t.{column} IS NOT NULL AND NOT {_MAIN_APPLICANT}",
                "Recorded for the main applicant only.",
            )
            for column in ("employment_status", "eligibility", "sexual_identification")
        ],
        where(
            "hclic_people",
            "date_of_birth",
            "impossible_age",
            "t.date_of_birth IS NOT NULL AND (bh_age(t.date_of_birth, c.application_date) NOT BETWEEN 0 AND 110 "
            f"OR ({_MAIN_APPLICANT} AND bh_age(t.date_of_birth, c.application_date) < 16))",
            "Age at application_date is below 0 or above 110, or the main applicant is under 16.",
            joins=_CASE,
        ),
    ]


def hclic_duty_rules() -> list[RowRule]:
    prevention = "LEFT JOIN {hclic_prevention} p ON p.case_ref = t.case_ref"
    relief = "LEFT JOIN {hclic_relief} r ON r.case_ref = t.case_ref"
    return [
        not_before(
            "hclic_prevention",
            "prevention_start_date",
            "c.application_date",
            "prevention_start_date is before the case's application_date.",
            joins=_CASE,
        ),
        not_before(
            "hclic_prevention",
            "prevention_end_date",
            "t.prevention_start_date",
            "prevention_end_date is before prevention_start_date.",
        ),
        *required_if(
            "hclic_prevention",
            "prevention_end_reason",
            "t.prevention_end_date IS NOT NULL",
            "prevention_end_date is filled",
        ),
        *required_if(
            "hclic_prevention",
            "accommodation_secured",
            f"t.prevention_end_reason IN {_SECURED_PREVENTION}",
            "prevention_end_reason is a secured-accommodation reason",
        ),
        where(
            "hclic_prevention",
            "case_ref",
            "conditional_forbidden",
            "c.initial_assessment <> 'threatened_prevention_duty'",
            "A prevention row is allowed only when initial_assessment is threatened_prevention_duty.",
            joins=_CASE,
            value="c.initial_assessment",
        ),
        not_before(
            "hclic_relief",
            "relief_start_date",
            "c.application_date",
            "relief_start_date is before the case's application_date.",
            joins=_CASE,
        ),
        not_before(
            "hclic_relief",
            "relief_start_date",
            "p.prevention_start_date",
            "relief_start_date is before the case's prevention_start_date.",
            joins=prevention,
        ),
        not_before(
            "hclic_relief",
            "relief_end_date",
            "t.relief_start_date",
            "relief_end_date is before relief_start_date.",
        ),
        *required_if(
            "hclic_relief", "relief_end_reason", "t.relief_end_date IS NOT NULL", "relief_end_date is filled"
        ),
        *required_if(
            "hclic_relief",
            "accommodation_secured",
            "t.relief_end_reason = 'secured_accommodation_6_months'",
            "relief_end_reason is secured_accommodation_6_months",
        ),
        where(
            "hclic_relief",
            "case_ref",
            "conditional_forbidden",
            f"c.initial_assessment <> 'homeless_relief_duty' AND coalesce(p.prevention_end_reason, '') "
            f"NOT IN {_RELIEF_AFTER_PREVENTION}",
            "A relief row needs initial_assessment homeless_relief_duty, or a prevention duty that ended "
            "homeless, refused_suitable_offer or refused_to_cooperate.",
            joins=f"{_CASE} {prevention}",
            value="c.initial_assessment",
        ),
        not_before(
            "hclic_main_duty",
            "decision_date",
            "r.relief_start_date",
            "decision_date is before the case's relief_start_date.",
            joins=relief,
        ),
        *required_if(
            "hclic_main_duty",
            "priority_need",
            "t.decision IN ('owed_main_duty', 'priority_need_intentionally_homeless')",
            "decision is owed_main_duty or priority_need_intentionally_homeless",
        ),
        where(
            "hclic_main_duty",
            "main_duty_end_date",
            "conditional_forbidden",
            "t.main_duty_end_date IS NOT NULL AND t.decision <> 'owed_main_duty'",
            "main_duty_end_date is allowed only when decision is owed_main_duty.",
        ),
        not_before(
            "hclic_main_duty",
            "main_duty_end_date",
            "t.decision_date",
            "main_duty_end_date is before decision_date.",
        ),
        *required_if(
            "hclic_main_duty",
            "main_duty_end_reason",
            "t.main_duty_end_date IS NOT NULL",
            "main_duty_end_date is filled",
        ),
        where(
            "hclic_main_duty",
            "case_ref",
            "conditional_forbidden",
            "coalesce(r.relief_end_reason, '') <> 'elapsed_56_days'",
            "A main duty row needs a relief row that ended elapsed_56_days.",
            joins=relief,
            value="r.relief_end_reason",
        ),
        not_before(
            "hclic_temporary_accommodation",
            "placement_start_date",
            "c.application_date",
            "placement_start_date is before the case's application_date.",
            joins=_CASE,
        ),
        not_before(
            "hclic_temporary_accommodation",
            "placement_end_date",
            "t.placement_start_date",
            "placement_end_date is before placement_start_date.",
        ),
        stay_in_period("hclic_temporary_accommodation", "placement_start_date", "placement_end_date"),
    ]
