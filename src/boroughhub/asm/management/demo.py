"""The demo's attack surface: Barnet's scope authorised, a subfinder list imported, and one run of the checks
against Barnet's fake zone on loopback (started for the run and stopped after: nothing leaves the machine)."""

from __future__ import annotations

import json

from django.utils import timezone

from boroughhub.asm import store
from boroughhub.asm.checks import CheckOptions, Resolver, parse_resolver, run_checks
from boroughhub.asm.imports import read_inventory_file
from boroughhub.asm.loopback import FakeCouncilZone
from boroughhub.asm.scope import parse_target
from boroughhub.organisations import User

COUNCIL = "barnet"
DOMAIN = "barnet.test"
LEAD = "security_lead@barnet.example"


def seed_demo() -> str:
    if store.scope_of(COUNCIL).authorisation is not None:
        return "already set up"
    user = User.objects.filter(email=LEAD).first() or "system"
    now = timezone.now()
    for entry in (DOMAIN, "127.0.0.1/32"):
        store.add_to_scope(COUNCIL, entry, excluded=False, by=user, role="security_lead", now=now)
    store.authorise_scope(COUNCIL, authorised_by="Demo Chief Information Officer", authorised_on=now.date(),
                          reference="DEMO-ASM-1", by=user, role="security_lead")
    names = [f"{label}.{DOMAIN}" for label in ("www", "intranet", "legacy", "portal", "files", "ssh")]
    listing = "\n".join(json.dumps({"host": name, "input": DOMAIN, "source": "crtsh"}) for name in names)
    store.import_inventory(COUNCIL, read_inventory_file(listing.encode(), "subfinder"), by=user, role="security_lead",
                           now=now, file_name="barnet-subfinder.jsonl")
    with FakeCouncilZone(DOMAIN, now) as zone:
        started = timezone.now()
        run = run_checks([parse_target(t) for t in zone.targets()], store.scope_of(COUNCIL),
                         CheckOptions(now=started, resolver=Resolver(parse_resolver(zone.resolver))))
        saved, findings = store.record_run(COUNCIL, run, by=user, role="security_lead", channel="cli",
                                           started_at=started, finished_at=timezone.now())
    return f"{len(findings)} findings for Barnet's fake zone, {len(saved.refused)} target(s) refused"
