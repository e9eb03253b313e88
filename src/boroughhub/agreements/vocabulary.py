"""The fixed words of the agreements spec and how instants are read and written.

Actions, roles and their hub-wide ceilings (spec §1.2, §3.2) and version states (§2.1). Every
stored instant is UTC, written RFC 3339 with ``Z`` (spec §0).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Literal

ACTIONS: tuple[str, ...] = ("upload", "link", "view_aggregate", "view_record", "view_unrounded", "export")
ROLES: tuple[str, ...] = (
    "hub_admin", "ig_lead", "data_manager", "uploader", "analyst", "frontline_worker", "privacy_officer",
)
#: The hub-wide data-action ceiling of each role (spec §1.2), checked before any agreement.
ROLE_CEILING: Mapping[str, frozenset[str]] = {
    "hub_admin": frozenset(),
    "ig_lead": frozenset(),
    "privacy_officer": frozenset(),
    "data_manager": frozenset({"link", "view_aggregate", "view_record", "view_unrounded"}),
    "uploader": frozenset({"upload"}),
    "analyst": frozenset({"link", "view_aggregate", "view_record", "view_unrounded", "export"}),
    "frontline_worker": frozenset({"view_aggregate", "view_record"}),
}
#: The purpose every rough sleeping upload, linkage run, insight and export is asked about: the one
#: code of the purpose register (data/purposes.json) that the hub's own pipelines use.
ROUGH_SLEEPING_INSIGHT = "bhp:rough-sleeping-strategic-insight"
#: Roles a permission may name (spec §1.9).
PERMISSION_ROLES: tuple[str, ...] = ("uploader", "analyst", "frontline_worker", "data_manager")
STATUSES: tuple[str, ...] = (
    "draft", "in_signature", "active", "suspended", "expired", "terminated", "superseded", "abandoned",
)

DecisionOutcome = Literal["permit", "deny"]


def parse_instant(value: str | datetime) -> datetime:
    """An RFC 3339 instant (or aware datetime) as an aware UTC datetime; naive input is an error."""
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"instant without a time zone: {value!r}")
    return parsed.astimezone(UTC)


def optional_instant(value: str | datetime | None) -> datetime | None:
    return None if value is None else parse_instant(value)




def format_instant(value: datetime) -> str:
    """An aware datetime as RFC 3339 UTC with ``Z``."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
