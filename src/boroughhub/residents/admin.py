"""Hub admins keep frontline workers' team memberships (the relationship rule reads them); residents'
records are not in the admin: they are seen only through the agreement-governed pages."""

from __future__ import annotations

from django.contrib import admin

from .models import WorkerTeam


@admin.register(WorkerTeam)
class WorkerTeamAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation_id", "team_code")
    list_filter = ("organisation_id",)
    search_fields = ("user__email", "team_code")
