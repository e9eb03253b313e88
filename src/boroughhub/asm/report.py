"""A run as the command line prints it (``--json``) and the findings register as a download: the same
self-describing fields everywhere (target, check, rule, severity, evidence, status, priority)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from boroughhub.asm.checks import CheckRun
from boroughhub.asm.rules import RULES, STATUS_LABELS, known_exploited
from boroughhub.asm.scope import Scope

LONDON = ZoneInfo("Europe/London")
REGISTER_COLUMNS = ("priority", "severity", "rule", "title", "asset_kind", "asset", "evidence", "status",
                    "status_reason", "owner", "known_exploited", "cve", "first_seen", "last_seen")


@dataclass(frozen=True)
class RegisterRow:
    """One finding of the register, as the store hands it out (plain values)."""

    target: str
    check: str
    rule: str
    title: str
    severity: str
    evidence: str
    status: str
    status_reason: str
    owner: str
    priority: int
    asset_kind: str
    asset: str
    cve: str
    known_exploited: bool
    first_seen: datetime
    last_seen: datetime


def london_time(instant: datetime | None) -> str:
    """``"7 December 2026, 9:05am"`` in London time ("" for none)."""
    if instant is None:
        return ""
    local = instant.astimezone(LONDON)
    return f"{local.day} {local:%B %Y}, {local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def london_today(instant: datetime) -> date:
    return instant.astimezone(LONDON).date()


def scope_as_json(scope: Scope) -> dict[str, Any]:
    authorisation = scope.authorisation
    return {
        "authorised": authorisation is not None,
        **({"authorised_by": authorisation.authorised_by, "authorised_on": authorisation.authorised_on.isoformat(),
            "reference": authorisation.reference} if authorisation else {}),
        "in_scope": [e.value for e in scope.entries], "excluded": [e.value for e in scope.exclusions],
    }


def run_as_json(council_id: str, run: CheckRun, register: Sequence[RegisterRow], changes: dict[str, list[str]],
                started_at: datetime, finished_at: datetime, scope: Scope) -> dict[str, Any]:
    catalogue = known_exploited()
    return {
        "council": council_id,
        "scope": scope_as_json(scope),
        "started_at": started_at.isoformat(),
        "finished_at": finished_at.isoformat(),
        "known_exploited_list_as_of": catalogue.as_of.isoformat(),
        "targets": [{"target": r.target, "status": "refused" if r.refusal else "checked",
                     **({"reason": r.refusal} if r.refusal else {}), **({"note": r.note} if r.note else {}),
                     **({"address": r.address, "services": r.services} if r.checked else {})}
                    for r in run.results],
        "refused": [{"target": r.target, "reason": r.reason} for r in run.refused],
        "findings": [finding_as_json(row) for row in register],
        "changes": changes,
        "priority_rule": "severity (critical 5 … info 1) × exposure (1-3) × asset criticality (high 3, medium 2, "
                         "low 1), doubled for a vulnerability on the known-exploited list",
    }


def finding_as_json(row: RegisterRow) -> dict[str, Any]:
    return {
        "target": row.target, "check": row.check, "rule": row.rule, "title": row.title,
        "severity": row.severity, "evidence": row.evidence, "status": row.status, "priority": row.priority,
        "asset": {"kind": row.asset_kind, "name": row.asset}, "cve": row.cve or None,
        "known_exploited": row.known_exploited, "advice": RULES[row.rule].advice if row.rule in RULES else "",
        "first_seen": row.first_seen.isoformat(), "last_seen": row.last_seen.isoformat(),
    }


def register_table(rows: Sequence[RegisterRow]) -> list[list[str | int]]:
    """Header then one line per finding, for CSV and XLSX (times in London time)."""
    table: list[list[str | int]] = [list(REGISTER_COLUMNS)]
    for row in rows:
        table.append([row.priority, row.severity, row.rule, row.title, row.asset_kind, row.asset, row.evidence,
                      STATUS_LABELS.get(row.status, row.status), row.status_reason, row.owner,
                      "yes" if row.known_exploited else "no", row.cve, london_time(row.first_seen),
                      london_time(row.last_seen)])
    return table
