"""Every semantic rule and warning of spec §7.1, run over one version document.

The rules live by subject: parties, datasets and permissions in ``content_rules``; lawful basis, time
and transparency in ``legal_rules``; comparisons with the template and other agreements in
``content_warnings``. This module only gathers them, so none of those needs to import another's rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boroughhub.agreements.accession_rules import accession_rules
from boroughhub.agreements.cohort_rules import cohort_rule_problems
from boroughhub.agreements.content_rules import SHARING_RULES, Content, Problem, Rule, ValidationContext
from boroughhub.agreements.content_warnings import SHARING_WARNINGS
from boroughhub.agreements.legal_rules import LEGAL_RULES, LEGAL_WARNINGS, signatory_rules


def semantic_problems(
    document: Mapping[str, Any], context: ValidationContext, *, for_submission: bool = False
) -> tuple[list[Problem], list[Problem]]:
    """Every §7.1 semantic error and warning of ``document``: ``(errors, warnings)``."""
    c = Content(document if isinstance(document, Mapping) else {})
    errors: list[Problem] = []
    warnings: list[Problem] = []
    rules = SHARING_RULES + (accession_rules, cohort_rule_problems) + LEGAL_RULES + ((signatory_rules,) if for_submission else ())
    for rule in rules:
        errors.extend(_run(rule, c, context))
    for rule in SHARING_WARNINGS + LEGAL_WARNINGS:
        warnings.extend(_run(rule, c, context))
    return errors, warnings


def _run(rule: Rule, c: Content, context: ValidationContext) -> list[Problem]:
    try:
        return list(rule(c, context))
    except (AttributeError, KeyError, TypeError, ValueError):
        return []  # unreadable structure: the schema errors already describe it
