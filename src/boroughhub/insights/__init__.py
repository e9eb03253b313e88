"""Rough sleeping insights: the public front other rooms import.

``refresh_insights_now`` recomputes and publishes the metric tables as a named user after asking
``decide(view_aggregate)``; it is the database side, imported on first use (PEP 562) so that importing
the package needs no Django settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boroughhub.insights.tasks import RefreshRefused, refresh_insights_now

__all__ = ["RefreshRefused", "refresh_insights_now"]


def __getattr__(name: str) -> Any:
    """The database side, on first use (after Django is set up)."""
    if name in __all__:
        from boroughhub.insights import tasks

        return getattr(tasks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
