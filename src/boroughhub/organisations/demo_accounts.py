"""The demo's people: one account per role in every registered organisation, ``ROLE@ORG.example``.

Every organisation has its accounts whether or not it is party to an agreement yet, so any borough
or provider can accede to the demo's pilot agreement and then upload and see insights (issue 14).
Plain data; ``boroughhub demo`` creates them, in the demo profile only.
"""

from __future__ import annotations

from dataclasses import dataclass

from .registry import HUB_OPERATOR_ID, PILOT_BOROUGHS, initial_organisations
from .roles import Role

DEFAULT_DEMO_PASSWORD = "london-demo-2026"
#: The pilot's organisations first (the accounts people are shown), then every other registered one.
PILOT_ORGANISATIONS = (*PILOT_BOROUGHS, "gla", "provider-a", "provider-b", HUB_OPERATOR_ID)
DEMO_ORGANISATIONS = (*PILOT_ORGANISATIONS,
                      *(o.id for o in initial_organisations() if o.id not in PILOT_ORGANISATIONS))
# Hub admins and data managers belong to the organisation that operates the hub (agreements §1.2).
OPERATOR_ONLY_ROLES = frozenset({Role.HUB_ADMIN, Role.DATA_MANAGER})
# The rooms beside the data hub have their own people: the collaboration office runs the programme,
# the fund, Get Online London and the guidance library; each borough has a security lead, project
# lead, event organiser and apprentice manager. Hub workers and apprentices are made by their rooms'
# demo steps (they belong to community organisations, or are many).
ROOM_ROLE_ORGANISATION_TYPES: dict[Role, frozenset[str]] = {
    Role.SECURITY_LEAD: frozenset({"borough"}),
    Role.PROJECT_LEAD: frozenset({"borough"}),
    Role.EVENT_ORGANISER: frozenset({"borough", "operator"}),
    Role.APPRENTICE_MANAGER: frozenset({"borough"}),
    Role.FUND_ASSESSOR: frozenset({"operator"}),
    Role.PROGRAMME_MANAGER: frozenset({"operator"}),
    Role.INCLUSION_TEAM: frozenset({"operator"}),
    Role.GUIDANCE_OWNER: frozenset({"operator"}),
    Role.INCLUSION_WORKER: frozenset(),
    Role.APPRENTICE: frozenset(),
}


@dataclass(frozen=True)
class DemoAccount:
    email: str
    organisation_id: str
    role: Role

    @property
    def display_name(self) -> str:
        return f"Demo {self.role.label.lower()} ({self.organisation_id})"


def demo_accounts() -> list[DemoAccount]:
    types = {entry.id: ("operator" if entry.id == HUB_OPERATOR_ID else entry.type) for entry in initial_organisations()}
    return [
        DemoAccount(f"{role.value}@{org}.example", org, role)
        for org in DEMO_ORGANISATIONS
        for role in Role
        if _has_demo_account(role, org, types[org])
    ]


def _has_demo_account(role: Role, organisation_id: str, organisation_type: str) -> bool:
    if role in ROOM_ROLE_ORGANISATION_TYPES:
        return organisation_type in ROOM_ROLE_ORGANISATION_TYPES[role]
    return organisation_id == HUB_OPERATOR_ID or role not in OPERATOR_ONLY_ROLES
