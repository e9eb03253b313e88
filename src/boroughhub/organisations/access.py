"""View guards for pages whose rule is a role rule: a page names the roles that may open it;
everyone else gets a 403 page. The rule is kept on the view (``page_access``) so that whatever
offers the page asks the same rule (see ``page_access.py``; pages that show data are guarded by
``agreements.access.guard_page``, which adds the agreement check)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .page_access import PageAccess, for_roles
from .roles import Role


def role_gate(request: HttpRequest, access: PageAccess) -> HttpResponse | None:
    """The role half of every page guard: the sign-in page for someone not signed in, a 403 for a role
    the page is not for, ``None`` to go on (``agreements.access.guard_page`` then asks the agreements)."""
    acting = getattr(request, "acting", None)
    if acting is None:
        return redirect(f"/sign-in?next={request.path}")
    if not access.role_may_open(acting.role):
        raise PermissionDenied(access.role_refusal())
    return None


def require_role(*roles: Role) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Signed in, acting in one of ``roles`` (any role if none given); otherwise sign-in or 403."""
    access = for_roles(*roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return role_gate(request, access) or view(request, *args, **kwargs)

        guarded.page_access = access  # type: ignore[attr-defined]
        return guarded

    return decorator


def username_for_throttling(request: HttpRequest, credentials: dict | None = None) -> str:
    """django-axes counts failures per (email, address): the email comes from the credentials or the form."""
    value = (credentials or {}).get("username") or request.POST.get("email", "")
    return str(value).strip().lower()
