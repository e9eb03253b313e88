"""Hub admins' view of the registers; the audit log and sign-offs are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from boroughhub.agreements.models import AgreementVersion, AuditEntry, Dataset, Notification, Purpose, SignOff


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "occurred_at", "event_type", "outcome", "org", "role", "action", "dataset", "agreement_id")
    list_filter = ("event_type", "outcome")
    search_fields = ("agreement_id", "org", "user_id", "request_id")


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnlyAdmin):
    list_display = ("agreement_id", "version", "status", "lead_party", "effective_from", "expires_at")
    list_filter = ("status",)


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    list_display = ("version", "party", "decision", "signer", "signed_at")


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "kind", "aggregate")


@admin.register(Purpose)
class PurposeAdmin(ReadOnlyAdmin):
    list_display = ("code", "label", "law_enforcement")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "organisation", "role", "kind", "subject")
