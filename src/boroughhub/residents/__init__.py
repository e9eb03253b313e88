"""Who else is involved: a multi-agency view of a resident for frontline workers (issue 17).

A worker searches residents on their own team's open cases (surname first), sees which services are
involved — current, past, or "no record found in the sources shared with the hub" — and, on demand, a
service's key worker and how to reach them, and the resident's known addresses. Each tier is decided by
``agreements.decide()`` under ``bhp:safeguarding-adults`` and audited; without a relationship only
break-glass opens a resident, and it alerts the privacy officers of every organisation whose data it shows.

Plain parts come with the package; the database side (``search_residents`` and the tiers, the demo
seeding) is imported on first use (PEP 562), so the front imports without Django settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .rules import Flag, Involvement, flags_for, fold_name, has_relationship, parse_date_of_birth
from .vocabulary import (
    ASC_CLD_DATASET,
    INVOLVEMENT_DATASET,
    NONE_KNOWN,
    SAFEGUARDING,
    SERVICES,
    TIER_FIELDS,
    Tier,
)

if TYPE_CHECKING:
    from .store.demo import seed_demo_residents

__all__ = [
    "ASC_CLD_DATASET", "INVOLVEMENT_DATASET", "NONE_KNOWN", "SAFEGUARDING", "SERVICES", "TIER_FIELDS", "Flag",
    "Involvement", "Tier", "flags_for", "fold_name", "has_relationship", "parse_date_of_birth",
    "seed_demo_residents",
]


def __getattr__(name: str) -> Any:
    """The database side, on first use (after Django is set up)."""
    if name == "seed_demo_residents":
        from .store.demo import seed_demo_residents

        return seed_demo_residents
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
