from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from .acting import SESSION_KEY, Acting
from .roles import Role


class ActingAsMiddleware:
    """Sets ``request.acting`` from the session's chosen role grant, checked again on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.acting = None  # type: ignore[attr-defined]
        grant_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if grant_id is not None and request.user.is_authenticated:
            grant = request.user.active_grants().filter(pk=grant_id).first()  # type: ignore[union-attr]
            if grant is None:
                # The grant was revoked, expired or never belonged to this user: end the session.
                logout(request)
            else:
                request.acting = Acting(request.user, grant.organisation, Role(grant.role), grant.pk)  # type: ignore[attr-defined]
        return self.get_response(request)
