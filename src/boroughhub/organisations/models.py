"""Organisations, people and their role grants (agreements spec §1.1–§1.2)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .roles import ROLE_CHOICES, Role

ORGANISATION_TYPES = [
    ("borough", "Local authority"),
    ("gla", "Greater London Authority"),
    ("police", "Police"),
    ("provider", "Provider"),
    # Community organisations: Get Online London's hubs, voluntary-sector partners (issue 19).
    ("community", "Community organisation"),
    ("other", "Other"),
]


class Organisation(models.Model):
    id = models.CharField(
        primary_key=True,
        max_length=40,
        validators=[RegexValidator(r"^[a-z][a-z0-9-]{1,39}$", "Use lower-case letters, digits and hyphens.")],
    )
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=10, choices=ORGANISATION_TYPES)
    ons_code = models.CharField(max_length=9, blank=True, default="")
    supplier_code = models.CharField(max_length=40, blank=True, default="")
    ico_registration_number = models.CharField(max_length=20, blank=True, default="")
    charity_number = models.CharField(max_length=20, blank=True, default="")
    company_number = models.CharField(max_length=20, blank=True, default="")
    status = models.CharField(max_length=6, choices=[("active", "Active"), ("closed", "Closed")], default="active")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["ons_code"], condition=~Q(ons_code=""), name="unique_ons_code"),
            models.UniqueConstraint(
                fields=["supplier_code"], condition=~Q(supplier_code=""), name="unique_supplier_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationSuspension(models.Model):
    """While a suspension lasts every request by the organisation is denied (ORG_SUSPENDED)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="suspensions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()
    set_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Never hard-deleted, because audit entries refer to them: leavers are disabled."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=200, blank=True, default="")
    sso_subject = models.CharField(max_length=300, blank=True, default="")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def is_staff(self) -> bool:
        # The Django admin is for hub admins only (checked again per session in web.admin_site).
        return self.is_superuser or self.active_grants().filter(role=Role.HUB_ADMIN).exists()

    def active_grants(self, at: object = None) -> models.QuerySet[RoleGrant]:
        now = at or timezone.now()
        return (
            self.role_grants.filter(valid_from__lte=now, valid_until__gt=now, revoked_at__isnull=True)
            .filter(organisation__status="active")
            .select_related("organisation")
        )


def _a_year_from_now() -> object:
    return timezone.now() + timedelta(days=365)


class RoleGrant(models.Model):
    """A user's role in one organisation. Grants last at most a year, so they are re-certified."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grants")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(default=_a_year_from_now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} – {Role(self.role).label}, {self.organisation}"

    @property
    def role_label(self) -> str:
        return Role(self.role).label


class Invitation(models.Model):
    """An invitation to take one role in one organisation, from ``valid_from`` to ``valid_until``.

    Accepted at most once, before ``expires_at``. Only the SHA-256 of its token is kept: the token travels
    in the invitation message alone, so a copy of this table opens nothing (boroughhub.people).
    """

    token_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    invited_as = models.CharField(max_length=20, choices=ROLE_CHOICES)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    grant = models.OneToOneField(RoleGrant, on_delete=models.PROTECT, null=True, blank=True, related_name="invitation")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    #: Invitations sent together from one CSV file share a batch id.
    batch = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user.email} – {Role(self.role).label}, {self.organisation}"

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def last_moment(self) -> object:
        """The grant's last second: shown as its last day (``valid_until`` is the next day's midnight)."""
        return self.valid_until - timedelta(seconds=1)
