"""The attack surface tables: each council's scope and its authorisation, the asset inventory with
provenance, the findings register and the runs of the checks. Every row belongs to one council."""

from __future__ import annotations

from django.db import models

from boroughhub.asm.rules import CRITICALITIES, SEVERITIES, STATUS_LABELS


class Scope(models.Model):
    council = models.OneToOneField("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    authorised_by = models.CharField(max_length=200, blank=True, default="")
    authorised_on = models.DateField(null=True)
    reference = models.CharField(max_length=200, blank=True, default="")
    recorded_by = models.CharField(max_length=254, blank=True, default="")

    @property
    def authorised(self) -> bool:
        return bool(self.authorised_by and self.authorised_on and self.reference)


class ScopeEntry(models.Model):
    scope = models.ForeignKey(Scope, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10)  # domain, netblock, asn
    value = models.CharField(max_length=255)
    excluded = models.BooleanField(default=False)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["excluded", "kind", "value"]
        constraints = [models.UniqueConstraint(fields=["scope", "kind", "value", "excluded"], name="asm_scope_entry_once")]


class Asset(models.Model):
    council = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12)  # domain, host, ip, service, certificate, web
    name = models.CharField(max_length=300)
    port = models.IntegerField(null=True)
    protocol = models.CharField(max_length=20, blank=True, default="")
    product = models.CharField(max_length=200, blank=True, default="")
    sources = models.JSONField(default=list)  # "checks", "subfinder", "httpx", ...
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    owner_team = models.CharField(max_length=100, blank=True, default="")
    criticality = models.CharField(max_length=6, choices=[(c, c.title()) for c in CRITICALITIES], default="medium")

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["council", "kind", "name"], name="asm_asset_once")]


class Finding(models.Model):
    council = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="findings")
    target = models.CharField(max_length=300, blank=True, default="")  # what the check or scanner was given
    rule = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    check_kind = models.CharField(max_length=12)  # dns, tcp, http, tls, exposure, or the importing scanner
    severity = models.CharField(max_length=8, choices=[(s, s.title()) for s in SEVERITIES])
    exposure = models.IntegerField()
    cve = models.CharField(max_length=20, blank=True, default="")
    known_exploited = models.BooleanField(default=False)
    priority = models.IntegerField()
    evidence = models.TextField()
    status = models.CharField(max_length=14, choices=list(STATUS_LABELS.items()), default="open")
    status_reason = models.TextField(blank=True, default="")
    status_changed_by = models.CharField(max_length=254, blank=True, default="")
    owner = models.CharField(max_length=100, blank=True, default="")
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-priority", "rule", "id"]
        constraints = [models.UniqueConstraint(fields=["asset", "rule", "cve"], name="asm_finding_once")]


RUN_STATUSES = [("queued", "Waiting to start"), ("running", "Running"), ("done", "Finished"), ("failed", "Failed")]


class CheckRun(models.Model):
    council = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=RUN_STATUSES, default="done")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    started_by = models.CharField(max_length=254)
    channel = models.CharField(max_length=8)  # "web" or "cli"
    #: What a web run was asked to check (the background task reads it): {"targets": [...], "resolver": ...}.
    request = models.JSONField(default=dict)
    failure = models.TextField(blank=True, default="")
    targets = models.IntegerField()
    checked = models.IntegerField(default=0)
    refused = models.JSONField(default=list)  # [{"target", "reason"}]
    changes = models.JSONField(default=dict)  # {"new_assets": [...], "new_findings": [...], "resolved": [...]}

    class Meta:
        ordering = ["-started_at", "-id"]
