"""Hub admins' read-only view of the audit log: nothing here can add, change or delete an entry."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("seq", "occurred_at", "event_type", "outcome", "org", "role", "action", "dataset", "agreement_id")
    list_filter = ("event_type", "outcome")
    search_fields = ("agreement_id", "org", "user_id", "request_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
