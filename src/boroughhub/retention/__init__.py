"""Retention: every dataset's ``hub_retention`` clause kept by a scheduled job (agreements spec §1.4, §3.6).

The public front. The plain parts read the clauses (``rules``), find what the warehouse holds and when
it expires (``due``), delete it (``purge``) and publish what is due next (``schedule``); they import
without Django settings. The database side (``run_retention``, ``published_schedule``,
``retention_book``) reads the agreements and writes the audit log, and is imported on first use (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from boroughhub.retention.due import Holding, Unruled, holdings
from boroughhub.retention.purge import Deleted, delete_holding, finish_crypto_erase
from boroughhub.retention.rules import HubRetention, Period, RetentionBook, retention_of
from boroughhub.retention.schedule import Line, Schedule, read_schedule, write_schedule

if TYPE_CHECKING:
    from boroughhub.retention.store import RetentionRun, published_schedule, retention_book, run_retention

__all__ = [
    "Deleted", "Holding", "HubRetention", "Line", "Period", "RetentionBook", "RetentionRun", "Schedule", "Unruled",
    "delete_holding", "finish_crypto_erase", "holdings", "published_schedule", "read_schedule", "retention_book",
    "retention_of", "run_retention", "write_schedule",
]

_DATABASE_SIDE = frozenset({"RetentionRun", "published_schedule", "retention_book", "run_retention"})


def __getattr__(name: str) -> Any:
    """The database side, on first use (after Django is set up)."""
    if name in _DATABASE_SIDE:
        from boroughhub.retention import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
