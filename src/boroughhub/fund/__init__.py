"""The innovation fund: rounds, applications, assessment, moderation, selection and awards, and the
360Giving export. The public front other rooms use.

The rules come with the package; the database side (``seed_demo``, ``seed_open_round``) is imported on first use
(PEP 562), so the front imports without Django settings. An award becomes a project through the
projects room's front (docs/decisions/0110-fund-is-a-room-of-its-own.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from boroughhub.fund.rules import RoundStatus, london_time
from boroughhub.fund.selection import Outcome

if TYPE_CHECKING:
    from boroughhub.fund.store import seed_demo, seed_open_round

__all__ = ["Outcome", "RoundStatus", "london_time", "seed_demo", "seed_open_round"]


def __getattr__(name: str) -> Any:
    if name in ("seed_demo", "seed_open_round"):
        from boroughhub.fund import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
