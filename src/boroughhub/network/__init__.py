"""The network: events (London Data Week among them), the Apprentice Hub, the guidance library and
recruitment support (issue 21). The public front other rooms import.

Plain-Python parts (importable without Django settings):

- ``events``: audience rules, places and the wait-list, calendar files, attendee lists;
- ``apprentices``: the directory (only what each apprentice shares), career support, opportunities;
- ``guidance``: the search question and its answer (one interface, SQLite FTS5 or PostgreSQL), review
  dates and what changed between versions;
- ``recruitment``: time to fill and the saving against agency fees per placement, with its assumptions;
- ``clock``: the room's one clock (London time).

The database side (``store``, ``models``, ``views``) is reached on first use (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from boroughhub.network.clock import LONDON, london_today, network_clock_set_to, network_now
from boroughhub.network.guidance.search import GuidanceHit, GuidanceQuery
from boroughhub.network.recruitment.savings import PlacementRow, SavingAssumptions, placement_saving

if TYPE_CHECKING:
    from boroughhub.network.store.demo import seed_network_demo
    from boroughhub.network.store.guidance_search import search_guidance

__all__ = [
    "LONDON", "GuidanceHit", "GuidanceQuery", "PlacementRow", "SavingAssumptions", "london_today",
    "network_clock_set_to", "network_now", "placement_saving", "search_guidance", "seed_network_demo",
]


def __getattr__(name: str) -> Any:
    """The database side, on first use (after Django is set up)."""
    if name == "seed_network_demo":
        from boroughhub.network.store.demo import seed_network_demo

        return seed_network_demo
    if name == "search_guidance":
        from boroughhub.network.store.guidance_search import search_guidance

        return search_guidance
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
