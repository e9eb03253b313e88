"""Row rules across fields and files (``sources.md`` 3-5 "Codes / rule" columns, 6.3-6.5) as SQL.

Each :class:`RowRule` is a ``SELECT`` over the typed staging tables that returns the offending rows
(``line_no``, ``record_key``, ``value``). Placeholders: ``{t}`` is the rule's own table, ``{<table>}``
any other table of the submission, ``{S}``, ``{E}``, ``{X}`` the extract period start and end and
``extracted_on`` as DATE literals. A rule whose tables are not all readable is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from boroughhub.sources.schema import TABLES, Table

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

#: Whole years between a date of birth and an event (metrics.md 3.1).
AGE_MACRO = """
CREATE OR REPLACE TEMP MACRO bh_age(dob, d) AS
    year(d) - year(dob) - CASE WHEN month(d) * 100 + day(d) < month(dob) * 100 + day(dob) THEN 1 ELSE 0 END
"""


@dataclass(frozen=True)
class RowRule:
    table: str
    column: str
    rule: str
    message: str
    sql: str

    def tables_needed(self) -> set[str]:
        return {name for name in _PLACEHOLDER.findall(self.sql) if name in TABLES} | {self.table}


def _where(table: str, column: str, rule: str, condition: str, message: str, *, joins: str = "",
           value: str | None = None) -> RowRule:
    shown = value if value is not None else f"t.{column}"
    sql = f"SELECT t.line_no, t.record_key, {shown} AS value FROM {{t}} t {joins} WHERE {condition}"
    return RowRule(table, column, rule, message, sql)


def _required_if(table: str, column: str, condition: str, message: str) -> list[RowRule]:
    """``column`` is required when ``condition`` holds and must be empty otherwise."""
    return [
        _where(table, column, "conditional_required", f"t.{column} IS NULL AND ({condition})",
               f"Required: {message}."),
        _where(table, column, "conditional_forbidden", f"t.{column} IS NOT NULL AND NOT ({condition})",
               f"Must be empty unless {message}."),
    ]


def _not_before(table: str, column: str, earlier: str, message: str, *, joins: str = "") -> RowRule:
    return _where(table, column, "date_order", f"t.{column} < {earlier}", message, joins=joins)


def generic_rules(table: Table) -> list[RowRule]:
    """Keys, references and the extract period: the rules every file has."""
    name = table.name
    rules: list[RowRule] = []
    key = ", ".join(table.primary_key)
    rules.append(
        _where(
            name,
            table.primary_key[-1] if len(table.primary_key) == 1 else "",
            "duplicate_key",
            "t.record_key IN (SELECT record_key FROM {t} GROUP BY record_key HAVING count(*) > 1)",
            f"The key ({key}) is used by more than one row of the file.",
            value="t.record_key",
        )
    )
    if name in ("hclic_prevention", "hclic_relief", "hclic_main_duty"):
        rules.append(
            _where(name, "case_ref", "cardinality",
                   "case_ref IN (SELECT case_ref FROM {t} GROUP BY case_ref HAVING count(*) > 1)",
                   "A case has at most one row in this file.")
        )
    for fk in table.foreign_keys:
        rules.append(
            _where(
                name,
                fk.column,
                "orphan_reference",
                f"t.{fk.column} IS NOT NULL AND t.{fk.column} NOT IN "
                f"(SELECT {fk.parent_column} FROM {{{fk.parent_table}}} WHERE {fk.parent_column} IS NOT NULL)",
                f"No row of {fk.parent_table}.csv has this {fk.parent_column}.",
            )
        )
    for column in table.date_columns:
        rules.append(
            _where(name, column, "future_date", f"t.{column} > {{X}}",
                   "The date is after the manifest's extracted_on.")
        )
        rules.append(
            _where(name, column, "outside_extract_period", f"t.{column} > {{E}} AND t.{column} <= {{X}}",
                   "The date is after extract_period_end.")
        )
    return rules


def _stay_in_period(table: str, start: str, end: str) -> RowRule:
    return _where(table, start, "outside_extract_period", f"t.{end} IS NOT NULL AND t.{end} < {{S}}",
                  f"The stay ended ({end}) before extract_period_start: it does not overlap the period.",
                  value=f"t.{end}")


def _age_rules(table: str, column: str, people: str, person_key: str, *, plausible: bool) -> list[RowRule]:
    joins = f"JOIN {{{people}}} p ON p.{person_key} = t.{person_key}"
    age = f"bh_age(p.date_of_birth, t.{column})"
    rules = [
        _where(table, column, "impossible_age", f"p.date_of_birth IS NOT NULL AND ({age} < 0 OR {age} > 110)",
               f"The person's age at {column} is below 0 or above 110 (check the date of birth).", joins=joins)
    ]
    if plausible:
        rules.append(
            _where(table, column, "age_implausible", f"p.date_of_birth IS NOT NULL AND ({age} BETWEEN 0 AND 15 "
                   f"OR {age} BETWEEN 91 AND 110)", f"The person is under 16 or over 90 at {column}.", joins=joins)
        )
    return rules


def _overlapping(table: str, person: str, start: str, end: str) -> RowRule:
    other_end = f"coalesce(o.{end}, {{E}})"
    this_end = f"coalesce(t.{end}, {{E}})"
    return _where(
        table, start, "overlapping_stays",
        f"o.stay_id < t.stay_id AND least({this_end}, {other_end}) - greatest(t.{start}, o.{start}) > 1",
        "Overlaps another stay of the same person by more than one day.",
        joins=f"JOIN {{t}} o ON o.{person} = t.{person}",
        value="'overlaps stay ' || o.stay_id",
    )


def _chain_rules() -> list[RowRule]:
    needs = " OR ".join(
        f"t.support_need_{n} IS NOT NULL" for n in ("alcohol", "drugs", "mental_health", "physical_health")
    )
    rules = [
        _where("chain_people", "date_of_birth_estimated", "conditional_forbidden",
               "t.date_of_birth_estimated IS NOT NULL AND t.date_of_birth IS NULL",
               "Must be empty when date_of_birth is empty."),
        *_required_if("chain_people", "support_needs_assessed_date", needs, "a support_need_* column is filled"),
        *_required_if("chain_people", "last_institution_left_date", "t.last_institution_type IS NOT NULL",
                      "last_institution_type is filled"),
        _where("chain_people", "first_name", "no_identifiers",
               "t.first_name IS NULL AND t.last_name IS NULL AND t.other_names IS NULL AND t.date_of_birth IS NULL",
               "No name, other name or date of birth: this person cannot be linked.", value="''"),
        _where("chain_contacts", "bedded_down", "conditional_forbidden",
               "t.bedded_down AND t.contact_type IN (SELECT code FROM bh_ref_chain_contact_type "
               "WHERE outreach <> 'true')",
               "bedded_down may be true only on an outreach contact type.",
               value="t.contact_type"),
        _where("chain_contacts", "contact_date", "outside_extract_period", "t.contact_date < {S}",
               "The contact is before extract_period_start."),
        _not_before("chain_stays", "departure_date", "t.arrival_date", "departure_date is before arrival_date."),
        *_required_if("chain_stays", "departure_reason", "t.departure_date IS NOT NULL", "departure_date is filled"),
        _where("chain_stays", "departure_destination", "conditional_forbidden",
               "t.departure_destination IS NOT NULL AND t.departure_date IS NULL",
               "Must be empty when departure_date is empty."),
        _stay_in_period("chain_stays", "arrival_date", "departure_date"),
        _overlapping("chain_stays", "chain_person_id", "arrival_date", "departure_date"),
    ]
    for column in ("support_needs_assessed_date", "last_institution_left_date"):
        rules.append(
            _where("chain_people", column, "impossible_age",
                   f"t.date_of_birth IS NOT NULL AND (bh_age(t.date_of_birth, t.{column}) < 0 "
                   f"OR bh_age(t.date_of_birth, t.{column}) > 110)",
                   f"The person's age at {column} is below 0 or above 110 (check the date of birth).")
        )
    rules += _age_rules("chain_contacts", "contact_date", "chain_people", "chain_person_id", plausible=True)
    rules += _age_rules("chain_stays", "arrival_date", "chain_people", "chain_person_id", plausible=True)
    return rules


def _inform_rules() -> list[RowRule]:
    referral = "JOIN {inform_referrals} r ON r.referral_id = t.referral_id"
    return [
        *_required_if("inform_referrals", "decision_date", "t.decision <> 'pending'", "decision is not pending"),
        _not_before("inform_referrals", "decision_date", "t.referral_date", "decision_date is before referral_date."),
        _not_before("inform_stays", "move_out_date", "t.move_in_date", "move_out_date is before move_in_date."),
        _not_before("inform_stays", "move_in_date", "r.referral_date",
                    "move_in_date is before the referral_date of the stay's referral.", joins=referral),
        _where("inform_stays", "referral_id", "orphan_reference", "r.inform_client_id <> t.inform_client_id",
               "The referral belongs to another client.", joins=referral),
        *_required_if("inform_stays", "move_out_reason", "t.move_out_date IS NOT NULL", "move_out_date is filled"),
        _where("inform_stays", "move_on_destination", "conditional_forbidden",
               "t.move_on_destination IS NOT NULL AND t.move_out_date IS NULL",
               "Must be empty when move_out_date is empty."),
        _stay_in_period("inform_stays", "move_in_date", "move_out_date"),
        _overlapping("inform_stays", "inform_client_id", "move_in_date", "move_out_date"),
        *_age_rules("inform_referrals", "referral_date", "inform_clients", "inform_client_id", plausible=False),
        *_age_rules("inform_stays", "move_in_date", "inform_clients", "inform_client_id", plausible=True),
    ]


_CASE = "JOIN {hclic_cases} c ON c.case_ref = t.case_ref"
_MAIN_APPLICANT = "t.relationship = 'main_applicant'"
_SECURED_PREVENTION = "('secured_accommodation_stayed', 'secured_accommodation_moved')"
_RELIEF_AFTER_PREVENTION = "('homeless', 'refused_suitable_offer', 'refused_to_cooperate')"


def _hclic_case_rules() -> list[RowRule]:
    applicants = "(SELECT count(*) FROM {hclic_people} p WHERE p.case_ref = t.case_ref AND p.relationship = 'main_applicant')"
    return [
        _not_before("hclic_cases", "assessment_date", "t.application_date", "assessment_date is before application_date."),
        _where("hclic_cases", "s21_notice", "conditional_forbidden",
               "t.s21_notice AND t.initial_assessment <> 'threatened_prevention_duty'",
               "s21_notice may be true only when initial_assessment is threatened_prevention_duty."),
        *[
            _where("hclic_cases", column, "conditional_required",
                   f"t.{column} IS NULL AND t.initial_assessment <> 'not_homeless_no_duty'",
                   "Required unless initial_assessment is not_homeless_no_duty.")
            for column in ("reason_loss_of_home", "accommodation_at_application")
        ],
        _where("hclic_cases", "", "cardinality", f"{applicants} <> 1",
               "A case needs exactly one main_applicant in hclic_people.csv.",
               value=f"{applicants} || ' main applicants'"),
        _where("hclic_cases", "support_needs_status", "cardinality",
               "t.support_needs_status = 'one_or_more' AND t.case_ref NOT IN "
               "(SELECT case_ref FROM {hclic_support_needs})",
               "support_needs_status is one_or_more but hclic_support_needs.csv has no row for the case."),
        _where("hclic_support_needs", "case_ref", "cardinality",
               "c.support_needs_status IN ('none', 'not_known')",
               "The case's support_needs_status says it has no recorded needs.", joins=_CASE,
               value="c.support_needs_status"),
        *[
            _where("hclic_people", column, "conditional_required", f"t.{column} IS NULL AND {_MAIN_APPLICANT}",
                   "Required for the main applicant.")
            for column in ("first_name", "last_name", "date_of_birth")
        ],
        *[
            _where("hclic_people", column, "conditional_forbidden", f"t.{column} IS NOT NULL AND NOT {_MAIN_APPLICANT}",
                   "Recorded for the main applicant only.")
            for column in ("employment_status", "eligibility", "sexual_identification")
        ],
        _where("hclic_people", "date_of_birth", "impossible_age",
               "t.date_of_birth IS NOT NULL AND (bh_age(t.date_of_birth, c.application_date) NOT BETWEEN 0 AND 110 "
               f"OR ({_MAIN_APPLICANT} AND bh_age(t.date_of_birth, c.application_date) < 16))",
               "Age at application_date is below 0 or above 110, or the main applicant is under 16.", joins=_CASE),
    ]


def _hclic_duty_rules() -> list[RowRule]:
    prevention = "LEFT JOIN {hclic_prevention} p ON p.case_ref = t.case_ref"
    relief = "LEFT JOIN {hclic_relief} r ON r.case_ref = t.case_ref"
    return [
        _not_before("hclic_prevention", "prevention_start_date", "c.application_date",
                    "prevention_start_date is before the case's application_date.", joins=_CASE),
        _not_before("hclic_prevention", "prevention_end_date", "t.prevention_start_date",
                    "prevention_end_date is before prevention_start_date."),
        *_required_if("hclic_prevention", "prevention_end_reason", "t.prevention_end_date IS NOT NULL",
                      "prevention_end_date is filled"),
        *_required_if("hclic_prevention", "accommodation_secured",
                      f"t.prevention_end_reason IN {_SECURED_PREVENTION}",
                      "prevention_end_reason is a secured-accommodation reason"),
        _where("hclic_prevention", "case_ref", "conditional_forbidden",
               "c.initial_assessment <> 'threatened_prevention_duty'",
               "A prevention row is allowed only when initial_assessment is threatened_prevention_duty.",
               joins=_CASE, value="c.initial_assessment"),
        _not_before("hclic_relief", "relief_start_date", "c.application_date",
                    "relief_start_date is before the case's application_date.", joins=_CASE),
        _not_before("hclic_relief", "relief_start_date", "p.prevention_start_date",
                    "relief_start_date is before the case's prevention_start_date.", joins=prevention),
        _not_before("hclic_relief", "relief_end_date", "t.relief_start_date", "relief_end_date is before relief_start_date."),
        *_required_if("hclic_relief", "relief_end_reason", "t.relief_end_date IS NOT NULL", "relief_end_date is filled"),
        *_required_if("hclic_relief", "accommodation_secured", "t.relief_end_reason = 'secured_accommodation_6_months'",
                      "relief_end_reason is secured_accommodation_6_months"),
        _where("hclic_relief", "case_ref", "conditional_forbidden",
               f"c.initial_assessment <> 'homeless_relief_duty' AND coalesce(p.prevention_end_reason, '') "
               f"NOT IN {_RELIEF_AFTER_PREVENTION}",
               "A relief row needs initial_assessment homeless_relief_duty, or a prevention duty that ended "
               "homeless, refused_suitable_offer or refused_to_cooperate.",
               joins=f"{_CASE} {prevention}", value="c.initial_assessment"),
        _not_before("hclic_main_duty", "decision_date", "r.relief_start_date",
                    "decision_date is before the case's relief_start_date.", joins=relief),
        *_required_if("hclic_main_duty", "priority_need",
                      "t.decision IN ('owed_main_duty', 'priority_need_intentionally_homeless')",
                      "decision is owed_main_duty or priority_need_intentionally_homeless"),
        _where("hclic_main_duty", "main_duty_end_date", "conditional_forbidden",
               "t.main_duty_end_date IS NOT NULL AND t.decision <> 'owed_main_duty'",
               "main_duty_end_date is allowed only when decision is owed_main_duty."),
        _not_before("hclic_main_duty", "main_duty_end_date", "t.decision_date",
                    "main_duty_end_date is before decision_date."),
        *_required_if("hclic_main_duty", "main_duty_end_reason", "t.main_duty_end_date IS NOT NULL",
                      "main_duty_end_date is filled"),
        _where("hclic_main_duty", "case_ref", "conditional_forbidden",
               "coalesce(r.relief_end_reason, '') <> 'elapsed_56_days'",
               "A main duty row needs a relief row that ended elapsed_56_days.", joins=relief,
               value="r.relief_end_reason"),
        _not_before("hclic_temporary_accommodation", "placement_start_date", "c.application_date",
                    "placement_start_date is before the case's application_date.", joins=_CASE),
        _not_before("hclic_temporary_accommodation", "placement_end_date", "t.placement_start_date",
                    "placement_end_date is before placement_start_date."),
        _stay_in_period("hclic_temporary_accommodation", "placement_start_date", "placement_end_date"),
    ]


def rules_for(table: Table) -> list[RowRule]:
    """Every row rule whose offending rows are reported in ``table``'s file."""
    specific = [r for r in (*_chain_rules(), *_inform_rules(), *_hclic_case_rules(), *_hclic_duty_rules())
                if r.table == table.name]
    return generic_rules(table) + specific
