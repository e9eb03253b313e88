"""The projects room's tables: projects, their partners, stage moves, enabler assessments, outcome
indicators, status updates and watchers. Rules live in the plain modules; these hold what happened."""

from __future__ import annotations

from django.db import models

from .enablers import Enabler, Rating
from .stages import Stage

STAGE_CHOICES = [(s.value, s.label) for s in Stage]
PARTNER_KINDS = [("partner", "Partner borough"), ("funder", "Funder"), ("supplier", "Supplier")]


class Project(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    outcome_statement = models.TextField()
    problem = models.TextField(blank=True, default="")
    stage = models.CharField(max_length=10, choices=STAGE_CHOICES, default=Stage.OUTCOME.value)
    paused_from = models.CharField(max_length=10, choices=STAGE_CHOICES, blank=True, default="")
    lead_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    has_technology = models.BooleanField(default=False)
    themes = models.JSONField(default=list)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    funding_pence = models.BigIntegerField(default=0)
    update_interval_days = models.PositiveIntegerField(default=30)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, null=True, related_name="+")
    #: Published on /projects/public/<slug> with only ``public_fields`` shown.
    is_public = models.BooleanField(default=False)
    public_fields = models.JSONField(default=list)
    #: The data sharing agreement the project shares data under (its id in the agreements room).
    agreement_id = models.CharField(max_length=80, blank=True, default="")
    #: The activity of the programme evaluation that evaluates this project (its name in the spec).
    evaluation_activity = models.CharField(max_length=120, blank=True, default="")
    #: The fund application this project was awarded from ("ROUND/REF"), if any.
    awarded_from = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ProjectPartner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=PARTNER_KINDS, default="partner")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "organisation", "kind"], name="project_partner_once")]


class StageMove(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=10, choices=STAGE_CHOICES, blank=True, default="")
    to_stage = models.CharField(max_length=10, choices=STAGE_CHOICES)
    moved_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, null=True, related_name="+")
    moved_by_name = models.CharField(max_length=200)
    moved_at = models.DateTimeField()
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["moved_at", "id"]


class EnablerAssessmentRecord(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="enabler_assessments")
    enabler = models.CharField(max_length=12, choices=[(e.value, e.label) for e in Enabler])
    rating = models.CharField(max_length=5, choices=[(r.value, r.value.capitalize()) for r in Rating])
    note = models.TextField()
    owner = models.CharField(max_length=200)
    assessed_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, null=True, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "enabler"], name="one_assessment_per_enabler")]


class OutcomeIndicator(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, blank=True, default="")
    baseline = models.FloatField()
    target = models.FloatField()

    class Meta:
        ordering = ["id"]


class IndicatorActual(models.Model):
    indicator = models.ForeignKey(OutcomeIndicator, on_delete=models.CASCADE, related_name="actuals")
    period = models.CharField(max_length=20)  # "2026-27 Q1", as the lead reports it
    value = models.FloatField()

    class Meta:
        ordering = ["period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="one_actual_per_period")]


class StatusUpdate(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    written_at = models.DateTimeField()
    written_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, null=True, related_name="+")
    written_by_name = models.CharField(max_length=200)
    summary = models.TextField()

    class Meta:
        ordering = ["-written_at", "-id"]


class Watcher(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="watchers")
    user = models.ForeignKey("organisations.User", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="watch_once")]
