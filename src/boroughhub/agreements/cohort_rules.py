"""Cohort rules: who the shared records may be about, as a closed list the hub applies at upload.

``data_subjects.cohort_rules`` (amendment B of docs/agreements-accession.md) is an optional list of
``{"dataset": ID, "rule": CODE}``. Each rule names the source dataset it applies to and keeps, of that
dataset's records, only the people it describes; the warehouse leaves the others out of the load (and
every row that refers to them), and the submission's report counts them per rule and file.

The list is closed on purpose (docs/decisions/0170-cohort-rules-closed-vocabulary.md): an IG lead signs
words the hub can apply exactly, instead of free text the hub would have to guess at. The free-text
``inclusion_rules`` and ``exclusion_rules`` stay for people to read. Adding a rule means adding it here,
its query in ``warehouse/cohort.py`` (a test keeps the two in step) and a line in the amendment.

Plain Python: validation rules in the ``content_rules`` style, and the words the pages and exports use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from boroughhub.agreements.content_rules import Content, Problem, ValidationContext, as_dict, as_list, pointer


@dataclass(frozen=True, slots=True)
class CohortRuleTerm:
    """One word of the vocabulary: what it keeps, said for each source dataset it can apply to."""

    code: str
    title: str
    keeps: Mapping[str, str]
    """Dataset id -> the records the rule keeps, as a phrase ("only people seen bedded down …")."""


def _term(code: str, title: str, **keeps: str) -> tuple[str, CohortRuleTerm]:
    return code, CohortRuleTerm(code, title, keeps)


#: The closed vocabulary. Periods are the submission's extract period (its manifest's start and end).
COHORT_RULES: Mapping[str, CohortRuleTerm] = dict((
    _term("active_in_period", "People active in the extract period",
          chain="only people with at least one CHAIN contact in the extract period",
          inform="only people with at least one InForm stay in the extract period",
          hclic="only people whose H-CLIC case is open in the extract period (applied for in it, or a prevention, "
                "relief or main duty, or a temporary accommodation placement, running in it)"),
    _term("seen_bedded_down", "People seen sleeping rough",
          chain="only people seen bedded down at least once in the extract period"),
    _term("owed_prevention_or_relief_duty", "People owed a prevention or relief duty",
          hclic="only people whose H-CLIC case was assessed as owed a prevention or relief duty"),
    _term("main_applicants_only", "Main applicants only",
          hclic="only main applicants; other members of the household are left out"),
    _term("adult_at_first_contact", "Adults at first contact",
          chain="only people who were 18 or over at their first CHAIN contact in the extract",
          inform="only people who were 18 or over at their first InForm referral or stay in the extract",
          hclic="only people who were 18 or over on their H-CLIC case's application date"),
))

SOURCE_DATASETS: frozenset[str] = frozenset(d for term in COHORT_RULES.values() for d in term.keeps)


def cohort_rules_of(content: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The version's cohort rules as written (an empty list when the field is absent)."""
    return [as_dict(r) for r in as_list(as_dict(content.get("data_subjects")).get("cohort_rules"))]


def describe_cohort_rule(rule: Mapping[str, Any], dataset_title: str) -> str:
    """One rule in plain English, e.g. ``CHAIN: only people seen bedded down … period.``"""
    term = COHORT_RULES.get(str(rule.get("rule")))
    keeps = term.keeps.get(str(rule.get("dataset"))) if term else None
    if keeps is None:  # a draft may hold a rule the hub does not know: say so rather than guess
        return f"{dataset_title}: {rule.get('rule')} (not a cohort rule the hub knows)."
    return f"{dataset_title}: {keeps}."


def cohort_rule_problems(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    """``E-COHORT-*`` (amendment B.2): known rule, a source dataset of this version, meaningful for it, once."""
    seen: set[tuple[str, str]] = set()
    codes = ", ".join(sorted(COHORT_RULES))
    for i, rule in enumerate(cohort_rules_of(c.content)):
        def at(*parts: str | int, i: int = i) -> str:
            return pointer("content", "data_subjects", "cohort_rules", i, *parts)

        code, dataset_id = str(rule.get("rule")), str(rule.get("dataset"))
        term = COHORT_RULES.get(code)
        if term is None:
            yield ("E-COHORT-RULE-UNKNOWN", at("rule"),
                   f"{code} is not a cohort rule the hub can apply; use one of {codes}, or describe the rule "
                   "in inclusion_rules or exclusion_rules instead.")
        entry = c.entries.get(dataset_id)
        registered = ctx.datasets.get(dataset_id)
        if entry is None or (registered is not None and registered.kind != "source"):
            yield ("E-COHORT-DATASET", at("dataset"),
                   f"{dataset_id} is not a source dataset of this version: a cohort rule applies to records as "
                   "they are uploaded, so name a dataset that parties upload.")
        elif term is not None and dataset_id not in term.keeps:
            yield ("E-COHORT-NOT-APPLICABLE", at("rule"),
                   f"{code} means nothing for {dataset_id}; it applies to "
                   f"{', '.join(sorted(term.keeps))} only.")
        if (code, dataset_id) in seen:
            yield "E-COHORT-DUP", at(), f"{code} is given twice for {dataset_id}; remove one."
        seen.add((code, dataset_id))
