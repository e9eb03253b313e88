"""For the hub's commands: the acting grant of a user named on the command line (``--user EMAIL``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.management.base import CommandError

from boroughhub.organisations.models import RoleGrant, User


def acting_grant(email: str, roles: Sequence[str]) -> RoleGrant:
    user = User.objects.filter(email=email.lower(), is_active=True).first()
    if user is None:
        raise CommandError(f"No active user {email}. Check the email address.")
    grant = user.active_grants().filter(role__in=roles).order_by("role").first()
    if grant is None:
        raise CommandError(f"{email} holds none of these roles: {', '.join(roles)}. Ask their IG lead for one.")
    return grant
