"""The submission pipeline: one named sequence (validate → load → link → refresh), each step a task that
reports on the submission, each queueing the next once its own step succeeded."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from boroughhub.submissions import tasks
from boroughhub.submissions.models import Submission
from boroughhub.submissions.statuses import AfterLoading
from boroughhub.submissions.tasks import SUBMISSION_PIPELINE, Step, next_step


def test_the_pipeline_is_validate_load_link_refresh_in_that_order() -> None:
    assert [s.step for s in SUBMISSION_PIPELINE] == [Step.VALIDATE, Step.LOAD, Step.LINK, Step.REFRESH]
    # Validate and load are one task (one warehouse session); link and refresh are a task each.
    assert SUBMISSION_PIPELINE[0].task is SUBMISSION_PIPELINE[1].task is tasks.process_uploaded_submission
    assert SUBMISSION_PIPELINE[2].task is tasks.link_submitted_people
    assert SUBMISSION_PIPELINE[3].task is tasks.refresh_submitted_insights


@pytest.mark.parametrize(("after", "expected"), [
    (Step.VALIDATE, Step.LINK), (Step.LOAD, Step.LINK), (Step.LINK, Step.REFRESH), (Step.REFRESH, None),
])
def test_each_step_queues_the_next_task_not_its_own(after: Step, expected: Step | None) -> None:
    following = next_step(after)
    assert (following.step if following else None) == expected


def _upload(chain_folder: Path) -> Submission:
    from boroughhub.organisations.models import Organisation, User
    from boroughhub.submissions.store import start_submission

    submission = start_submission(user=User.objects.get(email="uploader@gla.example"),
                                  organisation=Organisation.objects.get(pk="gla"), role="uploader", channel="web")
    return tasks.process_submission(submission.id, chain_folder)


@pytest.mark.django_db
def test_an_accepted_upload_runs_every_step_and_each_reports_on_the_submission(
    demo_agreements, chain_folder, settings, monkeypatch
) -> None:
    settings.JOB_OWNER = "analyst@gla.example"
    # Splink cannot train on three people, and the refresh needs their links: linkage and the refresh
    # are tested on realistic data in tests/linkage and tests/insights; here the steps' order and reports.
    ran_as: list[tuple[str, str, str]] = []

    def link_now(user, org_id: str, role: str, *, mode: str, progress: object = None) -> SimpleNamespace:
        ran_as.append(("link", user.email, mode))
        return SimpleNamespace(records=8, persons=3, run_id="run-1")

    def refresh_insights_now(user, org_id: str, role: str, progress: object = None) -> SimpleNamespace:
        assert Submission.objects.get().after_loading_message == "Refreshing the rough sleeping insights"
        ran_as.append(("refresh", user.email, role))
        return SimpleNamespace(as_at="2026-03-31")

    monkeypatch.setattr(tasks, "link_now", link_now)
    monkeypatch.setattr(tasks, "refresh_insights_now", refresh_insights_now)
    seen: list[tuple[str, str]] = []
    report = Submission.report_after_loading

    def watch(submission_id: str, state: AfterLoading, message: str = "") -> None:
        seen.append((state.value, message))
        report(submission_id, state, message)

    monkeypatch.setattr(Submission, "report_after_loading", watch)
    done = _upload(chain_folder)  # the test profile runs each queued task at once
    assert done.status == "accepted" and done.follow_ups == ["link"]
    assert [state for state, _ in seen] == ["waiting", "linking", "refreshing", "refreshing", "done"]
    assert done.after_loading_state is AfterLoading.DONE
    assert done.after_loading_message == "8 records linked into 3 people; insights refreshed"
    # As the job owner, not the uploader, and in the pipeline's order.
    assert ran_as == [("link", "analyst@gla.example", "incremental"), ("refresh", "analyst@gla.example", "analyst")]


@pytest.mark.django_db
def test_a_failed_link_step_does_not_queue_the_refresh(demo_agreements, chain_folder, settings, monkeypatch) -> None:
    settings.JOB_OWNER = "analyst@gla.example"
    refreshed: list[str] = []
    monkeypatch.setattr(tasks, "link_now", lambda *args, **kwargs: 1 / 0)
    monkeypatch.setattr(tasks, "refresh_insights_now", lambda *args, **kwargs: refreshed.append("refresh"))
    done = _upload(chain_folder)
    assert done.status == "accepted"  # the load stands whatever happens after it
    assert done.after_loading_state is AfterLoading.FAILED and "Your data is loaded" in done.after_loading_message
    assert refreshed == []


@pytest.mark.django_db
def test_a_rejected_upload_starts_nothing_after_it(demo_agreements, broken_chain_folder, settings) -> None:
    settings.JOB_OWNER = "analyst@gla.example"
    done = _upload(broken_chain_folder)
    assert done.status == "rejected" and done.follow_ups == [] and done.after_loading == ""


@pytest.mark.django_db
@pytest.mark.parametrize(("step_task", "says"), [
    ("link_submitted_people", "Linking people stopped"),
    ("refresh_submitted_insights", "Refreshing the insights stopped"),
])
def test_a_step_the_worker_gave_up_on_is_shown_as_failed_with_its_own_words(
    demo_agreements, chain_folder, step_task: str, says: str
) -> None:
    from django_tasks import TaskResultStatus
    from django_tasks.signals import task_finished

    submission = _upload(chain_folder)  # no job owner: the link step reports "skipped"
    Submission.report_after_loading(submission.id, AfterLoading.REFRESHING, "Refreshing")
    lost = SimpleNamespace(task=getattr(tasks, step_task), status=TaskResultStatus.FAILED, args=[],
                           kwargs={"submission_id": submission.id}, id="lost", backend="default")
    task_finished.send(sender=None, task_result=lost)
    submission.refresh_from_db()
    assert submission.after_loading_state is AfterLoading.FAILED and says in submission.after_loading_message
