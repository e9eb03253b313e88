"""The demo's resident view: the safeguarding agreement signed by its parties, the ASC CLD submissions
of Lambeth and Westminster (validated, then loaded), the housing, outreach and hostel involvements of the
people the hub already holds, and the demo frontline workers' teams.

Idempotent: a demo that already has its residents keeps them.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from boroughhub.agreements import demo_document, ensure_signed_demo_agreement
from boroughhub.residents.models import Involvement, KnownAddress, Resident, WorkerTeam
from boroughhub.residents.rules import fold_name
from boroughhub.sources import ASC_CLD_COLUMNS as COLUMNS
from boroughhub.sources import ASC_CLD_FILE as FILE_NAME
from boroughhub.synthetic import RESIDENT_TEAMS as TEAMS
from boroughhub.synthetic import STORY_RESIDENTS as STORY
from boroughhub.synthetic import ResidentsWorld, build_residents

from .agreement import AGREEMENT_ID, LEAD_PARTY, safeguarding_content
from .submit import submit_asc_cld

DEMO_SEED = 20261207
#: The demo frontline workers and the team each belongs to.
DEMO_TEAMS = {"lambeth": "LAM-ASC-NORTH", "westminster": "WES-HOUSING-OPTIONS", "gla": "GLA-OUTREACH-WEST"}


def ensure_agreement() -> str | None:
    return ensure_signed_demo_agreement(AGREEMENT_ID, LEAD_PARTY, safeguarding_content(demo_document()["content"]))


def write_asc_submission(world: ResidentsWorld, out: Path) -> dict[str, Path]:
    """Each ASC supplier's ASC CLD events file, as it would send it."""
    files = {}
    for org, rows in sorted(world.asc_events.items()):
        folder = out / org / "asc_cld"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / FILE_NAME
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        files[org] = path
    return files


def submit_as_demo_uploader(org: str, path: Path) -> int:
    """The organisation's demo uploader submits its ASC CLD file, as a person would (decided, checked, loaded)."""
    from boroughhub.organisations import User

    uploader = User.objects.filter(email=f"uploader@{org}.example").first()
    if uploader is None:
        raise LookupError(f"The demo account uploader@{org}.example is missing: create the demo accounts first.")
    outcome = submit_asc_cld(uploader, org, path)
    if not outcome.loaded:
        problem = outcome.refusal or "; ".join(outcome.report.summary_lines())
        raise ValueError(f"The demo ASC CLD submission of {org} was not loaded: {problem}")
    return outcome.cases_loaded


def load_world(world: ResidentsWorld, asc_files: dict[str, Path]) -> int:
    with transaction.atomic():
        Resident.objects.bulk_create([
            Resident(resident_id=r.resident_id, first_name=r.first_name, last_name=r.last_name,
                     last_name_folded=fold_name(r.last_name), first_name_folded=fold_name(r.first_name),
                     date_of_birth=r.date_of_birth) for r in world.residents], batch_size=2000, ignore_conflicts=True)
        Involvement.objects.bulk_create([
            Involvement(resident_id=i.resident_id, source=i.source, supplier=i.supplier, record_key=i.record_key,
                        team_code=i.team_code, team_name=i.team_name, key_worker_name=i.key_worker_name,
                        key_worker_phone=i.key_worker_phone, key_worker_email=i.key_worker_email,
                        start_date=i.start_date, end_date=i.end_date)
            for i in world.involvements if i.source != "asc_cld"], batch_size=2000, ignore_conflicts=True)
        for org, path in asc_files.items():
            submit_as_demo_uploader(org, path)
        KnownAddress.objects.bulk_create([
            KnownAddress(resident_id=a.resident_id, source=a.source, supplier=a.supplier, address=a.address,
                         postcode=a.postcode, date_from=a.date_from, date_to=a.date_to) for a in world.addresses],
            batch_size=2000)
    return len(world.residents)


def assign_demo_teams() -> int:
    from boroughhub.organisations import User

    made = 0
    for org, team in DEMO_TEAMS.items():
        user = User.objects.filter(email=f"frontline_worker@{org}.example").first()
        if user is not None:
            made += WorkerTeam.objects.get_or_create(user=user, organisation_id=org, team_code=team)[1]
    return made


def seed_demo_residents(today: date | None = None, count: int = 200, truth: Path | None = None) -> str:
    """The whole demo of the room; ``truth`` defaults to the demo's synthetic people when they exist."""
    made = ensure_agreement()
    teams = assign_demo_teams()
    if Resident.objects.filter(resident_id=STORY[0].resident_id).exists():
        return f"residents already loaded; agreement {made or 'already there'}; {teams} team memberships added"
    day = today or timezone.localdate()
    default_truth = Path(settings.DATA_DIR) / "synthetic" / "truth"
    world = build_residents(day, seed=DEMO_SEED, count=count, truth=truth or default_truth)
    asc_files = write_asc_submission(world, Path(settings.DATA_DIR) / "residents" / "submissions")
    residents = load_world(world, asc_files)
    return (f"{residents} residents, {len(world.involvements)} involvements from "
            f"{len({(k[0]) for k in TEAMS})} organisations; agreement {made or 'already there'}")
