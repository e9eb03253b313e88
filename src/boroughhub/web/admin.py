from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from boroughhub.organisations import HUB_ADMINISTRATION


class HubAdminSite(admin.AdminSite):
    """The Django admin, for sessions acting as a hub admin only (not merely staff or superuser)."""

    site_header = "boroughhub administration"
    site_title = "boroughhub administration"
    index_title = "Organisations, people and registers"

    def has_permission(self, request: HttpRequest) -> bool:
        acting = getattr(request, "acting", None)
        # The same rule offers the Administration card and link (organisations.page_access).
        return bool(acting and HUB_ADMINISTRATION.role_may_open(acting.role) and request.user.is_active)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        # One way in: the hub's own sign-in (throttled, audited, second factor), never the admin's form.
        return redirect(f"/sign-in?next={request.GET.get('next', '/admin/')}")
