"""The submission pipeline: validate → load → link → refresh, each step a background task
(django-tasks; ``boroughhub worker`` runs them) that reports on the submission as it goes.

:data:`SUBMISSION_PIPELINE` is the one place the order is written. Each step's task, once its step
has succeeded, enqueues the next step's task, so a queue with one worker still runs a submission's
steps in order and a later upload never waits behind a whole linkage run. Validate and load are one
task because the load must use the warehouse exactly as validation saw it (the history checks compare
with the current version; docs/decisions/0055-explicit-submission-pipeline.md).

The linkage and refresh steps run as the hub's job owner (``settings.JOB_OWNER``), each asking
``decide()`` itself: the uploader's own agreement covers the upload, not linking everyone's records.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from django_tasks import TaskResultStatus, task
from django_tasks.base import Task

from boroughhub.insights import refresh_insights_now
from boroughhub.linkage import job_owner, link_now
from boroughhub.warehouse import WAITING_FOR_THE_WAREHOUSE

from .models import Submission
from .statuses import AfterLoading, Status
from .store import ProgressHook, check_and_load
from .upload_files import submission_input

logger = logging.getLogger(__name__)

LINK_FAILED = (
    "Linking people or refreshing the insights failed. Your data is loaded; the hub's data managers "
    "will run the linkage again"
)
#: Shown when a step's worker was killed every time and ``boroughhub worker`` gave up on it.
STEP_LOST = {
    "link": "Linking people stopped before it finished. Your data is loaded; the hub's data managers will "
    "run the linkage again",
    "refresh": "Refreshing the insights stopped before it finished. Your data is loaded and linked; the "
    "hub's data managers will refresh the insights again",
}


class Step(StrEnum):
    VALIDATE = "validate"
    LOAD = "load"
    LINK = "link"
    REFRESH = "refresh"


@dataclass(frozen=True)
class PipelineStep:
    step: Step
    task: Task[..., Any]


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


@task()
def process_uploaded_submission(submission_id: str) -> str:
    """Steps validate and load of an uploaded submission; its files are removed afterwards."""
    submission = Submission.objects.get(pk=submission_id)
    done = process_submission(submission_id, submission_input(submission.upload_folder), remove_after=True)
    return done.status


@task()
def link_submitted_people(submission_id: str) -> dict[str, Any]:
    """Step link: incremental linkage after an accepted load, then the refresh step is queued."""
    owner = job_owner()
    if owner is None:
        Submission.report_after_loading(
            submission_id, AfterLoading.SKIPPED, "Linkage is not configured on this hub (BOROUGHHUB_JOB_OWNER)")
        return {"skipped": "no job owner is configured (BOROUGHHUB_JOB_OWNER)"}
    user, org_id, role = owner
    steps = StepReport(submission_id)
    steps.start(AfterLoading.LINKING, "Linking people across CHAIN, InForm and H-CLIC")
    try:
        run = link_now(user, org_id, role, mode="incremental", progress=steps)
    except Exception:
        Submission.report_after_loading(submission_id, AfterLoading.FAILED, LINK_FAILED)
        raise
    linked = getattr(run, "records", run)
    persons = getattr(run, "persons", None)
    summary = f"{linked:,} records linked" + (f" into {persons:,} people" if isinstance(persons, int) else "")
    Submission.report_after_loading(
        submission_id, AfterLoading.REFRESHING, f"{summary}; waiting to refresh the insights")
    _start_next(Step.LINK, submission_id, linked=summary)
    return {"submission": submission_id, "run": getattr(run, "run_id", ""), "linked": linked}


@task()
def refresh_submitted_insights(submission_id: str, linked: str = "") -> dict[str, Any]:
    """Step refresh: recompute and publish the insights after the link step; ``linked`` is its summary."""
    owner = job_owner()
    if owner is None:
        Submission.report_after_loading(
            submission_id, AfterLoading.SKIPPED, "Linkage is not configured on this hub (BOROUGHHUB_JOB_OWNER)")
        return {"skipped": "no job owner is configured (BOROUGHHUB_JOB_OWNER)"}
    steps = StepReport(submission_id)
    steps.start(AfterLoading.REFRESHING, "Refreshing the rough sleeping insights")
    try:
        resolved = refresh_insights_now(*owner, progress=steps)
    except Exception:
        Submission.report_after_loading(submission_id, AfterLoading.FAILED, LINK_FAILED)
        raise
    Submission.report_after_loading(
        submission_id, AfterLoading.DONE, f"{linked}; insights refreshed" if linked else "Insights refreshed")
    return {"submission": submission_id, "as_at": str(resolved.as_at)}


#: Every submission's steps, in order. Validate and load share a task (see the module's docstring).
SUBMISSION_PIPELINE: tuple[PipelineStep, ...] = (
    PipelineStep(Step.VALIDATE, process_uploaded_submission),
    PipelineStep(Step.LOAD, process_uploaded_submission),
    PipelineStep(Step.LINK, link_submitted_people),
    PipelineStep(Step.REFRESH, refresh_submitted_insights),
)
#: The steps whose task reports ``after_loading`` on the submission.
AFTER_LOADING_STEPS: frozenset[Step] = frozenset({Step.LINK, Step.REFRESH})


def next_step(after: Step) -> PipelineStep | None:
    """The step that follows ``after`` in its own task (``None`` after the last)."""
    steps = [s.step for s in SUBMISSION_PIPELINE]
    task_now = SUBMISSION_PIPELINE[steps.index(after)].task
    return next((s for s in SUBMISSION_PIPELINE[steps.index(after) + 1:] if s.task is not task_now), None)


def _start_next(after: Step, submission_id: str, **arguments: str) -> list[str]:
    following = next_step(after)
    if following is None:
        return []
    try:
        following.task.enqueue(submission_id=submission_id, **arguments)
    except Exception:  # a step that cannot start must not undo or hide the steps already done
        logger.exception("could not start step %s of submission %s", following.step, submission_id)
        Submission.report_after_loading(submission_id, AfterLoading.FAILED, LINK_FAILED)
        return []
    return [following.step.value]


def start_after_loading(submission_id: str) -> list[str]:
    """Queue the steps after an accepted load (or a restored version); returns the step started.

    Marked waiting first: with the immediate backend (tests) the next step runs inside ``enqueue`` and
    reports its own state.
    """
    Submission.report_after_loading(submission_id, AfterLoading.WAITING, "Waiting to link people")
    return _start_next(Step.LOAD, submission_id)


def process_submission(
    submission_id: str,
    path: Path,
    *,
    progress_hook: ProgressHook | None = None,
    today: date | None = None,
    remove_after: bool = False,
    follow_up: bool = True,
) -> Submission:
    """Steps validate and load for a queued submission, then (``follow_up``) the next step is queued;
    never raises. ``submission.follow_ups`` lists the steps started.

    The demo set-up turns ``follow_up`` off because it links once after all its submissions. A task run
    again because its worker was killed (``boroughhub worker`` puts it back) starts over if the load had
    not finished (the load is one transaction, so nothing of it remains), and only queues the next step
    if the outcome was recorded but the link step may not have been queued.
    """
    submission = Submission.objects.select_related("organisation", "uploaded_by").get(pk=submission_id)
    # Already loaded (a retried task must not load twice): only the link step, if it may not be queued.
    follow = follow_up and (submission.running or submission.after_loading in ("", "waiting"))
    if submission.running:
        check_and_load(submission, path, progress_hook, today)
    started: list[str] = []
    if follow and submission.state is Status.ACCEPTED:
        started = start_after_loading(submission.id)
        submission.refresh_from_db(fields=["after_loading", "after_loading_message", "after_loading_at"])
    submission.follow_ups = started  # type: ignore[attr-defined]
    # The files go only once the outcome is recorded: a re-run after a kill before this point still
    # finds them (and the load, if it committed, as its own).
    if remove_after:
        shutil.rmtree(submission.upload_folder, ignore_errors=True)
    return submission


def report_lost_step(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """django-tasks' ``task_finished``: a link or refresh step that ended FAILED without reporting it
    itself (its worker was killed every time, and ``boroughhub worker`` gave up on it) is shown as
    failed on its submission's page instead of "linking" for ever."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    step_tasks = {s.task.module_path: s.step for s in SUBMISSION_PIPELINE if s.step in AFTER_LOADING_STEPS}
    step = step_tasks.get(task_result.task.module_path)
    if step is None:
        return
    submission_id = task_result.kwargs.get("submission_id") or (task_result.args[0] if task_result.args else "")
    submission = Submission.objects.filter(pk=str(submission_id)).first() if submission_id else None
    if submission is None or not submission.after_loading_state.running:
        return  # nothing to say, or the task said it itself
    Submission.report_after_loading(submission.id, AfterLoading.FAILED, STEP_LOST[step.value])
