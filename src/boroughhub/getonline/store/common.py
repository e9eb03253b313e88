"""What every change shares: London's clock, who acts, and the audit entries of changes and refusals."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from boroughhub.audit import record_event
from boroughhub.getonline.csvfiles import (
    ImportRefused,
)
from boroughhub.getonline.rules import (
    Refusal,
)

Who = dict[str, Any] | None
#: Donor names and contacts are kept this long after the donation, for thanks and queries, then removed.
DONOR_DATA_KEPT = timedelta(days=90)
#: Rows per round of a bulk insert: a 100,000-code file is a handful of rounds, one transaction.
BULK_BATCH = 2_000


LONDON = ZoneInfo("Europe/London")


def london_now() -> datetime:
    """Now, in London: days given and months reported are London's."""
    return timezone.now().astimezone(LONDON)


def _audit(who: Who, event_type: str, outcome: str, action: str, **payload: Any) -> None:
    identity = who or {"user": "system"}
    record_event(event_type, outcome, action=action, payload=payload, **identity)


def _refused(who: Who, action: str, refusal: Refusal, **payload: Any) -> Refusal:
    _audit(who, "decision", "refused", action, rule=refusal.rule, **payload)
    return refusal


def _import_refused(who: Who, action: str, refused: ImportRefused, **payload: Any) -> ImportRefused:
    rules = sorted({problem.rule for problem in refused.problems})
    _audit(who, "registry", "refused", action, rules=rules, problems=refused.total, **payload)
    return refused


