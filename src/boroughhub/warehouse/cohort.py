"""The agreement's cohort rules (``data_subjects.cohort_rules``), applied at upload beside the age rules.

Each rule the agreement names for the uploaded source keeps only the people it describes; everyone else
is deleted from the staging tables with every row that refers to them, before the load's transaction, so
nothing of them reaches the warehouse. The words of each rule are the agreements room's
(``agreements/cohort_rules.py``); what each one selects, source by source, is here, as one query per rule
and source (a test checks that the two lists match). Rules for other sources are not this upload's.

A rule the hub cannot apply (a code it does not know, a rule that means nothing for this source, or an
entry it cannot read) never fails the upload with an error page: the upload is refused with a report
line naming the rule, because loading records the agreement may not cover would break the agreement
(docs/decisions/0170-cohort-rules-closed-vocabulary.md). Validation stops such rules before anyone signs;
this is for content that bypassed it.

Plain Python: works on the typed staging tables validation leaves on the warehouse connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import duckdb

from boroughhub.sources import PERSON_TABLES, tables_of
from boroughhub.warehouse.subjects import CohortRule, LeftOut, leave_out_rows, row_key


@dataclass(frozen=True)
class CohortQuery:
    """Who a rule leaves out: rows of ``table`` (aliased ``me``) matching ``outside`` (SQL; ``$start`` and
    ``$end`` are the extract period), and how the report says why ("with no CHAIN contact in the extract
    period")."""

    table: str
    outside: str
    because: str


Staged = Mapping[str, str]

_IN_PERIOD = "BETWEEN $start AND $end"
_ADULT = 18


def _age_under_18(date_column: str) -> str:
    return f"date_of_birth IS NOT NULL AND date_sub('year', date_of_birth, {date_column}) < {_ADULT}"


def _chain_active(t: Staged) -> CohortQuery:
    return CohortQuery("chain_people", f"chain_person_id NOT IN (SELECT chain_person_id FROM {t['chain_contacts']} "
                                       f"WHERE contact_date {_IN_PERIOD})",
                       "with no CHAIN contact in the extract period")


def _chain_bedded_down(t: Staged) -> CohortQuery:
    return CohortQuery("chain_people", f"chain_person_id NOT IN (SELECT chain_person_id FROM {t['chain_contacts']} "
                                       f"WHERE bedded_down AND contact_date {_IN_PERIOD})",
                       "not seen bedded down in the extract period")


def _chain_adult(t: Staged) -> CohortQuery:
    first = (f"(SELECT min(contact_date) FROM {t['chain_contacts']} c "
             "WHERE c.chain_person_id = me.chain_person_id)")
    return CohortQuery("chain_people", _age_under_18(first), "under 18 at their first CHAIN contact")


def _inform_active(t: Staged) -> CohortQuery:
    return CohortQuery("inform_clients", f"inform_client_id NOT IN (SELECT inform_client_id FROM {t['inform_stays']} "
                                         "WHERE move_in_date <= $end AND (move_out_date IS NULL OR move_out_date >= $start))",
                       "with no InForm stay in the extract period")


def _inform_adult(t: Staged) -> CohortQuery:
    me = "me.inform_client_id"
    first = (f"least((SELECT min(referral_date) FROM {t['inform_referrals']} r WHERE r.inform_client_id = {me}), "
             f"(SELECT min(move_in_date) FROM {t['inform_stays']} s WHERE s.inform_client_id = {me}))")
    return CohortQuery("inform_clients", _age_under_18(first), "under 18 at their first InForm referral or stay")


def _hclic_open(t: Staged) -> CohortQuery:
    running = " OR ".join((
        "application_date >= $start",
        f"case_ref IN (SELECT case_ref FROM {t['hclic_prevention']} "
        "WHERE prevention_end_date IS NULL OR prevention_end_date >= $start)",
        f"case_ref IN (SELECT case_ref FROM {t['hclic_relief']} WHERE relief_end_date IS NULL OR relief_end_date >= $start)",
        f"case_ref IN (SELECT case_ref FROM {t['hclic_main_duty']} WHERE decision_date >= $start OR "
        "(decision = 'owed_main_duty' AND (main_duty_end_date IS NULL OR main_duty_end_date >= $start)))",
        f"case_ref IN (SELECT case_ref FROM {t['hclic_temporary_accommodation']} "
        "WHERE placement_end_date IS NULL OR placement_end_date >= $start)",
    ))
    return CohortQuery("hclic_cases", f"NOT ({running})", "whose H-CLIC case was not open in the extract period")


def _hclic_duty(t: Staged) -> CohortQuery:
    return CohortQuery("hclic_cases",
                       "initial_assessment NOT IN ('threatened_prevention_duty', 'homeless_relief_duty')",
                       "whose H-CLIC case was not owed a prevention or relief duty")


def _hclic_main_applicants(t: Staged) -> CohortQuery:
    return CohortQuery("hclic_people", "relationship <> 'main_applicant'",
                       "other than the main applicant of their H-CLIC case")


def _hclic_adult(t: Staged) -> CohortQuery:
    applied = (f"(SELECT application_date FROM {t['hclic_cases']} c "
               "WHERE c.case_ref = me.case_ref)")
    return CohortQuery("hclic_people", _age_under_18(applied), "under 18 on their H-CLIC case's application date")


#: (rule code, source) -> its query. The codes and sources are exactly the agreements vocabulary's.
COHORT_QUERIES: Mapping[tuple[str, str], Callable[[Staged], CohortQuery]] = {
    ("active_in_period", "chain"): _chain_active,
    ("active_in_period", "inform"): _inform_active,
    ("active_in_period", "hclic"): _hclic_open,
    ("seen_bedded_down", "chain"): _chain_bedded_down,
    ("owed_prevention_or_relief_duty", "hclic"): _hclic_duty,
    ("main_applicants_only", "hclic"): _hclic_main_applicants,
    ("adult_at_first_contact", "chain"): _chain_adult,
    ("adult_at_first_contact", "inform"): _inform_adult,
    ("adult_at_first_contact", "hclic"): _hclic_adult,
}


@dataclass
class CohortOutcome:
    """What the cohort rules did to one upload: who was left out under which rule, and the report's
    sentences; ``cannot_apply`` holds a sentence per rule the hub could not apply (nothing is loaded)."""

    left_out: list[LeftOut] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cannot_apply: list[str] = field(default_factory=list)


def leave_out_outside_cohort(
    con: duckdb.DuckDBPyConnection,
    source: str,
    staged: Staged,
    rules: tuple[CohortRule, ...],
    period: tuple[dt.date, dt.date],
    cited: str = "",
) -> CohortOutcome:
    """Apply, in the agreement's order, the cohort rules for ``source`` to its staging tables.

    A person left out by an earlier rule is not counted again by a later one. When any rule for this
    source (or any rule without a readable dataset) cannot be applied, nothing is deleted.
    """
    outcome = CohortOutcome(cannot_apply=cohort_rules_not_applicable(source, staged, rules, cited))
    if outcome.cannot_apply:
        return outcome
    mine = [r for r in rules if r.dataset == source]
    tables = [t for t in tables_of(source) if t.name in staged]
    start, end = period
    for rule in mine:
        query = COHORT_QUERIES[(rule.rule, source)](staged)
        table = next(t for t in tables if t.name == query.table)
        # DuckDB refuses parameters a statement does not use: pass only the period's ends it names.
        used = {name: value for name, value in (("start", start), ("end", end)) if f"${name}" in query.outside}
        rows = con.execute(f"SELECT {row_key(table)} FROM {staged[table.name]} AS me WHERE {query.outside}",
                           used).fetchall()
        if not rows:
            continue
        gone = {table.name: {str(r[0]) for r in rows}}
        counts = leave_out_rows(con, tables, staged, gone)
        people = sum(len(keys) for name, keys in gone.items() if name in PERSON_TABLES)
        left = LeftOut(f"cohort:{rule.rule}", people, sum(counts.values()), counts)
        outcome.left_out.append(left)
        outcome.notes.append(_sentence(left, query, rule, cited))
    return outcome


def cohort_rules_not_applicable(source: str, staged: Staged, rules: tuple[CohortRule, ...],
                                cited: str = "") -> list[str]:
    """A report sentence for each rule for ``source`` (or with no readable dataset) the hub cannot apply."""
    complete = all(t.name in staged for t in tables_of(source))
    return [_cannot_apply(rule, source, cited) for rule in rules
            if not rule.dataset  # unreadable: it may be this source's, so it cannot be ignored
            or (rule.dataset == source and ((rule.rule, source) not in COHORT_QUERIES or not complete))]


def _sentence(left: LeftOut, query: CohortQuery, rule: CohortRule, cited: str) -> str:
    people = f"{left.people:,} {'person' if left.people == 1 else 'people'}"
    verb = "was" if left.people == 1 else "were"
    rows = f"{left.rows:,} {'row' if left.rows == 1 else 'rows'}"
    files = ", ".join(f"{count:,} in {name}" for name, count in sorted(left.rows_by_file.items()))
    source = f" ({cited})" if cited else ""
    return (f"{people} {query.because} {verb} left out, with {rows} ({files}): the agreement{source} keeps "
            f"{rule.dataset} to its cohort rule {rule.rule}.")


def _cannot_apply(rule: CohortRule, source: str, cited: str) -> str:
    what = f"“{rule.rule}” for {rule.dataset}" if rule.dataset else f"“{rule.rule}”"
    agreement = f"The agreement ({cited})" if cited else "The agreement"
    return (f"{agreement} has the cohort rule {what}, which the hub cannot apply to {source} records, so nothing "
            "was loaded. Ask the agreement's lead party to correct data_subjects.cohort_rules in a new version, "
            "or the hub's data managers to check the agreement.")
