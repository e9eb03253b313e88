"""Submissions: the upload workflow (web and command line), its pipeline and the submission calendar.

The public front other rooms use. Everything here is the database side, imported on first use (PEP 562),
so ``import boroughhub.submissions`` needs no Django settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boroughhub.submissions.cycle.store import london_today, seed_demo_calendar

__all__ = ["london_today", "seed_demo_calendar"]


def __getattr__(name: str) -> Any:
    if name in ("london_today", "seed_demo_calendar"):
        from boroughhub.submissions.cycle import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
