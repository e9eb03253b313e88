"""People: inviting an organisation's staff to their roles, and accepting an invitation (issue 14 item 2).

The plain rules (who may give which role, for how long; the CSV file of invitations) come with the package
and need no Django settings. The database side (``invite_people``, ``accept_invitation``) is imported on
first use (PEP 562), once Django is set up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from boroughhub.people.invitation_file import COLUMNS, InvitationFile, RowProblem, read_invitation_file
from boroughhub.people.rules import (
    INVITATION_LIFETIME,
    CheckedInvitation,
    InvitationRequest,
    check_invitation,
    grantable_roles,
)

if TYPE_CHECKING:
    from boroughhub.people.store import InvitationsRefused, accept_invitation, invite_people

__all__ = [
    "COLUMNS", "INVITATION_LIFETIME", "CheckedInvitation", "InvitationFile", "InvitationRequest",
    "InvitationsRefused", "RowProblem", "accept_invitation", "check_invitation", "grantable_roles",
    "invite_people", "read_invitation_file",
]


def __getattr__(name: str) -> Any:
    """The database side, on first use (after Django is set up)."""
    if name in ("InvitationsRefused", "accept_invitation", "invite_people"):
        from boroughhub.people import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
