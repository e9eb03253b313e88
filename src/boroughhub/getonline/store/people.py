"""Hubs, the people they help, skills courses, donor data removal and the figures the report reads."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count

from boroughhub.getonline.csvfiles import (
    ImportRefused,
    Problem,
    read_completions,
)
from boroughhub.getonline.figures import Given
from boroughhub.getonline.models import Donation, Help, Hub, Person
from boroughhub.getonline.rules import (
    HelpKind,
    Refusal,
    check_repeat_help,
)
from boroughhub.getonline.store.common import Who, _audit, _import_refused
from boroughhub.organisations import Organisation

# Hubs -------------------------------------------------------------------------------------------

def apply_for_hub(fields: dict[str, Any], now: datetime) -> Hub:
    with transaction.atomic():
        hub = Hub.objects.create(applied_at=now, status="applied", **fields)
        _audit(None, "registry", "ok", "go_hub_applied", hub=hub.pk, borough=hub.borough)
    return hub


def _organisation_id(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:30] or "hub"
    candidate, number = base, 1
    while Organisation.objects.filter(pk=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate if re.match(r"^[a-z]", candidate) else f"hub-{candidate}"[:40]


def decide_hub(hub: Hub, approve: bool, note: str, who: Who, now: datetime) -> Hub:
    """Approve (the hub's community organisation is registered, so it can hold staff accounts) or refuse."""
    with transaction.atomic():
        hub = Hub.objects.select_for_update().get(pk=hub.pk)
        if hub.status != "applied":
            raise Refusal("already_decided", f"{hub.name} was already {hub.get_status_display().lower()}.")
        hub.status, hub.decided_at, hub.decision_note = ("approved" if approve else "refused"), now, note
        if approve and hub.organisation is None:
            hub.organisation = Organisation.objects.create(
                id=_organisation_id(hub.name), name=hub.name, type="community")
        hub.save()
        _audit(who, "registry", "ok", "go_hub_approved" if approve else "go_hub_refused",
               hub=hub.pk, organisation=hub.organisation_id)
    return hub


def approved_hubs() -> Any:
    return Hub.objects.filter(status="approved").order_by("borough", "name")


def hub_of_organisation(org_id: str) -> Hub | None:
    return Hub.objects.filter(organisation_id=org_id, status="approved").first()


# People -----------------------------------------------------------------------------------------

def register_person(hub: Hub, fields: dict[str, Any], who: Who, now: datetime) -> Person:
    taken = Refusal("duplicate_reference", f"Reference {fields['reference']} is already used. "
                    "Use your hub's own numbering so each person has one reference.")
    if Person.objects.filter(reference=fields["reference"]).exists():
        raise taken
    try:
        with transaction.atomic():
            person = Person.objects.create(hub=hub, recorded_at=now, **fields)
            _audit(who, "registry", "ok", "go_person_registered", hub=hub.pk, person=person.pk)
    except IntegrityError:  # another worker took the reference a moment ago
        raise taken from None
    return person


def _check_repeat(person: Person, kind: HelpKind, on: date, reason: str) -> None:
    earlier = Help.objects.filter(person=person, kind=kind).values_list("given_on", flat=True)
    check_repeat_help(kind, on, list(earlier), reason)


# Skills -----------------------------------------------------------------------------------------

def refer_to_course(hub: Hub, person: Person, course: str, who: Who, now: datetime) -> Help:
    with transaction.atomic():
        referral = Help.objects.create(person=person, hub=hub, kind=HelpKind.SKILLS, given_on=now.date(), course=course)
        _audit(who, "registry", "ok", "go_skills_referral", hub=hub.pk, person=person.pk)
    return referral


def import_completions(text: str, who: Who) -> int:
    """The learning platform's completions, matched to people by hub reference; all rows or none."""
    try:
        rows = read_completions(text)
        people = dict(Person.objects.filter(reference__in=[row.reference for row in rows])
                      .values_list("reference", "pk"))
        unknown = [Problem(row.line, "reference", "unknown_reference",
                           f"No person has the hub reference {row.reference}: check it with the hub.")
                   for row in rows if row.reference not in people]
        if unknown:
            raise ImportRefused(unknown)
    except ImportRefused as refused:
        raise _import_refused(who, "go_completions", refused) from None
    with transaction.atomic():
        for row in rows:
            person = Person.objects.select_related("hub").get(pk=people[row.reference])
            referral = (Help.objects.filter(person=person, kind=HelpKind.SKILLS, course=row.course,
                                            completed_on__isnull=True).order_by("given_on").first())
            if referral is None:  # learners may join a course without a referral from the hub
                referral = Help(person=person, hub=person.hub, kind=HelpKind.SKILLS, course=row.course,
                                given_on=row.completed_on)
            referral.completed_on = row.completed_on
            referral.save()
        _audit(who, "registry", "ok", "go_completions", completions=len(rows))
    return len(rows)


# Donor data and reporting -----------------------------------------------------------------------

def remove_donor_data(today: date, now: datetime) -> int:
    """Blank donors' names and contacts whose time is up; one audit entry says how many."""
    with transaction.atomic():
        due = Donation.objects.filter(remove_donor_data_on__lte=today, donor_data_removed_at__isnull=True)
        ids = list(due.values_list("pk", flat=True))
        Donation.objects.filter(pk__in=ids).update(donor_name="", donor_contact="", donor_data_removed_at=now)
        _audit(None, "registry", "ok", "go_donor_data_gone", donations=len(ids), as_of=today.isoformat())
    return len(ids)


def remove_expired_people(today: date, now: datetime) -> int:
    """People whose retention date has passed lose their hub reference and eligibility reasons; what
    the report counts (borough of the hub, dates, kinds of help) stays. One audit entry says how many."""
    with transaction.atomic():
        ids = list(Person.objects.filter(retain_until__lt=today, removed_at__isnull=True).values_list("pk", flat=True))
        for pk in ids:
            Person.objects.filter(pk=pk).update(reference=f"removed:{pk}", eligibility=[], removed_at=now)
        _audit(None, "registry", "ok", "go_retention_removed", people=len(ids),
               as_of=today.isoformat())
    return len(ids)


def given_between(start: date, end: date) -> list[Given]:
    """What was given in the period, for ``figures``: devices allocated, codes issued, courses completed."""
    records = [Given("devices" if kind == HelpKind.DEVICE else "sims" if kind == HelpKind.SIM else "data_vouchers",
                     borough, hub_name, on)
               for kind, borough, hub_name, on in Help.objects.filter(
                   kind__in=[HelpKind.DEVICE, HelpKind.SIM, HelpKind.VOUCHER], given_on__range=(start, end))
               .values_list("kind", "hub__borough", "hub__name", "given_on").iterator(chunk_size=5_000)]
    records += [Given("learners", borough, hub_name, on, str(person))
                for borough, hub_name, on, person in Help.objects.filter(
                    kind=HelpKind.SKILLS, completed_on__range=(start, end))
                .values_list("hub__borough", "hub__name", "completed_on", "person_id").iterator(chunk_size=5_000)]
    return records


def first_help_on() -> date | None:
    """The day the first help was recorded: the report offers no month before it."""
    first: date | None = Help.objects.order_by("given_on").values_list("given_on", flat=True).first()
    return first


def headline(start: date, end: date) -> dict[str, int]:
    """London's public headline figures for the period, counted in the database (the public page
    is opened far more often than the report)."""
    counts = dict(Help.objects.filter(kind__in=[HelpKind.DEVICE, HelpKind.SIM, HelpKind.VOUCHER],
                                      given_on__range=(start, end)).values_list("kind").annotate(n=Count("pk")))
    learners = (Help.objects.filter(kind=HelpKind.SKILLS, completed_on__range=(start, end))
                .values("person_id").distinct().count())
    return {"devices": counts.get(HelpKind.DEVICE, 0), "sims": counts.get(HelpKind.SIM, 0),
            "data_vouchers": counts.get(HelpKind.VOUCHER, 0), "learners": learners}


