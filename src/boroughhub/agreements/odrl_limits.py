"""What limits a version's rules beyond its content, in the ODRL export: withdrawals and cohort rules.

**Withdrawals** (spec §2.6, amendment A.4.1) are envelope records, not content, so the export used to
ignore them and a party that had left still read as an assignee with every permission. Now each rule of
a withdrawn party (named or acceded) also carries ``dateTime lt`` its withdrawal's ``effective_at``
(``#c/withdrawn-ORG``), and its party node says ``bh:withdrawnAt`` and ``bh:withdrawalNoticeGivenAt``.
The rules stay, bounded, rather than being dropped: the export is the same whenever it is made, reads
exactly as ``decide()`` treats the party (permitted until the withdrawal takes effect, never after), and
still explains the uploads the party made while it was one (docs/decisions/0171-odrl-withdrawn-parties.md).

**Cohort rules** (``data_subjects.cohort_rules``, amendment B) limit which records an upload may place
in the hub: each upload rule of a dataset with cohort rules carries
``{leftOperand: bh:recordCohort, operator: isAllOf, rightOperand: [bh:cohort/CODE, …]}`` (``#c/cohort-DATASET``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boroughhub.agreements.cohort_rules import COHORT_RULES, cohort_rules_of
from boroughhub.agreements.vocabulary import format_instant, optional_instant, parse_instant

#: ``(uid, leftOperand, operator, rightOperand) -> uid``: declares a constraint once, as odrl.py does.
AddConstraint = Callable[[str, str, str, Any], str]

COHORT_TERM_PREFIX = "bh:cohort/"


@dataclass(frozen=True, slots=True)
class WithdrawnParty:
    effective_at: datetime
    notice_given_at: datetime | None


def withdrawn_parties(document: Mapping[str, Any]) -> dict[str, WithdrawnParty]:
    """Each party that gave notice, with its earliest withdrawal (as the enforcement index reads them)."""
    withdrawn: dict[str, WithdrawnParty] = {}
    for record in document.get("withdrawals") or ():
        party, effective_at = record["party"], parse_instant(record["effective_at"])
        current = withdrawn.get(party)
        if current is None or effective_at < current.effective_at:
            withdrawn[party] = WithdrawnParty(effective_at, optional_instant(record.get("notice_given_at")))
    return withdrawn


def bound_withdrawn_rules(permissions: list[dict[str, Any]], withdrawn: Mapping[str, WithdrawnParty],
                          add: AddConstraint) -> None:
    """Give every permission of a withdrawn party the constraint that ends it when the withdrawal does."""
    for rule in permissions:
        org = str(rule["assignee"]).removeprefix("bho:")
        if org in withdrawn:
            until = {"@value": format_instant(withdrawn[org].effective_at), "@type": "xsd:dateTime"}
            rule["constraint"].append(add(f"#c/withdrawn-{org}", "dateTime", "lt", until))


def withdrawal_properties(party: WithdrawnParty) -> dict[str, Any]:
    """The party node's record of its withdrawal (profile terms, amendment A.6)."""
    node: dict[str, Any] = {"bh:withdrawnAt": {"@value": format_instant(party.effective_at), "@type": "xsd:dateTime"}}
    if party.notice_given_at is not None:
        node["bh:withdrawalNoticeGivenAt"] = {"@value": format_instant(party.notice_given_at),
                                              "@type": "xsd:dateTime"}
    return node


def cohort_term(code: str) -> str:
    return COHORT_TERM_PREFIX + code


def limit_uploads_to_cohorts(permissions: list[dict[str, Any]], content: Mapping[str, Any],
                             add: AddConstraint) -> None:
    """Give each upload rule of a dataset with cohort rules the constraint naming them (known rules only:
    validation refuses unknown ones before anyone signs)."""
    by_dataset: dict[str, list[str]] = {}
    for rule in cohort_rules_of(content):
        code, dataset = str(rule.get("rule")), str(rule.get("dataset"))
        if code in COHORT_RULES and dataset in COHORT_RULES[code].keeps:
            by_dataset.setdefault(dataset, []).append(code)
    if not by_dataset:
        return
    for rule in permissions:
        dataset = str(rule["target"]).removeprefix("#fs/").split("/", 1)[0]
        if rule["action"] == "bh:upload" and dataset in by_dataset:
            terms = [{"@id": cohort_term(code)} for code in sorted(set(by_dataset[dataset]))]
            rule["constraint"].append(add(f"#c/cohort-{dataset}", "bh:recordCohort", "isAllOf", terms))
