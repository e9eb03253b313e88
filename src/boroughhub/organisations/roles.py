"""The roles of the hub and what each may do at most: the seven of the agreements spec (§1.2), then
the roles of the rooms built on the same parts (projects and the fund, Get Online London, attack
surface mapping, the network), which handle no shared personal data and so take no data action.

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
    # The rooms beside the data hub (issues 18-21). Stored in a 20-character field: keep names short.
    SECURITY_LEAD = "security_lead"
    PROJECT_LEAD = "project_lead"
    FUND_ASSESSOR = "fund_assessor"
    PROGRAMME_MANAGER = "programme_manager"
    INCLUSION_WORKER = "inclusion_worker"
    INCLUSION_TEAM = "inclusion_team"
    EVENT_ORGANISER = "event_organiser"
    APPRENTICE = "apprentice"
    APPRENTICE_MANAGER = "apprentice_manager"
    GUIDANCE_OWNER = "guidance_owner"

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
    Role.SECURITY_LEAD: "Security lead",
    Role.PROJECT_LEAD: "Project lead",
    Role.FUND_ASSESSOR: "Fund assessor",
    Role.PROGRAMME_MANAGER: "Programme manager",
    Role.INCLUSION_WORKER: "Get Online hub worker",
    Role.INCLUSION_TEAM: "Get Online service team",
    Role.EVENT_ORGANISER: "Event organiser",
    Role.APPRENTICE: "Apprentice",
    Role.APPRENTICE_MANAGER: "Apprentice manager",
    Role.GUIDANCE_OWNER: "Guidance owner",
}

#: The agreements spec's seven roles: the ones agreements and ``decide()`` are about.
DATA_HUB_ROLES = frozenset({Role.HUB_ADMIN, Role.IG_LEAD, Role.DATA_MANAGER, Role.UPLOADER, Role.ANALYST,
                            Role.FRONTLINE_WORKER, Role.PRIVACY_OFFICER})

# The hub-wide ceiling of data actions per role: checked before any agreement is consulted.
DATA_ACTION_CEILING: dict[Role, frozenset[str]] = {
    Role.HUB_ADMIN: frozenset(),
    Role.IG_LEAD: frozenset(),
    Role.DATA_MANAGER: frozenset({"link", "view_aggregate", "view_record", "view_unrounded"}),
    Role.UPLOADER: frozenset({"upload"}),
    Role.ANALYST: frozenset({"link", "view_aggregate", "view_record", "view_unrounded", "export"}),
    Role.FRONTLINE_WORKER: frozenset({"view_aggregate", "view_record"}),
    Role.PRIVACY_OFFICER: frozenset(),
    **{role: frozenset() for role in Role if role not in DATA_HUB_ROLES},
}

ROLE_CHOICES: list[tuple[str, str]] = [(role.value, role.label) for role in Role]
