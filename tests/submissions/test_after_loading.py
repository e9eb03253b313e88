"""After an accepted load: linkage and the insights refresh report their steps on the submission, and
its page lists them (refreshing itself until they finish)."""

from __future__ import annotations

import pytest

from boroughhub.submissions.models import Submission
from boroughhub.submissions.statuses import AfterLoading, after_loading_steps
from tests.pagecheck import check_page


def statuses(state: AfterLoading) -> list[str]:
    return [step["status"] for step in after_loading_steps(state)]


@pytest.mark.parametrize(("state", "expected"), [
    (AfterLoading.WAITING, ["Not started", "Not started"]),
    (AfterLoading.LINKING, ["In progress", "Not started"]),
    (AfterLoading.REFRESHING, ["Completed", "In progress"]),
    (AfterLoading.DONE, ["Completed", "Completed"]),
    (AfterLoading.FAILED, ["Failed", "Failed"]),
    (AfterLoading.SKIPPED, ["Skipped", "Skipped"]),
])
def test_each_state_shows_each_step(state, expected):
    assert statuses(state) == expected


def _accepted_submission(state: AfterLoading, message: str) -> Submission:
    from boroughhub.organisations.models import Organisation, User

    submission = Submission.objects.create(
        organisation=Organisation.objects.get(pk="gla"), uploaded_by=User.objects.get(email="uploader@gla.test"),
        role="uploader", status="accepted", source="chain", progress_percent=100,
    )
    Submission.report_after_loading(submission.id, state, message)
    return submission


@pytest.mark.django_db
def test_the_page_refreshes_while_people_are_linked_and_stops_when_done(client_acting_as):
    uploader = client_acting_as("uploader", "gla")
    submission = _accepted_submission(AfterLoading.LINKING, "Linking people across CHAIN, InForm and H-CLIC")
    page = uploader.get(f"/submissions/{submission.id}")
    check_page(page)
    html = page.content.decode()
    assert 'data-live-status' in html and "In progress" in html and "Linking people across" in html

    Submission.report_after_loading(submission.id, AfterLoading.DONE, "1,204 records linked into 987 people")
    page = uploader.get(f"/submissions/{submission.id}")
    check_page(page)
    html = page.content.decode()
    assert 'data-live-status' not in html and "1,204 records linked into 987 people" in html
    assert html.count("Completed") == 2


@pytest.mark.django_db
def test_linkage_without_a_job_owner_is_reported_as_skipped(client_acting_as, settings):
    from boroughhub.submissions.tasks import link_submitted_people

    client_acting_as("uploader", "gla")
    settings.JOB_OWNER = ""
    submission = _accepted_submission(AfterLoading.WAITING, "")
    link_submitted_people.call(submission.id)
    submission.refresh_from_db()
    assert submission.after_loading_state is AfterLoading.SKIPPED
    assert "not configured" in submission.after_loading_message


@pytest.mark.django_db
def test_a_refused_linkage_is_reported_as_failed_and_raised(client_acting_as, settings):
    from boroughhub.linkage.tasks import LinkRefused
    from boroughhub.submissions import tasks

    client_acting_as("uploader", "gla")
    client_acting_as("analyst", "gla")
    settings.JOB_OWNER = "analyst@gla.test"
    submission = _accepted_submission(AfterLoading.WAITING, "")
    # No agreement is loaded, so the job owner may not link: the task is refused before linking.
    with pytest.raises(LinkRefused):
        tasks.link_submitted_people.call(submission.id)
    submission.refresh_from_db()
    assert submission.after_loading_state is AfterLoading.FAILED
    assert "Your data is loaded" in submission.after_loading_message
