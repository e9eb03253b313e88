"""The seven roles of the hub and what each may do at most (agreements spec §1.2).

Plain data, no Django: ``decide()``, the pages and the tests all read the same table.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    HUB_ADMIN = "hub_admin"
    IG_LEAD = "ig_lead"
    DATA_MANAGER = "data_manager"
    UPLOADER = "uploader"
    ANALYST = "analyst"
    FRONTLINE_WORKER = "frontline_worker"
    PRIVACY_OFFICER = "privacy_officer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.HUB_ADMIN: "Hub admin",
    Role.IG_LEAD: "Information governance lead",
    Role.DATA_MANAGER: "Data manager",
    Role.UPLOADER: "Uploader",
    Role.ANALYST: "Analyst",
    Role.FRONTLINE_WORKER: "Frontline worker",
    Role.PRIVACY_OFFICER: "Privacy officer",
}

# The hub-wide ceiling of data actions per role: checked before any agreement is consulted.
DATA_ACTION_CEILING: dict[Role, frozenset[str]] = {
    Role.HUB_ADMIN: frozenset(),
    Role.IG_LEAD: frozenset(),
    Role.DATA_MANAGER: frozenset({"link", "view_aggregate", "view_record", "view_unrounded"}),
    Role.UPLOADER: frozenset({"upload"}),
    Role.ANALYST: frozenset({"link", "view_aggregate", "view_record", "view_unrounded", "export"}),
    Role.FRONTLINE_WORKER: frozenset({"view_aggregate", "view_record"}),
    Role.PRIVACY_OFFICER: frozenset(),
}

ROLE_CHOICES: list[tuple[str, str]] = [(role.value, role.label) for role in Role]
