"""The network's tables: events and registrations, apprentices and opportunities, guidance documents and
their versions, recruitment vacancies and shortlists. Instants are stored in UTC, shown in London time."""

from __future__ import annotations

from django.db import models

from boroughhub.network.apprentices.career import OpportunityKind
from boroughhub.network.events.audience import Audience


class EventSeries(models.Model):
    """A programme of events with its own page and calendar feed (London Data Week)."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    audience = models.CharField(max_length=12, choices=[(a.value, a.label) for a in Audience])
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    series = models.ForeignKey(EventSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    online = models.BooleanField(default=False)
    venue = models.CharField(max_length=300, blank=True, default="")
    capacity = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField()
    #: Moves on with each change a calendar must pick up (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["starts_at", "title"]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> str:
        return "Online" if self.online else self.venue


class Registration(models.Model):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    STATUSES = [(REGISTERED, "Registered"), (WAITLISTED, "On the wait-list"), (CANCELLED, "Cancelled")]

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=STATUSES)
    #: When the person joined the queue: the wait-list is served in this order.
    queued_at = models.DateTimeField()
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")]


class Apprentice(models.Model):
    """An apprentice's profile: ``shared`` lists the directory fields they chose to show members."""

    user = models.OneToOneField("organisations.User", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    standard = models.CharField(max_length=120)
    level = models.PositiveSmallIntegerField()
    cohort = models.CharField(max_length=40)
    end_date = models.DateField()
    interests = models.CharField(max_length=300, blank=True, default="")
    shared = models.JSONField(default=list)

    class Meta:
        ordering = ["name"]


class Opportunity(models.Model):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=[(k.value, k.label) for k in OpportunityKind])
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    closes_on = models.DateField()
    posted_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, null=True, related_name="+")
    posted_at = models.DateTimeField()

    class Meta:
        ordering = ["closes_on", "title"]


class GuidanceDocument(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500)
    body = models.TextField()
    #: "|data ethics|generative ai|": see guidance/search.py ``stored_topics``.
    topics = models.CharField(max_length=500, blank=True, default="")
    owner = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    review_on = models.DateField()
    related_projects = models.CharField(max_length=500, blank=True, default="")
    related_agreements = models.CharField(max_length=500, blank=True, default="")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["review_on"])]


class GuidanceVersion(models.Model):
    """Every saved version of a document, kept whole so any two can be compared."""

    document = models.ForeignKey(GuidanceDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500)
    body = models.TextField()
    note = models.CharField(max_length=300, blank=True, default="")
    saved_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_guidance_version_number")]


class Vacancy(models.Model):
    OPEN, FILLED, WITHDRAWN = "open", "filled", "withdrawn"

    reference = models.CharField(max_length=20, unique=True)
    role = models.CharField(max_length=200)
    grade = models.CharField(max_length=60)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField()
    status = models.CharField(max_length=10, default=OPEN,
                              choices=[(OPEN, "Open"), (FILLED, "Filled"), (WITHDRAWN, "Withdrawn")])
    filled_on = models.DateField(null=True, blank=True)
    candidate_source = models.CharField(max_length=40, blank=True, default="")
    salary = models.DecimalField(max_digits=9, decimal_places=0, null=True, blank=True)
    agency_fee_rate = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    office_cost = models.DecimalField(max_digits=8, decimal_places=0, null=True, blank=True)
    assumption_source = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-opened_on", "reference"]


class Candidate(models.Model):
    """Someone shortlisted for a vacancy from the apprentice or member networks."""

    SOURCES = [("apprentice network", "Apprentice network"), ("member network", "Member network")]
    OUTCOMES = [("shortlisted", "Shortlisted"), ("interviewed", "Interviewed"), ("offered", "Offered"),
                ("appointed", "Appointed"), ("not appointed", "Not appointed")]

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=40, choices=SOURCES)
    outcome = models.CharField(max_length=20, choices=OUTCOMES, default="shortlisted")

    class Meta:
        ordering = ["name"]
