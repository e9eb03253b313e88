"""Get Online London: devices, data and basic skills for digitally excluded Londoners, through
community hubs (issue 19).

- ``rules``: the lifecycle of a device, the wipe rule, the repeat-help interval, the open-request cap;
- ``csvfiles``: operators' code files, the erasure tool's log, completions, donations (all or nothing);
- ``figures``: the report's counts by borough, month and hub against the year's targets;
- ``hsds``: the public Open Referral UK feed of approved hubs;
- ``store``, ``models``, ``views``: the Django side, imported on first use (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .csvfiles import ImportRefused, Problem
from .figures import MEASURES, by_borough
from .rules import DeviceState, HelpKind, Refusal

if TYPE_CHECKING:
    from .management.demo import seed_demo, seed_lewisham_pilot

__all__ = ["MEASURES", "DeviceState", "HelpKind", "ImportRefused", "Problem", "Refusal", "by_borough",
           "seed_demo", "seed_lewisham_pilot"]


def __getattr__(name: str) -> Any:
    """The demo's seeding writes to the database: imported on first use, once Django is set up."""
    if name in ("seed_demo", "seed_lewisham_pilot"):
        from .management import demo

        return getattr(demo, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
