"""The resident view's tables: who is known to which service, the teams workers belong to, and
break-glass openings with the alerts they raise.

Residents' names and dates of birth are the direct identifiers the ``involvement`` dataset's
agreement covers; they are read only through ``store`` after ``decide()`` permits (docs/decisions/0100).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Resident(models.Model):
    resident_id = models.CharField(primary_key=True, max_length=40)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    #: ``rules.fold_name`` of the surname: the surname-first search reads this column's index.
    last_name_folded = models.CharField(max_length=100)
    first_name_folded = models.CharField(max_length=100)
    date_of_birth = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["last_name_folded", "date_of_birth"], name="residents_surname_dob")]


class SourceRecord(models.Model):
    """One source's record of a person, under the source's own local id; a resident is a cluster of these,
    found by matching (``store.matching``), never by an id shared across sources."""

    #: ``source:supplier:local id``
    key = models.CharField(primary_key=True, max_length=120)
    source = models.CharField(max_length=20)
    supplier = models.CharField(max_length=40)
    local_id = models.CharField(max_length=60)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="source_records")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True, default="")


class Involvement(models.Model):
    """One service's involvement with a resident, from the source its organisation supplies."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="involvements")
    source = models.CharField(max_length=20)
    supplier = models.CharField(max_length=40)
    record_key = models.CharField(max_length=60)
    team_code = models.CharField(max_length=40)
    team_name = models.CharField(max_length=200)
    key_worker_name = models.CharField(max_length=200)
    key_worker_phone = models.CharField(max_length=40)
    key_worker_email = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["supplier", "team_code", "resident"], name="residents_team_cases")]
        constraints = [models.UniqueConstraint(fields=["source", "supplier", "record_key"],
                                               name="residents_one_row_per_record")]


class KnownAddress(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="addresses")
    source = models.CharField(max_length=20)
    supplier = models.CharField(max_length=40)
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=10)
    date_from = models.DateField()
    date_to = models.DateField(null=True, blank=True)


class WorkerTeam(models.Model):
    """The teams a frontline worker belongs to, set by their organisation (not by the worker)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resident_teams")
    organisation_id = models.CharField(max_length=40)
    team_code = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation_id", "team_code"],
                                               name="residents_one_team_membership")]


class BreakGlass(models.Model):
    """A worker opened a resident without a relationship, for a typed reason, until ``expires_at``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation_id = models.CharField(max_length=40)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()


class BreakGlassAlert(models.Model):
    """One alert per organisation whose data a break-glass opening shows; its privacy officers close it."""

    OPEN, CLOSED = "open", "closed"
    OUTCOMES = [("justified", "Justified: the reason stands"),
                ("not_justified", "Not justified: taken up with the worker's organisation"),
                ("referred", "Referred to the data protection officer")]

    break_glass = models.ForeignKey(BreakGlass, on_delete=models.CASCADE, related_name="alerts")
    organisation_id = models.CharField(max_length=40)
    status = models.CharField(max_length=10, default=OPEN)
    outcome = models.CharField(max_length=20, blank=True, default="", choices=OUTCOMES)
    outcome_note = models.TextField(blank=True, default="")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-break_glass__opened_at", "id"]


class MatchingRun(models.Model):
    """One load's matching, in counts only (no person): what a data manager checks (decision 0102)."""

    ran_at = models.DateTimeField()
    #: what was loaded, in words ("ASC CLD of lambeth", "housing, outreach and hostel records (demo)")
    loaded = models.CharField(max_length=200)
    records = models.PositiveIntegerField()
    already_held = models.PositiveIntegerField()
    matched_to_known = models.PositiveIntegerField()
    residents_added = models.PositiveIntegerField()
    #: the loaded records that founded (or joined) those new residents
    new_resident_records = models.PositiveIntegerField()
    uncertain_pairs = models.PositiveIntegerField()
    without_date_of_birth = models.PositiveIntegerField()
    unmatched_reason = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-ran_at", "-id"]
