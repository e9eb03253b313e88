"""The demo's Get Online London: two approved hubs in every borough, each with a hub worker account,
and a year of synthetic activity at the published year's scale (3,450 devices, 45,000 SIMs, 10,000
learners), plus stock on hand at every stage so the stock and ageing pages have something to show.

Written with ``bulk_create`` in one transaction, so the demo step takes seconds; run again, it finds
the hubs there and adds nothing. ``seed_lewisham_pilot`` is the small set-up the browser test uses.
"""

from __future__ import annotations

import os
import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from boroughhub.getonline.boroughs import boroughs
from boroughhub.getonline.models import Code, CodeBatch, Device, Donation, Help, Hub, Person, StockRequest
from boroughhub.getonline.rules import DeviceState, HelpKind
from boroughhub.getonline.store import DONOR_DATA_KEPT, LONDON, insert_rows, london_now
from boroughhub.organisations import DEFAULT_DEMO_PASSWORD, Organisation, Role, RoleGrant, User

DEMO_SEED = 20261207
YEAR = {"devices": 3_450, "sims": 45_000, "vouchers": 4_000, "learners": 10_000}
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
ELIGIBILITY = ("low_income", "no_home_broadband", "no_device", "no_data_on_the_go", "benefits")
COURSES = ("Online basics", "Staying safe online", "Using GOV.UK and council services", "Video calls")
MAKES = (("laptop", "Lenovo", "ThinkPad T480"), ("laptop", "Dell", "Latitude 5490"), ("laptop", "HP", "EliteBook 840"),
         ("tablet", "Samsung", "Galaxy Tab A8"), ("phone", "Samsung", "Galaxy A52"), ("phone", "Apple", "iPhone 8"))
BATCH = 2_000


def _slug(label: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in label.lower()).strip("-").replace("--", "-")


def _password() -> str:
    return make_password(os.environ.get("BOROUGHHUB_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD)


def _hub(org_id: str, name: str, borough: str, street: str, postcode: str, now: datetime, hashed: str) -> Hub:
    organisation, _ = Organisation.objects.get_or_create(pk=org_id, defaults={"name": name, "type": "community"})
    hub = Hub.objects.create(
        name=name, organisation=organisation, address=street, postcode=postcode, borough=borough,
        opening_times="Monday to Friday, 10am to 4pm; Saturday 10am to 1pm", offers_devices=True,
        offers_data=True, offers_skills=True, contact_email=f"hello@{org_id}.example", status="approved",
        applied_at=now - timedelta(days=400), decided_at=now - timedelta(days=390))
    email = f"{Role.INCLUSION_WORKER.value}@{org_id}.example"
    user = User.objects.filter(email=email).first() or User.objects.create(
        email=email, display_name=f"Demo Get Online hub worker ({org_id})", password=hashed)
    RoleGrant.objects.get_or_create(user=user, organisation=organisation, role=Role.INCLUSION_WORKER,
                                    defaults={"reason": "Demo account"})
    return hub


def _device(donation: Donation, serial: str, kind: str, make: str, model: str, **fields: Any) -> Device:
    return Device(donation=donation, serial=serial, kind=kind, make=make, model=model, has_storage=True, **fields)


def seed_lewisham_pilot(now: datetime | None = None) -> str:
    """The Lewisham hub of the browser test: a worker, SIM codes at the hub, one wiped and one unwiped laptop."""
    now = now or london_now()
    if Hub.objects.filter(organisation_id="lewisham-digital-hub").exists():
        return "already there"
    with transaction.atomic():
        hub = _hub("lewisham-digital-hub", "Lewisham Digital Hub", "E09000023", "199 Lewisham High Street, London",
                   "SE13 6AA", now, _password())
        batch = CodeBatch.objects.create(kind="sim", operator="Demo Mobile", file_name="lewisham-sims.csv",
                                         loaded_at=now, code_count=20)
        Code.objects.bulk_create(Code(batch=batch, code=f"8944100000{n:010d}", hub=hub) for n in range(1, 21))
        donated = now.date() - timedelta(days=30)
        donation = Donation.objects.create(donor_name="A local firm", donor_contact="it@firm.example",
                                           donated_on=donated, remove_donor_data_on=donated + DONOR_DATA_KEPT)
        Device.objects.bulk_create([
            _device(donation, "LAP-WIPED-001", "laptop", "Lenovo", "ThinkPad T480", state=DeviceState.REFURBISHED,
                    state_since=now, wipe_certificate="BLN-2026-000101", wiped_on=donated + timedelta(days=7), hub=hub),
            _device(donation, "LAP-UNWIPED-001", "laptop", "Dell", "Latitude 5490", state=DeviceState.COLLECTED,
                    state_since=now, hub=hub),
        ])
    return "Lewisham Digital Hub with 20 SIM codes and two laptops"


def seed_demo(today: date | None = None) -> str:
    """Hubs in every borough and the year up to ``today`` (London's today by default)."""
    now = london_now() if today is None else datetime.combine(today, time(12), LONDON)
    if Hub.objects.filter(organisation_id="camden-digital-hub").exists():
        return "already seeded"
    rng = random.Random(DEMO_SEED)
    with transaction.atomic():
        seed_lewisham_pilot(now)
        hashed = _password()
        hubs = list(Hub.objects.filter(organisation_id="lewisham-digital-hub"))
        for code, label in boroughs().items():
            slug = _slug(label)
            if code != "E09000023":
                hubs.append(_hub(f"{slug}-digital-hub", f"{label} Digital Hub", code, f"1 High Street, {label}, London",
                                 "N1 1AA", now, hashed))
            hubs.append(_hub(f"{slug}-library-hub", f"{label} Community Library Hub", code,
                             f"Central Library, {label}, London", "N1 1AB", now, hashed))
        people = _people(hubs, rng, now)
        _help_and_stock(hubs, people, rng, now)
    return f"{len(hubs)} hubs in {len(boroughs())} boroughs, {len(people):,} people helped in the year"


def _day(rng: random.Random, now: datetime) -> date:
    return now.date() - timedelta(days=rng.randint(1, 365))


def _at(day: date) -> datetime:
    return datetime.combine(day, time(11), LONDON)


def _people(hubs: list[Hub], rng: random.Random, now: datetime) -> list[Person]:
    people = []
    for number in range(YEAR["sims"] + YEAR["vouchers"]):
        hub = hubs[number % len(hubs)]
        first = _day(rng, now)
        people.append(Person(hub=hub, reference=f"H{hub.pk:03d}-{number:06d}", borough=hub.borough,
                             age_band=rng.choice(AGE_BANDS), eligibility=rng.sample(ELIGIBILITY, 2),
                             consent_given_on=first, retain_until=first + timedelta(days=3 * 365),
                             recorded_at=_at(first)))
    return Person.objects.bulk_create(people, batch_size=BATCH)


def _help_and_stock(hubs: list[Hub], people: list[Person], rng: random.Random, now: datetime) -> None:
    sims = CodeBatch.objects.create(kind="sim", operator="Demo Mobile", file_name="demo-sims.csv", loaded_at=now,
                                    code_count=YEAR["sims"] + 3_000)
    vouchers = CodeBatch.objects.create(kind="voucher", operator="Demo Mobile", file_name="demo-vouchers.csv",
                                        loaded_at=now, code_count=YEAR["vouchers"] + 1_000)
    # Rows as tuples of columns, written by one prepared statement each (store.insert_rows): the
    # ORM's bulk_create spent most of the demo step building 100,000 model instances.
    codes: list[tuple[Any, ...]] = []
    help_given: list[tuple[Any, ...]] = []
    for number, person in enumerate(people):
        day = person.consent_given_on
        kind, batch = ("sim", sims) if number < YEAR["sims"] else ("voucher", vouchers)
        codes.append((batch.pk, f"D{kind[0].upper()}{number:09d}", person.hub_id, person.pk, _at(day)))
        help_given.append((person.pk, person.hub_id, kind, day, "", "", None))
    # Stock on hand: codes at hubs not yet issued, and a pool not yet allocated.
    for extra in range(4_000):
        batch = sims if extra < 3_000 else vouchers
        hub_id = hubs[extra % len(hubs)].pk if extra % 3 else None
        codes.append((batch.pk, f"DS{len(people) + extra:09d}", hub_id, None, None))
    insert_rows(Code, ("batch_id", "code", "hub_id", "person_id", "issued_at"), codes)
    for person in rng.sample(people, YEAR["learners"]):
        referred = person.consent_given_on
        completed = min(referred + timedelta(days=rng.randint(7, 42)), now.date() - timedelta(days=1))
        help_given.append((person.pk, person.hub_id, HelpKind.SKILLS.value, referred, "", rng.choice(COURSES), completed))
    given_devices = rng.sample(people, YEAR["devices"])
    help_given += [(p.pk, p.hub_id, HelpKind.DEVICE.value, p.consent_given_on, "", "", None) for p in given_devices]
    insert_rows(Help, ("person_id", "hub_id", "kind", "given_on", "repeat_reason", "course", "completed_on"), help_given)
    _devices(hubs, given_devices, rng, now)
    StockRequest.objects.bulk_create(StockRequest(hub=hub, kind=rng.choice(("device", "sim", "voucher")),
                                                  quantity=rng.choice((10, 25, 50)), requested_at=now - timedelta(days=3))
                                     for hub in hubs[::4])


def _devices(hubs: list[Hub], given: list[Person], rng: random.Random, now: datetime) -> None:
    waiting = [(DeviceState.DONATED, 60), (DeviceState.COLLECTED, 140), (DeviceState.WIPED, 40),
               (DeviceState.REFURBISHED, 120), (DeviceState.RECYCLED, 90)]
    plans: list[tuple[DeviceState, Person | None, date]] = [
        (DeviceState.HANDED_OVER, person, person.consent_given_on) for person in given]
    plans += [(state, None, now.date() - timedelta(days=rng.randint(1, 120))) for state, n in waiting for _ in range(n)]
    donations = Donation.objects.bulk_create([
        Donation(donor_name=f"Donor {n}", donor_contact=f"donor{n}@example.org", donated_on=day - timedelta(days=21),
                 remove_donor_data_on=day - timedelta(days=21) + DONOR_DATA_KEPT) for n, (_, _, day) in enumerate(plans)
    ], batch_size=BATCH)
    devices = []
    for number, ((state, person, day), donation) in enumerate(zip(plans, donations, strict=True)):
        kind, make, model = rng.choice(MAKES)
        wiped = state in (DeviceState.WIPED, DeviceState.REFURBISHED, DeviceState.HANDED_OVER)
        devices.append(_device(
            donation, f"DEMO-{number:06d}", kind, make, model, state=state, state_since=_at(day),
            wipe_certificate=f"BLN-{number:06d}" if wiped else "", wiped_on=day - timedelta(days=7) if wiped else None,
            hub=person.hub if person else (rng.choice(hubs) if state == DeviceState.REFURBISHED else None),
            person=person, allocated_at=_at(day) if person else None))
    Device.objects.bulk_create(devices, batch_size=BATCH)
    # Donor data older than its keeping time was removed by the daily command: show it so.
    Donation.objects.filter(remove_donor_data_on__lt=now.date()).update(
        donor_name="", donor_contact="", donor_data_removed_at=now)
