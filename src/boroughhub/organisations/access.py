"""View guards: a page names the roles that may open it; everyone else gets a 403 page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .roles import Role


def require_role(*roles: Role) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Signed in, acting in one of ``roles`` (any role if none given); otherwise sign-in or 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            acting = getattr(request, "acting", None)
            if acting is None:
                return redirect(f"/sign-in?next={request.path}")
            if roles and acting.role not in roles:
                raise PermissionDenied(f"This page is for: {', '.join(r.label for r in roles)}.")
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def username_for_throttling(request: HttpRequest, credentials: dict | None = None) -> str:
    """django-axes counts failures per (email, address): the email comes from the credentials or the form."""
    value = (credentials or {}).get("username") or request.POST.get("email", "")
    return str(value).strip().lower()
