"""The demo's data steps, each idempotent: running the demo again reuses what is there.

Synthetic pilot extracts → the signed demo agreements → each supplier's submission (as its demo
uploader) → linkage (as the GLA's demo analyst, the job owner the pilot agreement names) → insights
refresh → the example programme evaluation. Each step goes through the same commands a person uses.
"""

from __future__ import annotations

import csv
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command

DEMO_SEED = 20260401
DEMO_EVALUATION_RUN = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/boroughhub/demo/programme-evaluation")
# A quarter of the pilot's real volume keeps the demo within a few minutes on two cores while every
# measure still has figures above the disclosure thresholds for the pilot boroughs and London.
DEMO_SCALE = 0.25
JOB_OWNER = "analyst@gla.example"
PILOT_AGREEMENT = "dsa-pl-rsi"


@dataclass(frozen=True)
class DemoPlan:
    """Which London the demo sets up: the pilot's four boroughs (``make demo``) or all of London
    (``boroughhub demo --areas all``, issue 14), and at what share of the real volume."""

    areas: str = "pilot"  # pilot | all
    scale: float = DEMO_SCALE


#: Set by ``boroughhub demo`` before it runs the steps; each step reads it.
PLAN = DemoPlan()


def plan_demo(areas: str, scale: float) -> DemoPlan:
    """Fix the plan for this data folder: a folder set up for one London is never half-turned into the
    other (the marker file says which it holds)."""
    global PLAN
    marker = settings.DATA_DIR / "demo-areas.txt"
    if marker.exists() and marker.read_text(encoding="utf-8").strip() != areas:
        held = marker.read_text(encoding="utf-8").strip()
        raise DemoFolderHoldsAnother(
            f"The demo's data folder ({settings.DATA_DIR}) holds the {held!r} demo. Use another folder "
            f"(BOROUGHHUB_DATA_DIR=...) for --areas {areas}, or remove this one with `make clean`.")
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(areas + "\n", encoding="utf-8")
    PLAN = DemoPlan(areas, scale)
    return PLAN


class DemoFolderHoldsAnother(Exception):
    pass


def uploader_organisations() -> dict[str, str]:
    """Each supplier code's organisation, whose demo uploader sends its extracts: the register's
    supplier codes (a borough's is its ONS code; the GLA supplies the London-wide CHAIN extract)."""
    from boroughhub.organisations import initial_organisations

    return {entry.supplier_code: entry.id for entry in initial_organisations() if entry.supplier_code}


def synthetic_dir() -> Path:
    return settings.DATA_DIR / "synthetic"


def generate_pilot() -> str:
    from boroughhub.synthetic import generate

    out = synthetic_dir()
    if (out / "truth" / "person_records.csv").exists():
        return "already generated"
    generate(out, areas=PLAN.areas, scale=PLAN.scale, seed=DEMO_SEED)
    return f"written to {out}"


#: The pilot agreement's accession profile for each type of organisation that supplies data.
JOINING_PROFILE = {"borough": "borough", "provider": "hostel_provider"}


def join_every_organisation() -> str:
    """All London: every borough and provider not yet party to the pilot agreement accedes to it under
    its profile, as a new party would (its IG lead signs, the hub admin countersigns); nobody re-signs."""
    if PLAN.areas != "all":
        return "the pilot's parties only"
    from boroughhub.agreements import open_for_accession
    from boroughhub.organisations import initial_organisations

    joined = []
    for entry in initial_organisations():
        profile = JOINING_PROFILE.get(entry.type)
        if profile is None:
            continue
        offered = [v for v, profiles in open_for_accession(entry.id)
                   if v.agreement_id == PILOT_AGREEMENT and any(p.id == profile for p in profiles)]
        if offered:
            call_command("agreements", "accede", PILOT_AGREEMENT, "--org", entry.id, "--profile", profile,
                         "--as", f"ig_lead@{entry.id}.example", stdout=StringIO())
        if _waiting_for_countersignature(entry.id):
            call_command("agreements", "countersign", PILOT_AGREEMENT, "--org", entry.id,
                         "--as", "hub_admin@hub.example", stdout=StringIO())
            joined.append(entry.id)
    return f"{len(joined)} organisations joined" if joined else "every organisation is already a party"


def _waiting_for_countersignature(org_id: str) -> bool:
    from boroughhub.agreements import AgreementVersion

    version = AgreementVersion.objects.filter(agreement_id=PILOT_AGREEMENT, status="active").order_by("-version").first()
    return version is not None and version.accessions.filter(party_id=org_id, status="requested").exists()


def load_agreements() -> str:
    from boroughhub.agreements import load_demo_agreements

    made = load_demo_agreements()
    if made:
        return ", ".join(made)
    return "already loaded" + demo_agreement_expiry_warning()


def demo_agreement_expiry_warning() -> str:
    """A demo set up long ago keeps the term it was given then (it follows the set-up day): once that
    has passed, every access is refused, so say so plainly instead of leaving a demo that refuses all."""
    from django.utils import timezone

    from boroughhub.agreements import AgreementVersion

    newest = AgreementVersion.objects.filter(agreement_id="dsa-pl-rsi").order_by("-version").first()
    if newest is None or newest.expires_at is None or newest.expires_at > timezone.now():
        return ""
    return (f"; but the demo agreement expired on {newest.expires_at:%d %B %Y}, so the hub now refuses every "
            f"access. Start a fresh demo: `make clean` then `make demo`.")


def upload_fields(source: str) -> set[str]:
    """The columns the active pilot agreement lets suppliers upload for ``source`` (its upload field set)."""
    from boroughhub.agreements import AgreementVersion

    version = AgreementVersion.objects.filter(agreement_id="dsa-pl-rsi", status="active").order_by("-version").first()
    if version is None:
        return set()
    for dataset in version.content["datasets"]:
        if dataset["dataset_id"] == source:
            return set(dataset["field_sets"].get("upload", []))
    return set()


def export_as_agreed(folder: Path, allowed: set[str], out: Path) -> Path:
    """What a supplier sends: its full extract with every column the agreement does not cover left empty
    (agreements spec §3.2: such columns must be empty, or the upload is refused whole)."""
    out.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        if path.name == "manifest.csv" or path.suffix != ".csv":
            shutil.copy(path, out / path.name)
            continue
        with path.open(newline="", encoding="utf-8") as source, (out / path.name).open("w", newline="", encoding="utf-8") as target:
            reader = csv.DictReader(source)
            writer = csv.DictWriter(target, fieldnames=reader.fieldnames or [], lineterminator="\n")
            writer.writeheader()
            for row in reader:
                writer.writerow({k: (v if k in allowed else "") for k, v in row.items()})
    return out


def submit_extracts() -> str:
    """Each supplier submits as its demo uploader; linkage runs once afterwards (next step)."""
    folders = sorted(p.parent for p in synthetic_dir().glob("*/*/manifest.csv"))
    uploaders = uploader_organisations()
    refused = []
    for folder in folders:
        supplier, source = folder.parent.name, folder.name
        org = uploaders.get(supplier)
        if org is None:
            continue
        agreed = export_as_agreed(folder, upload_fields(source), settings.DATA_DIR / "as-agreed" / supplier / source)
        # An unchanged resubmission is recognised by its file hashes and loads nothing.
        try:
            call_command("submit", str(agreed), user=f"uploader@{org}.example", no_follow_up=True, verbosity=0)
        except SystemExit:
            refused.append(f"{supplier}/{source}")  # its report was printed; the demo goes on without it
    loaded = len(folders) - len(refused)
    return f"{loaded} submissions loaded or already there" + (f"; refused: {', '.join(refused)}" if refused else "")


def _warehouse_state() -> tuple[bool, bool]:
    """(linked since the last load, insights refreshed since the last linkage run), from the warehouse's
    own run tables: a rerun of the demo skips what nothing new would change."""
    from boroughhub.warehouse import Warehouse

    with Warehouse(settings.WAREHOUSE_PATH) as warehouse:
        warehouse.ensure_schema()
        tables = {row[0] for row in warehouse.fetchall(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")}
        if not {"person_link", "linkage_run", "submissions"} <= tables:
            return False, False
        # linkage_run holds naive UTC times; submissions and metric_run hold times with a zone.
        linked = warehouse.fetchall(
            "SELECT (SELECT max(timezone('UTC', started_at)) FROM linkage_run WHERE finished_at IS NOT NULL)"
            " >= (SELECT max(loaded_at) FROM submissions)")[0][0]
        if not linked or "metric_run" not in tables:
            return bool(linked), False
        refreshed = warehouse.fetchall(
            "SELECT (SELECT max(computed_at) FROM metric_run)"
            " >= (SELECT max(timezone('UTC', finished_at)) FROM linkage_run)")[0][0]
    return True, bool(refreshed) and (settings.DATA_DIR / "insights" / "metric_values.parquet").exists()


def link_people() -> str:
    # A full run the first time trains the model on every source together; later runs add new records.
    linked, _ = _warehouse_state()
    if linked:
        return "already linked (no submission since the last run)"
    from boroughhub.warehouse import Warehouse

    with Warehouse(settings.WAREHOUSE_PATH) as warehouse:
        linked_before = warehouse.fetchall(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'person_link'")[0][0]
    call_command("link", user=JOB_OWNER, mode="incremental" if linked_before else "full", verbosity=0)
    return "linked"


def label_sample() -> str:
    from boroughhub.linkage import draw_demo_label_sample

    return draw_demo_label_sample()


def refresh_insights() -> str:
    if _warehouse_state()[1]:
        return "already refreshed (no linkage run since)"
    call_command("insights", "refresh", user=JOB_OWNER)
    return "refreshed"


def evaluate_programme() -> str:
    import boroughhub.evaluation
    from boroughhub.evaluation import RunStatus, run_store

    spec = Path(boroughhub.evaluation.__file__).parent / "examples" / "programme-evaluation" / "evaluation.yaml"
    # Kept in the list of evaluation runs, like any uploaded run, so the hub admin's home page links to it.
    store = run_store()
    run = store.get(str(DEMO_EVALUATION_RUN))
    if run is not None and run.status == RunStatus.DONE:
        return "already evaluated"
    store.remove(str(DEMO_EVALUATION_RUN))  # a run left unfinished, or the layout of an older demo
    call_command("evaluate", str(spec), keep_as_run=True, run_id=str(DEMO_EVALUATION_RUN), by="boroughhub demo")
    return f"evaluation run {DEMO_EVALUATION_RUN}"


def submission_calendar() -> str:
    """Every demo supplier on the submission calendar (entries a data manager has changed are kept)."""
    from boroughhub.submissions import london_today, seed_demo_calendar

    return f"{seed_demo_calendar(london_today())} calendar entries added"


def load_residents() -> str:
    from boroughhub.residents import seed_demo_residents

    return seed_demo_residents()


def get_online_london() -> str:
    from boroughhub.getonline import seed_demo

    return str(seed_demo())


def retention_schedule() -> str:
    """What the agreements' retention clauses delete next, for the data managers' page (a dry run)."""
    from boroughhub.retention import run_retention

    listed = run_retention(dry_run=True)
    return f"{len(listed.due)} holdings due now; the schedule is published"


def network_demo() -> str:
    from boroughhub.network import london_today, seed_network_demo

    return seed_network_demo(london_today())


def map_attack_surface() -> str:
    from boroughhub.asm import seed_demo

    return seed_demo()


def projects_and_fund() -> str:
    """The project portfolio across the member boroughs and the innovation fund's decided round."""
    from django.utils import timezone

    from boroughhub.fund import seed_demo

    return seed_demo(timezone.now())


DATA_STEPS: list[tuple[str, Callable[[], Any]]] = [
    ("Generating synthetic CHAIN, InForm and H-CLIC extracts", generate_pilot),
    ("Loading and signing the demo data sharing agreements", load_agreements),
    ("Every other borough and provider joining the pilot agreement (all London)", join_every_organisation),
    ("Putting the demo's suppliers on the submission calendar", submission_calendar),
    ("Submitting each supplier's extracts", submit_extracts),
    ("Linking people across CHAIN, InForm and H-CLIC", link_people),
    ("Drawing a sample of linked pairs for people to label", label_sample),
    ("Refreshing the rough sleeping insights", refresh_insights),
    ("Evaluating the programme's value for money", evaluate_programme),
    ("Loading who else is involved: the safeguarding agreement, ASC CLD and residents", load_residents),
    ("Opening Get Online London hubs in every borough, with a year of activity", get_online_london),
    ("Listing what the retention clauses delete next", retention_schedule),
    ("Adding the network: Data Week events, apprentices, guidance and recruitment", network_demo),
    ("Mapping Barnet's attack surface (a fake zone on loopback)", map_attack_surface),
    ("Adding the project portfolio and the innovation fund's round", projects_and_fund),
]
