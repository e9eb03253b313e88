"""Who an event is for: the public, members (anyone signed in to the hub) or apprentices.

The same rule answers the public list, the event's page, its calendar file and the register button,
so an event is never offered to someone who would then be refused.
"""

from __future__ import annotations

from enum import StrEnum


class Audience(StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"
    APPRENTICES = "apprentices"

    @property
    def label(self) -> str:
        return AUDIENCE_LABELS[self]


AUDIENCE_LABELS = {
    Audience.PUBLIC: "Open to the public",
    Audience.MEMBERS: "Member organisations' staff",
    Audience.APPRENTICES: "Apprentices and their managers",
}

#: Roles that see and may register for apprentice events besides apprentices themselves: their managers,
#: and organisers (who run the events).
APPRENTICE_EVENT_ROLES = frozenset({"apprentice", "apprentice_manager", "event_organiser"})


def may_see(audience: Audience | str, role: str | None) -> bool:
    """``role`` is the session's acting role, or None for someone not signed in."""
    audience = Audience(audience)
    if audience is Audience.PUBLIC:
        return True
    if role is None:
        return False
    if audience is Audience.MEMBERS:
        return True
    return role in APPRENTICE_EVENT_ROLES


def audiences_seen_by(role: str | None) -> list[Audience]:
    return [audience for audience in Audience if may_see(audience, role)]
