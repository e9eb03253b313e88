"""The audit log: one hash-chained, append-only log that every room writes through one function.

``record_event(event_type, outcome, ...)`` appends one entry (``record_request_event`` is the same
with the identity taken from a web request). This front imports without Django settings: the
database side is reached only when an entry is written, so plain-Python cores may import it.

- ``chain``: the hash chain and its verification (plain Python, spec §4.2–§4.3);
- ``clock``: the one clock entries are dated by (a test or a CLI step may set it);
- ``events``: what each event, outcome and action is called on the privacy officer's pages;
- ``store``, ``models``, ``views``: the Django side (appending under a lock, the tables, the pages).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .chain import (
    EVENT_TYPES,
    GENESIS_HASH,
    OUTCOMES,
    Anchor,
    VerifyResult,
    format_instant,
    jsonable,
    sha256_hex,
)
from .clock import audit_clock_set_to, audit_now
from .events import EVENT_NAMES, OUTCOME_NAMES, action_name, event_name, outcome_name
from .filters import AuditFilters, spreadsheet_safe
from .lines import CSV_HEADER, Line, Lookups, csv_row, line_of

if TYPE_CHECKING:
    from .models import AuditEntry, AuditSubjectRefs
    from .resident import RecordKnown, record_known


def record_event(
    event_type: str,
    outcome: str,
    *,
    user: Any = None,
    org_id: str | None = None,
    role: str | None = None,
    session_id: str | None = None,
    payload: dict[str, Any] | None = None,
    **fields: Any,
) -> Any:
    """Append one entry and return it (an ``AuditEntry``), committed or part of the caller's
    transaction. Raises if it cannot append, so callers fail closed (spec §4.3).

    ``user`` is a user object, a user id, ``"system"`` or None; the other keyword arguments are the
    entry fields of spec §4.2 (``action``, ``dataset``, ``fields``, ``agreement_id``, ...).
    """
    from .store import record_event as append

    return append(event_type, outcome, user=user, org_id=org_id, role=role, session_id=session_id,
                  payload=payload, **fields)


def record_request_event(request: Any, event_type: str, outcome: str, **kwargs: Any) -> Any:
    """``record_event`` with the user, organisation, role and session taken from a web request."""
    from .store import record_request_event as append_for_request

    return append_for_request(request, event_type, outcome, **kwargs)


def session_reference(request: Any) -> str | None:
    """The pseudonymous reference of a request's session, as entries store it."""
    from .store import session_reference as reference

    return reference(request)


@contextmanager
def serialised_transaction() -> Iterator[None]:
    """A transaction holding the append lock: work that must commit together with its entry."""
    from .store import serialised_transaction as locked

    with locked():
        yield


@contextmanager
def append_only_enforced() -> Iterator[None]:
    """Turn the SQLite append-only triggers on inside the test profile (always on elsewhere)."""
    from .models import append_only_enforced as enforced

    with enforced():
        yield


__all__ = [
    "CSV_HEADER", "EVENT_NAMES", "OUTCOME_NAMES", "AuditEntry", "AuditFilters", "AuditSubjectRefs", "Line",
    "Lookups", "RecordKnown", "action_name", "csv_row", "event_name", "line_of", "outcome_name", "record_known",
    "spreadsheet_safe",
    "EVENT_TYPES", "GENESIS_HASH", "OUTCOMES", "Anchor", "VerifyResult", "append_only_enforced",
    "audit_clock_set_to", "audit_now", "format_instant", "jsonable", "record_event", "record_request_event",
    "serialised_transaction", "session_reference", "sha256_hex",
]


def __getattr__(name: str) -> Any:
    """The database side and the warehouse look-up, on first use (PEP 562): the front stays importable
    without Django settings or DuckDB."""
    if name in ("AuditEntry", "AuditSubjectRefs"):
        from . import models

        return getattr(models, name)
    if name in ("RecordKnown", "record_known"):
        from . import resident

        return getattr(resident, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
