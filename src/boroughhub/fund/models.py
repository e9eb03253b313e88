"""The fund's tables: rounds and their criteria, applications, conflicts, scores (every change kept
in the audit log too), assessors' submissions, flags and the panel's moderated scores."""

from __future__ import annotations

from django.db import models

APPLICATION_STATUSES = [("draft", "Draft"), ("submitted", "Submitted")]
OUTCOMES = [("", "Not decided"), ("funded", "Funded"), ("reserve", "Reserve"), ("not_funded", "Not funded")]


class Round(models.Model):
    round_id = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    budget_pence = models.BigIntegerField()
    maximum_pence = models.BigIntegerField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    minimum_partner_boroughs = models.PositiveIntegerField(default=1)
    #: Applications below this moderated score (out of 100) are not funded, whatever the budget.
    threshold = models.FloatField(default=50)
    decided_at = models.DateTimeField(null=True, blank=True)
    #: Submitted applications are listed for comments by signed-in staff.
    public_listing = models.BooleanField(default=False)

    class Meta:
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=40)
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, default="")
    weight = models.PositiveIntegerField()
    scale_min = models.IntegerField(default=0)
    scale_max = models.IntegerField(default=5)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "key"], name="criterion_key_once")]


class Application(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    lead_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    partner_boroughs = models.JSONField(default=list)
    other_partners = models.TextField(blank=True, default="")
    outcome_statement = models.TextField(blank=True, default="")
    problem = models.TextField(blank=True, default="")
    idea = models.TextField(blank=True, default="")
    has_technology = models.BooleanField(default=False)
    #: What the applicant says of each hidden enabler: {enabler: note}.
    enablers = models.JSONField(default=dict)
    #: [{"item": str, "amount_pence": int}]
    budget_lines = models.JSONField(default=list)
    requested_pence = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=APPLICATION_STATUSES, default="draft")
    created_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    moderated_score = models.FloatField(null=True, blank=True)
    moderation_note = models.TextField(blank=True, default="")
    outcome = models.CharField(max_length=10, choices=OUTCOMES, blank=True, default="")
    decision_reason = models.TextField(blank=True, default="")
    awarded_project_slug = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        ordering = ["reference"]
        constraints = [models.UniqueConstraint(fields=["round", "reference"], name="application_reference_once")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Conflict(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    assessor = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    declared_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "assessor"], name="conflict_once")]


class Score(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    assessor = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.IntegerField()
    justification = models.TextField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "assessor", "criterion"], name="score_once")]


class AssessorSubmission(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assessor_submissions")
    assessor = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "assessor"], name="assessor_submits_once")]


class Flag(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="flags")
    assessor = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    concern = models.TextField()
    raised_at = models.DateTimeField()


class ModeratedScore(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="moderated_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "criterion"], name="moderated_once")]


class Comment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["written_at", "id"]
