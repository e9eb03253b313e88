"""A submission: one upload of one source's files by one supplier, and what became of it."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from .cycle.calendar import FREQUENCY_CHOICES, Frequency, Schedule
from .statuses import AFTER_LOADING_CHOICES, LOADED, SOURCE_LABELS, STATUS_CHOICES, AfterLoading, Status

#: A running submission with no progress for this long is shown as probably stuck.
STUCK_AFTER = timedelta(minutes=30)


def new_submission_id() -> str:
    return uuid.uuid4().hex


class Submission(models.Model):
    """The app's record of an upload; ``id`` is also the warehouse's ``submission_id``.

    The validation report is kept here (rows and summary) so the status page never reads the
    warehouse; the full report CSV sits beside the uploads (``report_path``).
    """

    id = models.CharField(primary_key=True, max_length=32, default=new_submission_id, editable=False)
    source = models.CharField(max_length=10, blank=True, default="")
    supplier_code = models.CharField(max_length=40, blank=True, default="")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="submissions"
    )
    uploaded_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="submissions")
    role = models.CharField(max_length=20)
    channel = models.CharField(max_length=3, choices=[("web", "Web page"), ("cli", "Command line")], default="web")
    uploaded_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=Status.QUEUED.value)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True, default="")
    progress_at = models.DateTimeField(default=timezone.now)  # last sign of life of the running task
    agreement_id = models.CharField(max_length=100, blank=True, default="")
    agreement_version = models.PositiveIntegerField(null=True, blank=True)
    decision_reason = models.CharField(max_length=40, blank=True, default="")
    decision_fields = models.JSONField(default=list, blank=True)
    files = models.JSONField(default=list, blank=True)  # [{"name", "sha256", "bytes", "rows"}]
    report_rows = models.JSONField(default=list, blank=True)
    report_summary = models.JSONField(default=dict, blank=True)
    warehouse_version = models.PositiveIntegerField(null=True, blank=True)
    failure_message = models.TextField(blank=True, default="")
    # What follows an accepted load (linkage, then the insights refresh), reported by the linkage task.
    after_loading = models.CharField(max_length=10, choices=AFTER_LOADING_CHOICES, blank=True, default="")
    after_loading_message = models.CharField(max_length=200, blank=True, default="")
    after_loading_at = models.DateTimeField(null=True, blank=True)
    # The manifest's extract_period_end: the calendar period the submission counts for.
    period_end = models.DateField(null=True, blank=True)
    # Counts of the people records loaded (cycle/quality.py): numbers only, never a value.
    quality = models.JSONField(default=dict, blank=True)
    # When the retention job deleted this version from the warehouse, and the clause it was kept under.
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_under = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["organisation", "-uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.source or 'submission'} {self.id} ({self.status})"

    @property
    def state(self) -> Status:
        return Status(self.status)

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source.upper())

    @property
    def running(self) -> bool:
        return self.state.running

    @property
    def loaded(self) -> bool:
        return self.state in LOADED

    @property
    def upload_folder(self) -> Any:
        return settings.DATA_DIR / "uploads" / self.id

    @property
    def report_path(self) -> Any:
        return settings.DATA_DIR / "reports" / f"{self.id}.csv"

    @property
    def after_loading_state(self) -> AfterLoading:
        return AfterLoading(self.after_loading)

    @property
    def still_working(self) -> bool:
        """Loading, or linking and refreshing after the load: the status page keeps refreshing."""
        return self.running or self.after_loading_state.running

    @classmethod
    def report_after_loading(cls, submission_id: str, state: AfterLoading, message: str = "") -> None:
        """Called by the work that follows an accepted load; a missing submission is ignored."""
        cls.objects.filter(pk=submission_id).update(
            after_loading=state.value, after_loading_message=message[:200], after_loading_at=timezone.now()
        )

    def looks_stuck(self, now: Any = None, after: timedelta = STUCK_AFTER) -> bool:
        """Running, but no progress for a long time: the worker stopped or was never started."""
        return self.running and (now or timezone.now()) - self.progress_at > after

    def total_rows(self) -> int:
        return sum(int(f.get("rows") or 0) for f in self.files if isinstance(f, dict))


class CalendarEntry(models.Model):
    """What a supplier sends and when: one source, how often, and the day of the next month it is due.

    Kept by the hub's data managers (the calendar pages); the rules live in ``cycle/calendar.py``."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="calendar_entries"
    )
    source = models.CharField(max_length=10, choices=list(SOURCE_LABELS.items()))
    frequency = models.CharField(max_length=10, choices=FREQUENCY_CHOICES, default=Frequency.MONTHLY.value)
    due_day = models.PositiveSmallIntegerField(default=10)
    first_period_start = models.DateField()
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation__name", "source"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "source"], name="one_calendar_entry_per_source"),
            models.CheckConstraint(condition=models.Q(due_day__gte=1, due_day__lte=28), name="due_day_1_to_28"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {SOURCE_LABELS.get(self.source, self.source)}"

    def as_schedule(self) -> Schedule:
        organisation = self.organisation
        return Schedule(
            supplier_code=organisation.supplier_code, supplier_name=organisation.name,
            supplier_type=organisation.type, source=self.source, frequency=Frequency(self.frequency),
            due_day=self.due_day, first_period_start=self.first_period_start,
        )
