"""The demo's data steps, each idempotent: running the demo again reuses what is there.

Synthetic pilot extracts → the signed demo agreements → each supplier's submission (as its demo
uploader) → linkage (as the GLA's demo analyst, the job owner the pilot agreement names) → insights
refresh → the example programme evaluation. Each step goes through the same commands a person uses.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command

DEMO_SEED = 20260401
JOB_OWNER = "analyst@gla.example"
# Each supplier code's demo uploader (the GLA supplies the London-wide CHAIN extract).
UPLOADER_ORG = {"chain_london": "gla", "E09000007": "camden", "E09000017": "hillingdon",
                "E09000022": "lambeth", "E09000033": "westminster", "provider-a": "provider-a",
                "provider-b": "provider-b"}


def synthetic_dir() -> Path:
    return settings.DATA_DIR / "synthetic"


def generate_pilot() -> str:
    from boroughhub.synthetic import generate

    out = synthetic_dir()
    if (out / "truth" / "person_records.csv").exists():
        return "already generated"
    generate(out, areas="pilot", seed=DEMO_SEED)
    return f"written to {out}"


def load_agreements() -> str:
    from boroughhub.agreements.store.demo import load_demo_agreements

    made = load_demo_agreements()
    return ", ".join(made) if made else "already loaded"


def submit_extracts() -> str:
    folders = sorted(p.parent for p in synthetic_dir().glob("*/*/manifest.csv"))
    for folder in folders:
        supplier = folder.parent.name
        org = UPLOADER_ORG.get(supplier)
        if org is None:
            continue
        # An unchanged resubmission is recognised by its file hashes and loads nothing.
        call_command("submit", str(folder), user=f"uploader@{org}.example", verbosity=0)
    return f"{len(folders)} submissions"


def link_people() -> str:
    call_command("link", user=JOB_OWNER, verbosity=0)
    return "linked"


def refresh_insights() -> str:
    call_command("insights", "refresh", user=JOB_OWNER)
    return "refreshed"


def evaluate_programme() -> str:
    from boroughhub.evaluation.examples import EXAMPLE_SPEC  # the example copied into the package

    out = settings.DATA_DIR / "evaluation"
    if (out / "report.html").exists():
        return "already evaluated"
    call_command("evaluate", str(EXAMPLE_SPEC), out=str(out))
    return f"report in {out}"


DATA_STEPS: list[tuple[str, Callable[[], Any]]] = [
    ("Generating synthetic extracts for the pilot boroughs", generate_pilot),
    ("Loading and signing the demo data sharing agreements", load_agreements),
    ("Submitting each supplier's extracts", submit_extracts),
    ("Linking people across CHAIN, InForm and H-CLIC", link_people),
    ("Refreshing the rough sleeping insights", refresh_insights),
    ("Evaluating the programme's value for money", evaluate_programme),
]
