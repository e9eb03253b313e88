"""The demo's resident view: the safeguarding agreement signed by its parties, the housing, outreach and
hostel involvements of the people the hub already holds, the ASC CLD submissions of Lambeth and
Westminster (validated, then loaded), and the demo frontline workers' teams. Each source's people come
under that source's own ids; which resident each is, is matched (``matching``), the synthetic truth unused.

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
from boroughhub.residents.models import Involvement, KnownAddress, SourceRecord, WorkerTeam
from boroughhub.residents.people import RecordedPerson
from boroughhub.sources import ASC_CLD_COLUMNS as COLUMNS
from boroughhub.sources import ASC_CLD_FILE as FILE_NAME
from boroughhub.synthetic import RESIDENT_TEAMS as TEAMS
from boroughhub.synthetic import ResidentsWorld, build_residents

from .agreement import AGREEMENT_ID, LEAD_PARTY, safeguarding_content
from .matching import Matched, assign_residents
from .submit import AscSubmission, submit_asc_cld

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


def write_truth(world: ResidentsWorld, out: Path) -> Path:
    """Which resident each source record really is, for measuring the matching (never read by the hub)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "resident_records.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["record", "resident"])
        writer.writerows(sorted(world.truth.items()))
    return path


def submit_as_demo_uploader(org: str, path: Path) -> AscSubmission:
    """The organisation's demo uploader submits its ASC CLD file, as a person would (decided, checked, loaded)."""
    from boroughhub.organisations import User

    uploader = User.objects.filter(email=f"uploader@{org}.example").first()
    if uploader is None:
        raise LookupError(f"The demo account uploader@{org}.example is missing: create the demo accounts first.")
    outcome = submit_asc_cld(uploader, org, path)
    if not outcome.loaded:
        problem = outcome.refusal or "; ".join(outcome.report.summary_lines())
        raise ValueError(f"The demo ASC CLD submission of {org} was not loaded: {problem}")
    return outcome


def load_world(world: ResidentsWorld, asc_files: dict[str, Path]) -> Matched:
    """Housing, outreach and hostel people (matched), their involvements, then the ASC CLD submissions
    (matched as they load), then every known address, on the resident its source record was matched to."""
    with transaction.atomic():
        postcodes = latest_postcodes(world)
        others = [RecordedPerson(p.source, p.supplier, p.local_id, p.first_name, p.last_name, p.date_of_birth,
                                 postcodes.get(p.key, ""))
                  for p in world.source_people.values() if p.source != "asc_cld"]
        matched = assign_residents(others, "Housing, outreach and hostel records (demo)")
        Involvement.objects.bulk_create([
            Involvement(resident_id=matched.resident_of[i.person_key], source=i.source, supplier=i.supplier,
                        record_key=i.record_key, team_code=i.team_code, team_name=i.team_name,
                        key_worker_name=i.key_worker_name, key_worker_phone=i.key_worker_phone,
                        key_worker_email=i.key_worker_email, start_date=i.start_date, end_date=i.end_date)
            for i in world.involvements if i.source != "asc_cld" and i.person_key in matched.resident_of],
            batch_size=2000, ignore_conflicts=True)
        for org, path in asc_files.items():
            outcome = submit_as_demo_uploader(org, path)
            matched.residents_added += outcome.residents_added
            matched.uncertain_pairs += outcome.uncertain_pairs
        resident_of = dict(SourceRecord.objects.values_list("key", "resident_id"))
        KnownAddress.objects.bulk_create([
            KnownAddress(resident_id=resident_of[a.person_key], source=a.source, supplier=a.supplier,
                         address=a.address, postcode=a.postcode, date_from=a.date_from, date_to=a.date_to)
            for a in world.addresses if a.person_key in resident_of], batch_size=2000)
    return matched


def latest_postcodes(world: ResidentsWorld) -> dict[str, str]:
    """Each source record's postcode as the source last knew it (the address it holds from the latest date)."""
    latest: dict[str, tuple[date, str]] = {}
    for a in world.addresses:
        if a.person_key not in latest or a.date_from > latest[a.person_key][0]:
            latest[a.person_key] = (a.date_from, a.postcode)
    return {key: postcode for key, (_, postcode) in latest.items()}


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
    if SourceRecord.objects.filter(source="asc_cld", supplier="lambeth").exists():
        return f"residents already loaded; agreement {made or 'already there'}; {teams} team memberships added"
    day = today or timezone.localdate()
    default_truth = Path(settings.DATA_DIR) / "synthetic" / "truth"
    world = build_residents(day, seed=DEMO_SEED, count=count, truth=truth or default_truth)
    asc_files = write_asc_submission(world, Path(settings.DATA_DIR) / "residents" / "submissions")
    write_truth(world, Path(settings.DATA_DIR) / "residents" / "truth")
    matched = load_world(world, asc_files)
    return (f"{matched.residents_added} residents matched from {len(world.source_people)} source records, "
            f"{len(world.involvements)} involvements from {len({(k[0]) for k in TEAMS})} organisations "
            f"({matched.uncertain_pairs} uncertain pairs kept apart); agreement {made or 'already there'}")
