"""Organisations, memberships and roles: the public front other rooms import.

The plain names (roles, the hub operator, the demo accounts, who a person is acting as) come with the
package and need no Django settings. The database side (the models, ``require_role``, the form and
command-line helpers) is imported on first use (PEP 562), once Django is set up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from boroughhub.organisations.acting import Acting
from boroughhub.organisations.demo_accounts import DEFAULT_DEMO_PASSWORD, OPERATOR_ONLY_ROLES, demo_accounts
from boroughhub.organisations.page_access import HUB_ADMINISTRATION, DataUse, PageAccess, for_roles
from boroughhub.organisations.registry import HUB_OPERATOR_ID, initial_organisations
from boroughhub.organisations.roles import ROLE_LABELS, Role

if TYPE_CHECKING:
    from boroughhub.organisations.access import require_role, role_gate
    from boroughhub.organisations.forms import error_list
    from boroughhub.organisations.management.commandline import acting_grant
    from boroughhub.organisations.models import (
        Invitation,
        Organisation,
        OrganisationSuspension,
        RoleGrant,
        User,
    )

__all__ = [
    "DEFAULT_DEMO_PASSWORD", "HUB_OPERATOR_ID", "Acting", "Organisation", "OrganisationSuspension", "Role",
    "RoleGrant", "User", "acting_grant", "demo_accounts", "error_list", "require_role", "role_gate",
    "HUB_ADMINISTRATION", "ROLE_LABELS", "DataUse", "PageAccess", "for_roles", "initial_organisations",
    "Invitation", "OPERATOR_ONLY_ROLES",
]


def __getattr__(name: str) -> Any:
    """The database side, on first use (after Django is set up)."""
    if name in ("Invitation", "Organisation", "OrganisationSuspension", "RoleGrant", "User"):
        from boroughhub.organisations import models

        return getattr(models, name)
    if name in ("require_role", "role_gate"):
        from boroughhub.organisations import access

        return getattr(access, name)
    if name == "error_list":
        from boroughhub.organisations.forms import error_list

        return error_list
    if name == "acting_grant":
        from boroughhub.organisations.management.commandline import acting_grant

        return acting_grant
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
