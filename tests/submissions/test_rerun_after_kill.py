"""A submission task run again because its worker was killed (``boroughhub worker`` puts it back):
each point it could have been killed at ends as one accepted load, its linkage started, nothing twice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from boroughhub.submissions import store, tasks
from boroughhub.submissions.models import Submission
from boroughhub.submissions.statuses import AfterLoading

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(monkeypatch) -> list[str]:
    """The submissions whose link step was queued (the step itself is tested in test_pipeline.py)."""
    calls: list[str] = []
    monkeypatch.setattr(tasks, "start_after_loading", lambda submission_id: calls.append(submission_id) or ["link"])
    return calls


def queued_upload(chain_folder: Path) -> Submission:
    """A web upload as the page stores it: its files in the submission's upload folder."""
    from boroughhub.organisations.models import Organisation, User

    submission = store.start_submission(user=User.objects.get(email="uploader@gla.example"),
                                        organisation=Organisation.objects.get(pk="gla"), role="uploader",
                                        channel="web")
    shutil.copytree(chain_folder, submission.upload_folder)
    return submission


def process(submission: Submission) -> Submission:
    return tasks.process_submission(submission.id, submission.upload_folder, remove_after=True)


def access_entries() -> int:
    from boroughhub.audit.models import AuditEntry

    return AuditEntry.objects.filter(event_type="access", action="upload").count()


def test_killed_while_checking_or_loading_starts_over(demo_agreements, chain_folder, started):
    submission = queued_upload(chain_folder)
    Submission.objects.filter(pk=submission.id).update(status="loading", progress_percent=85)
    done = process(submission)
    assert done.status == "accepted" and done.warehouse_version == 1
    assert started == [submission.id] and access_entries() == 1
    assert not submission.upload_folder.exists()


def test_killed_after_the_load_committed_is_accepted_not_already_loaded(demo_agreements, chain_folder, started):
    submission = queued_upload(chain_folder)
    tasks.process_submission(submission.id, submission.upload_folder, follow_up=False)  # the load commits
    # ...and the worker dies before the outcome is recorded: the row still says "loading".
    Submission.objects.filter(pk=submission.id).update(status="loading", warehouse_version=None)
    done = process(submission)
    assert done.status == "accepted" and done.warehouse_version == 1  # the same version, not a second
    assert started == [submission.id]
    assert not submission.upload_folder.exists()


def test_killed_before_linkage_was_queued_starts_it(demo_agreements, chain_folder, started):
    submission = queued_upload(chain_folder)
    tasks.process_submission(submission.id, submission.upload_folder, follow_up=False)
    assert Submission.objects.get(pk=submission.id).after_loading == ""
    done = process(submission)
    assert done.status == "accepted" and started == [submission.id] and access_entries() == 1
    assert not submission.upload_folder.exists()


def test_a_finished_submission_run_again_does_nothing(demo_agreements, chain_folder, started):
    submission = queued_upload(chain_folder)
    process(submission)
    Submission.report_after_loading(submission.id, AfterLoading.DONE, "linked")
    process(submission)
    assert started == [submission.id] and access_entries() == 1


def test_linkage_given_up_by_the_worker_shows_as_failed(demo_agreements, chain_folder, started):
    from django_tasks import TaskResultStatus
    from django_tasks.signals import task_finished


    submission = queued_upload(chain_folder)
    process(submission)
    Submission.report_after_loading(submission.id, AfterLoading.LINKING, "Linking people")

    class Lost:  # what django-tasks hands task_finished for a task recovery marked failed
        id = "lost-task"
        backend = "default"
        task = tasks.link_submitted_people
        status = TaskResultStatus.FAILED
        args: list = []
        kwargs = {"submission_id": submission.id}

    task_finished.send(sender=None, task_result=Lost())
    submission.refresh_from_db()
    assert submission.after_loading_state is AfterLoading.FAILED
    assert "stopped before it finished" in submission.after_loading_message
