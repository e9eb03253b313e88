"""What every change shares: London's clock, who acts, and the audit entries of changes and refusals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Model
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


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """One prepared INSERT executed for every row, inside the caller's transaction, for loads of tens of
    thousands of rows: ``bulk_create`` on SQLite sends 166 rows a statement (its 999-parameter limit)
    and builds each value through the ORM, several times slower
    (docs/decisions/0121-voucher-codes-loaded-in-one-statement.md). ``columns`` are database columns
    (``person_id``); dates and times are adapted the way Django adapts them, for SQLite and PostgreSQL."""
    quote, ops = connection.ops.quote_name, connection.ops
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")

    def adapt(value: Any) -> Any:
        if isinstance(value, datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, date):
            return ops.adapt_datefield_value(value)
        return value

    chunk: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(tuple(adapt(value) for value in row))
            if len(chunk) == BULK_BATCH * 10:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
