"""Linkage as a job: authorised by ``decide(link)`` on each source, audited, run after each accepted
submission (as the configured job owner) and from ``boroughhub link``."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import task

from boroughhub.agreements.enforce import decide_and_audit, record_access
from boroughhub.organisations.models import Organisation, User
from boroughhub.submissions.models import Submission
from boroughhub.submissions.statuses import AfterLoading
from boroughhub.warehouse import WAITING_FOR_THE_WAREHOUSE, Work
from boroughhub.warehouse.warehouse import Warehouse

from .link import LinkRun, link_persons
from .mapping_import import import_mapping, read_mapping

logger = logging.getLogger(__name__)

PURPOSE = "bhp:rough-sleeping-strategic-insight"
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
             mapping: Path | None = None, progress: Callable[[str], None] | None = None) -> LinkRun | int:
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
            run = link_persons(warehouse.connection, mode=mode, backend=backend,  # type: ignore[arg-type]
                               progress=say)
            result, linked = run, run.records
    for decision in decisions:
        record_access(decision, row_count=linked)
    return result


def job_work(what: str, user: User, org_id: str) -> Work:
    """How a job is named to the writers waiting behind it for the warehouse."""
    organisation = Organisation.objects.filter(pk=org_id).values_list("name", flat=True).first()
    return Work(what, user.email, organisation or org_id)


class StepReport:
    """The step after loading that the submission's page shows; while the step waits its turn for the
    warehouse, the page says so ("Waiting for the warehouse: linkage started by ... at 14:02")."""

    def __init__(self, submission_id: str) -> None:
        self.submission_id = submission_id
        self.state = AfterLoading.WAITING
        self.message = ""
        self.waiting = False

    def start(self, state: AfterLoading, message: str) -> None:
        self.state, self.message, self.waiting = state, message, False
        Submission.report_after_loading(self.submission_id, state, message)

    def __call__(self, message: str) -> None:
        """A job's progress: a wait is shown in place of the step's message, until the step goes on."""
        if message.startswith(WAITING_FOR_THE_WAREHOUSE):
            self.waiting = True
            Submission.report_after_loading(self.submission_id, self.state, message)
        elif self.waiting:
            self.start(self.state, self.message)


def job_owner() -> tuple[User, str, str] | None:
    """The user, organisation and role that automatic linkage and refresh run as (settings.JOB_OWNER)."""
    email = getattr(settings, "JOB_OWNER", "")
    user = User.objects.filter(email=email, is_active=True).first() if email else None
    grant = user.active_grants().filter(role__in=("analyst", "data_manager")).first() if user else None
    return (user, grant.organisation_id, grant.role) if user and grant else None


@task()
def link_after_submission(submission_id: str = "") -> dict[str, Any]:
    """Incremental linkage after an accepted submission, then the insights refresh; each step is
    reported on the submission so its uploader can watch it finish."""
    steps = StepReport(submission_id)
    report = steps.start
    owner = job_owner()
    if owner is None:
        report(AfterLoading.SKIPPED, "Linkage is not configured on this hub (BOROUGHHUB_JOB_OWNER)")
        return {"skipped": "no job owner is configured (BOROUGHHUB_JOB_OWNER)"}
    user, org_id, role = owner
    from boroughhub.insights.tasks import refresh_insights_now

    try:
        report(AfterLoading.LINKING, "Linking people across CHAIN, InForm and H-CLIC")
        run = link_now(user, org_id, role, mode="incremental", progress=steps)
        report(AfterLoading.REFRESHING, "Refreshing the rough sleeping insights")
        refresh_insights_now(user, org_id, role, progress=steps)
    except Exception:
        report(AfterLoading.FAILED, "Linking people or refreshing the insights failed. Your data is loaded; "
               "the hub's data managers will run the linkage again")
        raise
    linked = getattr(run, "records", run)
    persons = getattr(run, "persons", None)
    summary = f"{linked:,} records linked" + (f" into {persons:,} people" if isinstance(persons, int) else "")
    report(AfterLoading.DONE, f"{summary}; insights refreshed")
    return {"submission": submission_id, "run": getattr(run, "run_id", ""), "linked": linked}


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


def report_lost_linkage(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """django-tasks' ``task_finished``: a ``link_after_submission`` that ended FAILED without reporting
    it itself (its worker was killed every time, and ``boroughhub worker`` gave up on it) is shown as
    failed on its submission's page instead of "linking" for ever."""
    from django_tasks import TaskResultStatus

    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != f"{__name__}.link_after_submission":
        return
    submission_id = task_result.kwargs.get("submission_id") or (task_result.args[0] if task_result.args else "")
    submission = Submission.objects.filter(pk=str(submission_id)).first() if submission_id else None
    if submission is None or not submission.after_loading_state.running:
        return  # nothing to say, or the task said it itself
    Submission.report_after_loading(
        submission.id, AfterLoading.FAILED, "Linking people stopped before it finished. Your data is loaded; the hub's data managers "
        "will run the linkage again")
