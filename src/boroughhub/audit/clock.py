"""The audit log's clock: every entry's ``occurred_at`` comes from :func:`audit_now` and nowhere else.

Time is an input (STYLE.md 17): a test sets it with :func:`audit_clock_set_to`; a command-line step
sets it for its whole process with ``BOROUGHHUB_AUDIT_CLOCK=2026-12-06T14:00:00Z``, which is how a
browser test gets entries dated yesterday without editing rows of an append-only table. Production
refuses to start with that variable set (``AuditConfig.ready``): there the clock is the server's.
Order in the log is given by ``seq``, never by time (spec §4.2), so a set clock cannot break the chain.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

CLOCK_VARIABLE = "BOROUGHHUB_AUDIT_CLOCK"

_set_instant: ContextVar[datetime | None] = ContextVar("audit_clock", default=None)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with its offset (``Z`` or ``+01:00``); a bare local time is refused."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"{CLOCK_VARIABLE}={text!r} has no time zone: end it with Z or an offset")
    return value.astimezone(UTC)


def clock_variable_set() -> bool:
    return bool(os.environ.get(CLOCK_VARIABLE, "").strip())


def audit_now() -> datetime:
    """Now, as the audit log records it: a set instant if a test or the environment gave one."""
    instant = _set_instant.get()
    if instant is not None:
        return instant
    if clock_variable_set():
        return parse_instant(os.environ[CLOCK_VARIABLE])
    return datetime.now(UTC)


@contextmanager
def audit_clock_set_to(instant: datetime) -> Iterator[None]:
    """Entries appended inside the block are dated ``instant`` (timezone-aware)."""
    if instant.tzinfo is None:
        raise ValueError("the audit clock needs a timezone-aware instant")
    token = _set_instant.set(instant.astimezone(UTC))
    try:
        yield
    finally:
        _set_instant.reset(token)
