from django.contrib import admin

from .models import Organisation, OrganisationSuspension, RoleGrant, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "type", "ons_code", "supplier_code", "status")
    list_filter = ("type", "status")
    search_fields = ("id", "name", "ons_code")


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ("organisation", "role", "valid_from", "valid_until", "revoked_at", "reason")


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "display_name", "is_active", "last_login")
    search_fields = ("email", "display_name")
    exclude = ("password", "groups", "user_permissions")
    readonly_fields = ("last_login", "date_joined")
    inlines = [RoleGrantInline]


@admin.register(OrganisationSuspension)
class OrganisationSuspensionAdmin(admin.ModelAdmin):
    list_display = ("organisation", "starts_at", "ends_at", "reason")
