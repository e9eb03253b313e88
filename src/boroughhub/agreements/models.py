"""The agreements registry (agreements spec §1, §2); the audit log lives in ``boroughhub.audit``.

The registry models keep a version's signed content
as JSON exactly as hashed, and the envelope (status history, designations, delegations, sign-offs,
withdrawals, reviews) as rows, append-only where the spec says so (§7.3 R5).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save

# ============================================================================ the registry

STATUS_CHOICES = [(s, s.replace("_", " ")) for s in (
    "draft", "in_signature", "active", "suspended", "expired", "terminated", "superseded", "abandoned")]
TERMINAL_STATUSES = frozenset({"expired", "terminated", "superseded", "abandoned"})


class RegistryRevision(models.Model):
    """One row counting registry changes; the enforcement snapshot is cached per revision."""

    revision = models.BigIntegerField(default=0)


class Dataset(models.Model):
    """The hub-wide dataset register (spec §1.6); ``fields`` holds the register's field dicts."""

    id = models.CharField(primary_key=True, max_length=40)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=7, choices=[("source", "Source"), ("derived", "Derived")])
    aggregate = models.BooleanField(default=False)
    registered_suppliers = models.JSONField(default=list)
    fields = models.JSONField(default=list)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    def as_register_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "kind": self.kind, "aggregate": self.aggregate,
                "registered_suppliers": list(self.registered_suppliers), "fields": list(self.fields)}


class Purpose(models.Model):
    """The purpose register (spec §1.7)."""

    code = models.CharField(primary_key=True, max_length=100)
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    law_enforcement = models.BooleanField(default=False)
    broader = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label

    def as_register_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "description": self.description,
                "law_enforcement": self.law_enforcement, "broader": self.broader or None}


class Template(models.Model):
    """A published template version is immutable (spec §1.3)."""

    template_id = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    template_type = models.CharField(max_length=30)
    status = models.CharField(max_length=10, default="published")
    owner = models.CharField(max_length=200)
    legal_text = models.JSONField()
    defaults = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=71)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["template_id", "version"], name="unique_template_version")]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class Agreement(models.Model):
    id = models.CharField(primary_key=True, max_length=60)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id


class AgreementVersion(models.Model):
    """One version: ``content`` is what the parties sign; everything else is the envelope.

    ``status`` always equals the last row of ``status_history`` (written together by the lifecycle
    service). ``revision`` is the optimistic lock of draft edits (T2). ``effective_from`` and
    ``expires_at`` copy the content's window so pages and the scheduler can query them.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=71, blank=True, default="")
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default="draft")
    lead_party = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField(default=1)
    effective_from = models.DateTimeField(null=True)
    expires_at = models.DateTimeField(null=True)
    review_due = models.DateField(null=True)
    activated_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, null=True, related_name="+")
    template = models.ForeignKey(Template, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["agreement_id", "version"]
        constraints = [models.UniqueConstraint(fields=["agreement", "version"], name="unique_agreement_version")]

    def __str__(self) -> str:
        return f"{self.agreement_id} version {self.version}"

    @property
    def title(self) -> str:
        return str(self.content.get("title", self.agreement_id))

    @property
    def party_ids(self) -> list[str]:
        return [p.get("org_id", "") for p in self.content.get("parties", []) if isinstance(p, dict)]

    @property
    def member_ids(self) -> list[str]:
        """The parties named by the content and the organisations that acceded to this version."""
        joined = self.accessions.filter(status="joined").values_list("party_id", flat=True)
        return [*self.party_ids, *(org for org in joined if org not in self.party_ids)]

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES


class VersionParty(models.Model):
    """Which organisations a version names: rebuilt from the content on every save, for queries."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="party_rows")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "organisation"], name="unique_version_party")]


class StatusChange(models.Model):
    """Append-only status history (spec §1.4.2, §7.3 R5); ``by`` is a user id or ``system``."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="status_history")
    status = models.CharField(max_length=12, choices=STATUS_CHOICES)
    at = models.DateTimeField()
    by = models.CharField(max_length=64)
    by_org = models.CharField(max_length=40, blank=True, default="")
    by_role = models.CharField(max_length=20, blank=True, default="")
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]


class SignatoryDesignation(models.Model):
    """The latest designation per (version, party) counts; append-only."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="designations")
    party = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    designated_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class Delegation(models.Model):
    """A signatory's delegation of signing one version (spec §2.8)."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="delegations")
    party = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    delegator = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    reason = models.TextField()
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True)
    revoked_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, null=True, related_name="+")


class SignOff(models.Model):
    """A sign-off record (spec §1.10); append-only, written with its audit entry (§7.2 S8)."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="sign_offs")
    party = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    signer = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    signer_position = models.CharField(max_length=200)
    on_behalf_of = models.ForeignKey("organisations.User", on_delete=models.PROTECT, null=True, related_name="+")
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, null=True, related_name="+")
    decision = models.CharField(max_length=7, choices=[(d, d) for d in ("approve", "decline", "revoke")])
    reason = models.TextField(blank=True, default="")
    content_hash = models.CharField(max_length=71)
    signed_at = models.DateTimeField()
    mfa_at = models.DateTimeField(null=True)
    audit_seq = models.BigIntegerField()
    idempotency_key = models.CharField(max_length=100, unique=True, null=True)

    class Meta:
        ordering = ["signed_at", "id"]


class Withdrawal(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="withdrawals")
    party = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    notice_given_at = models.DateTimeField()
    effective_at = models.DateTimeField()
    by_user = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True, default="")


class Accession(models.Model):
    """An organisation joining an active version under a profile of its accession clause (amendment
    ``docs/agreements-accession.md``): its IG lead's signature on the content hash, then the hub admin's
    countersignature, from which it is a party. Envelope, never content: nobody else signs again.

    The countersignature (or the decline) is written once onto the request; nothing else ever changes.
    """

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="accessions")
    party = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    profile = models.CharField(max_length=40)
    status = models.CharField(max_length=9, choices=[(s, s) for s in ("requested", "joined", "declined")],
                              default="requested")
    content_hash = models.CharField(max_length=71)
    accountable_officer = models.CharField(max_length=200)
    signer = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    signer_position = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    mfa_at = models.DateTimeField(null=True)
    audit_seq = models.BigIntegerField()
    countersigned_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, null=True, related_name="+")
    countersigned_at = models.DateTimeField(null=True)
    countersign_mfa_at = models.DateTimeField(null=True)
    countersign_audit_seq = models.BigIntegerField(null=True)
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["signed_at", "id"]


class Review(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    by_user = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20)
    notes = models.TextField(blank=True, default="")
    next_review_due = models.DateField(null=True)


class Notification(models.Model):
    """An in-hub message to one organisation's holders of a role (or one user); no resident data.

    ``key`` identifies a reminder (version, kind, offset, recipient) so each is sent at most once.
    """

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, blank=True, default="")
    user = models.ForeignKey("organisations.User", on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True, default="")
    link = models.CharField(max_length=300, blank=True, default="")
    key = models.CharField(max_length=200, unique=True, null=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


# Any change the enforcement snapshot reads moves the registry revision on, so the cached
# snapshot is rebuilt at the next decision (enforce.py also fingerprints grants and suspensions,
# which bulk updates change without signals).
def bump_registry_revision() -> None:
    updated = RegistryRevision.objects.filter(pk=1).update(revision=models.F("revision") + 1)
    if not updated:
        RegistryRevision.objects.get_or_create(pk=1, defaults={"revision": 1})


def _bump_registry_revision(sender: object, **kwargs: object) -> None:
    bump_registry_revision()


for _model in (
    Dataset, Purpose, AgreementVersion, StatusChange, SignOff, Withdrawal, Accession, "organisations.Organisation",
    "organisations.OrganisationSuspension", "organisations.RoleGrant",
):
    post_save.connect(_bump_registry_revision, sender=_model, dispatch_uid=f"bump-revision-save-{_model}")
    post_delete.connect(_bump_registry_revision, sender=_model, dispatch_uid=f"bump-revision-delete-{_model}")
