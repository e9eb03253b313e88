from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only, and without the report rows: hub admins see that a submission exists, not its findings."""

    list_display = ("id", "organisation", "source", "status", "uploaded_at", "warehouse_version")
    list_filter = ("status", "source", "channel")
    search_fields = ("id", "organisation__name", "supplier_code")
    fields = (
        "id", "organisation", "uploaded_by", "role", "channel", "source", "supplier_code", "uploaded_at",
        "finished_at", "status", "progress_percent", "progress_message", "agreement_id", "agreement_version",
        "decision_reason", "warehouse_version", "failure_message",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
