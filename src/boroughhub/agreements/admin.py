"""Hub admins' view of the registers; sign-offs are read-only here (the audit log: audit/admin.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from boroughhub.agreements.models import AgreementVersion, Dataset, Notification, Purpose, SignOff


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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

    def get_queryset(self, request: HttpRequest) -> Any:
        # An invitation's link opens someone else's account set-up: it is theirs alone to read
        # (docs/decisions/0156-inviting-people.md).
        return super().get_queryset(request).exclude(kind="invitation")
