"""The demo's network, written in bulk (a demo step; a few seconds): the Data Week series and its events,
apprentice meetups, 200 apprentices with their accounts, 40 guidance documents, opportunities and
recruitment placements. Running it again changes nothing."""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from boroughhub.network import demo_content as content
from boroughhub.network.clock import network_now
from boroughhub.network.guidance.search import stored_topics
from boroughhub.network.models import (
    Apprentice,
    Candidate,
    Event,
    EventSeries,
    GuidanceDocument,
    GuidanceVersion,
    Opportunity,
    Registration,
    Vacancy,
)
from boroughhub.network.recruitment.savings import DEFAULT_AGENCY_FEE_RATE, DEFAULT_OFFICE_COST
from boroughhub.organisations import DEFAULT_DEMO_PASSWORD, HUB_OPERATOR_ID, Organisation, RoleGrant, User

from .events import unique_slug
from .guidance import flag_stale_guidance


def _demo_hash() -> str:
    """The hash the demo accounts already share (hashing is slow on purpose: once, not 200 times)."""
    existing = User.objects.filter(email=f"event_organiser@{HUB_OPERATOR_ID}.example").first()
    if existing is not None and existing.password:
        return str(existing.password)
    return make_password(os.environ.get("BOROUGHHUB_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD)


def _user(email: str, name: str, organisation_id: str, role: str, password: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(email=email, display_name=name, password=password)
    if not RoleGrant.objects.filter(user=user, organisation_id=organisation_id, role=role).exists():
        RoleGrant.objects.create(user=user, organisation_id=organisation_id, role=role, reason="Demo account")
    return user


def seed_events(today: date, boroughs: list[str]) -> int:
    series, _ = EventSeries.objects.get_or_create(slug=content.DATA_WEEK_SLUG, defaults={
        "title": "London Data Week",
        "description": "London's first Data Week: over 30 events for data users and the public across the city."})
    if Event.objects.filter(series=series).exists():
        return 0
    organisers = [HUB_OPERATOR_ID, *boroughs[:4]]
    now = network_now()
    made = 0
    for item in content.data_week_events(today, organisers):
        Event.objects.create(slug=unique_slug(item.title, item.starts_at), title=item.title,
                             description=item.description, audience=item.audience,
                             organisation_id=item.organisation_id, series=series if item.in_data_week else None,
                             online=item.online, venue=item.venue, capacity=item.capacity, starts_at=item.starts_at,
                             ends_at=item.ends_at, changed_at=now)
        made += 1
    return made


def seed_apprentices(today: date, boroughs: list[str], password: str) -> int:
    if Apprentice.objects.exists():
        return 0
    people = content.apprentices(today, boroughs)
    # In bulk: 200 accounts, grants and profiles in three statements' worth of batches, not 600 round trips.
    emails = [f"apprentice@{p.organisation_id}.example" if p.number == 0
              else f"apprentice{p.number:03d}@{p.organisation_id}.example" for p in people]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create([User(email=email, display_name=person.name, password=password)
                              for email, person in zip(emails, people, strict=True) if email not in existing])
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    RoleGrant.objects.bulk_create([RoleGrant(user=users[email], organisation_id=person.organisation_id,
                                             role="apprentice", reason="Demo account")
                                   for email, person in zip(emails, people, strict=True) if email not in existing])
    Apprentice.objects.bulk_create([
        Apprentice(user=users[email], organisation_id=person.organisation_id, name=person.name,
                   standard=person.standard, level=person.level, cohort=person.cohort, end_date=person.end_date,
                   interests=person.interests, shared=list(person.shared))
        for email, person in zip(emails, people, strict=True)])
    # The first apprentice went to a meetup last month: a session in their portfolio.
    first = Apprentice.objects.select_related("user").order_by("id").first()
    if first is not None:
        past = Event.objects.create(
            slug=unique_slug("Apprentice welcome meetup", network_now() - timedelta(days=30)),
            title="Apprentice welcome meetup", description="Welcome to the Apprentice Hub.", audience="apprentices",
            organisation_id=HUB_OPERATOR_ID, venue=content.VENUES[0], capacity=40,
            starts_at=network_now() - timedelta(days=30), ends_at=network_now() - timedelta(days=30, hours=-2),
            changed_at=network_now())
        Registration.objects.create(event=past, user=first.user, organisation_id=first.organisation_id,
                                    role="apprentice", status=Registration.REGISTERED,
                                    queued_at=past.starts_at - timedelta(days=7), checked_in_at=past.starts_at)
    return len(people)


def seed_guidance(today: date, password: str) -> int:
    if GuidanceDocument.objects.exists():
        return 0
    owner = _user(f"guidance_owner@{HUB_OPERATOR_ID}.example", "Demo guidance owner (hub)", HUB_OPERATOR_ID,
                  "guidance_owner", password)
    now = network_now()
    documents = content.guidance_documents(today)
    for number, item in enumerate(documents):
        document = GuidanceDocument.objects.create(
            slug=unique_guidance_slug(item.title, number), title=item.title, summary=item.summary, body=item.body,
            topics=stored_topics(list(item.topics)), owner=owner, organisation_id=HUB_OPERATOR_ID, version=1,
            review_on=item.review_on, related_projects=item.related_projects,
            related_agreements=item.related_agreements, changed_at=now)
        GuidanceVersion.objects.create(document=document, number=1, title=item.title, summary=item.summary,
                                       body=item.body, note="First version", saved_by=owner, saved_at=now)
    return len(documents)


def unique_guidance_slug(title: str, number: int) -> str:
    from django.utils.text import slugify

    return f"{slugify(title)[:80]}-{number + 1}" if number >= len(content.GUIDANCE_TITLES) else slugify(title)[:90]


def seed_opportunities_and_vacancies(today: date, boroughs: list[str]) -> int:
    if Vacancy.objects.exists():
        return 0
    now = network_now()
    for number, (title, kind) in enumerate((
            ("Junior data analyst", "job"), ("Data engineer (apprentice graduate)", "job"),
            ("Camden's smart street lighting", "visit"), ("Data ethics in practice", "workshop"),
            ("Mentoring from a chief data officer", "mentoring"), ("GIS technician", "job"),
            ("The GLA's data team", "visit"), ("Writing for the web", "workshop"))):
        Opportunity.objects.create(title=title, kind=kind, organisation_id=boroughs[number % len(boroughs)],
                                   description=f"{title}. Open to apprentices across London's councils.",
                                   closes_on=today + timedelta(days=14 + 9 * number), posted_at=now)
    vacancies = content.vacancies(today, boroughs)
    for number, item in enumerate(vacancies, start=1):
        filled_on = item.opened_on + timedelta(days=item.filled_after_days) if item.filled_after_days else None
        vacancy = Vacancy.objects.create(
            reference=f"V{number:04d}", role=item.role, grade=item.grade, organisation_id=item.organisation_id,
            opened_on=item.opened_on, status=Vacancy.FILLED if filled_on else Vacancy.OPEN, filled_on=filled_on,
            candidate_source=item.candidates[0][1] if filled_on else "",
            salary=Decimal(item.salary) if filled_on else None,
            agency_fee_rate=DEFAULT_AGENCY_FEE_RATE if filled_on else None,
            office_cost=DEFAULT_OFFICE_COST if filled_on else None,
            assumption_source="Typical agency rate for permanent digital roles (demo assumption)" if filled_on else "")
        for name, source, outcome in item.candidates:
            Candidate.objects.create(vacancy=vacancy, name=name, source=source, outcome=outcome)
    return len(vacancies)


def seed_network_demo(today: date) -> str:
    """The demo step: what it added, in words."""
    boroughs = list(Organisation.objects.filter(type="borough").order_by("id").values_list("id", flat=True))
    boroughs.sort(key=lambda b: (b != "camden", b))  # Camden first: the demo's apprentice@camden.example
    password = _demo_hash()
    with transaction.atomic():
        events = seed_events(today, boroughs)
        people = seed_apprentices(today, boroughs, password)
        documents = seed_guidance(today, password)
        vacancies = seed_opportunities_and_vacancies(today, boroughs)
        flag_stale_guidance(today)  # what the daily `guidance flag-stale` would have sent the owner
    return (f"{events} events, {people} apprentices, {documents} guidance documents, "
            f"{vacancies} recruitment vacancies added")
