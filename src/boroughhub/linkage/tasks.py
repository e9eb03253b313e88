"""Linkage as a job: authorised by ``decide(link)`` on each source, audited, run as the submission
pipeline's link step (as the configured job owner; ``submissions/tasks.py``) and from ``boroughhub link``."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import task

from boroughhub.agreements import ROUGH_SLEEPING_INSIGHT, decide_and_audit, record_access
from boroughhub.audit import record_event
from boroughhub.organisations import Organisation, User
from boroughhub.warehouse import Warehouse, Work

from .backend_choice import make_backend
from .label_sample import NothingToSample, draw_sample, latest_run_id, load_sample
from .link import LinkRun, link_persons
from .mapping_import import import_mapping, read_mapping
from .spark_settings import SparkSettings

logger = logging.getLogger(__name__)

PURPOSE = ROUGH_SLEEPING_INSIGHT
DEMO_SAMPLE_SEED = 20261207
# The keys a linkage run reads from each source (agreements spec §3.2: `link` lists them).
LINK_FIELDS: dict[str, frozenset[str]] = {
    "chain": frozenset({"chain_person_id", "first_name", "last_name", "other_names", "date_of_birth",
                        "ni_number", "gender"}),
    "inform": frozenset({"inform_client_id", "chain_person_id", "first_name", "last_name", "other_names",
                         "date_of_birth", "ni_number", "gender"}),
    "hclic": frozenset({"person_ref", "first_name", "last_name", "date_of_birth", "ni_number", "gender"}),
}


class LinkRefused(Exception):
    """The job owner's agreements do not allow linking a source; nothing was linked."""


def authorise_link(user: User, org_id: str, role: str) -> list[Any]:
    decisions = []
    for dataset, fields in LINK_FIELDS.items():
        decision = decide_and_audit(user=user, org_id=org_id, role=role, action="link", dataset=dataset,
                                    fields=fields, purpose=PURPOSE)
        if not decision.permitted:
            raise LinkRefused(f"{dataset}: {decision.primary_reason.code}")
        decisions.append(decision)
    return decisions


def link_now(user: User, org_id: str, role: str, *, mode: str = "incremental", backend: str = "duckdb",
             spark: SparkSettings | None = None, mapping: Path | None = None,
             progress: Callable[[str], None] | None = None) -> LinkRun | int:
    """Authorise, then link (or import a mapping); each permitting decision gets its access entry."""
    say = progress or (lambda _message: None)
    say("Checking the agreements")
    decisions = authorise_link(user, org_id, role)
    with Warehouse(settings.WAREHOUSE_PATH, work=job_work("linkage", user, org_id), on_wait=say,
                   wait_seconds=settings.WAREHOUSE_WAIT_SECONDS) as warehouse:
        warehouse.ensure_schema()
        if mapping is not None:
            say("Importing the person mapping")
            now = datetime.now(UTC).replace(tzinfo=None)
            linked = import_mapping(
                warehouse.connection, read_mapping(mapping), f"mapping-{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}", now)
            result: LinkRun | int = linked
        else:
            say("Scoring and clustering record pairs (Splink)")
            # Spark's session as settings (or the caller) say; started after the agreements permitted the run.
            engine = make_backend(backend, spark or settings.LINKAGE_SPARK)
            try:
                run = link_persons(warehouse.connection, mode=mode, backend=engine,  # type: ignore[arg-type]
                                   progress=say)
            finally:
                engine.close()
            result, linked = run, run.records
    for decision in decisions:
        record_access(decision, row_count=linked)
    return result


def job_work(what: str, user: User, org_id: str) -> Work:
    """How a job is named to the writers waiting behind it for the warehouse."""
    organisation = Organisation.objects.filter(pk=org_id).values_list("name", flat=True).first()
    return Work(what, user.email, organisation or org_id)


def job_owner() -> tuple[User, str, str] | None:
    """The user, organisation and role that automatic linkage and refresh run as (settings.JOB_OWNER)."""
    email = getattr(settings, "JOB_OWNER", "")
    user = User.objects.filter(email=email, is_active=True).first() if email else None
    grant = user.active_grants().filter(role__in=("analyst", "data_manager")).first() if user else None
    return (user, grant.organisation_id, grant.role) if user and grant else None


@task()
def link_job(mode: str = "full") -> dict[str, Any]:
    """A linkage run through the task queue (full or incremental), as the job owner; no refresh after it.

    Each step is logged as it starts ("linkage step: ..."), so an operator (and the worker fault
    benchmark) can see how far a run got.
    """
    if mode not in ("full", "incremental"):
        raise ValueError(f"mode is 'full' or 'incremental', not {mode!r}")
    owner = job_owner()
    if owner is None:
        return {"skipped": "no job owner is configured (BOROUGHHUB_JOB_OWNER)"}
    user, org_id, role = owner
    run = link_now(user, org_id, role, mode=mode, progress=lambda step: logger.info("linkage step: %s", step))
    return {"run": getattr(run, "run_id", ""), "mode": mode, "linked": getattr(run, "records", run)}


def draw_demo_label_sample() -> str:
    """The demo's label sample, drawn from the latest run so the quality page has one ready. Never labelled
    here: labels are people's judgements, and the demo leaves them to the people trying it."""
    with Warehouse(settings.WAREHOUSE_PATH, work=Work("drawing a label sample")) as warehouse:
        con = warehouse.connection
        sample = load_sample(con)
        if sample is not None and sample.run_id == latest_run_id(con):
            return f"sample {sample.sample_id} is already drawn from the latest run"
        try:
            sample_id = draw_sample(con, DEMO_SAMPLE_SEED, "demo", datetime.now(UTC).replace(tzinfo=None))
        except NothingToSample:
            return "no scored pairs to sample yet"
        drawn = load_sample(con, sample_id)
    record_event("registry", "ok", action="label_sample_drawn",
                 payload={"sample_id": sample_id, "seed": DEMO_SAMPLE_SEED, "by": "demo"})
    return f"sample {sample_id}: {len(drawn.pairs) if drawn else 0} pairs to label"
