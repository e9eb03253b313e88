"""An upload that arrives while another process holds the warehouse waits its turn, and its page says for
what; only a wait that runs out (something stuck) ends the upload, saying what held the warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from boroughhub.submissions.models import Submission
from boroughhub.submissions.statuses import AfterLoading
from boroughhub.warehouse import WriterQueue
from tests.pagecheck import check_page

HOLDER = Path(__file__).resolve().parents[1] / "warehouse" / "turn_holder.py"
ROOT = Path(__file__).resolve().parents[2]
#: 13:02 UTC in June is 14:02 in London.
STAMP = "2026-06-01T13:02:00+00:00"
WAITING = "Waiting for the warehouse: linkage started by Greater London Authority at 14:02"


@pytest.fixture
def linkage_holding(own_warehouse: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the warehouse: linkage started by the GLA's analyst at 14:02."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    holder = subprocess.Popen(
        [sys.executable, str(HOLDER), str(own_warehouse), "linkage", "analyst@gla.example", "Greater London Authority",
         STAMP, "stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert holder.stdout is not None and holder.stdout.readline().startswith("got ")
    yield holder
    release(holder)
    holder.wait(timeout=30)


def release(holder: subprocess.Popen[str]) -> None:
    if holder.poll() is None and holder.stdin is not None and not holder.stdin.closed:
        holder.stdin.write("\n")
        holder.stdin.close()


def _start(client_acting_as: Any) -> tuple[Any, Submission]:
    from boroughhub.organisations.models import Organisation, User
    from boroughhub.submissions.store import start_submission

    uploader = client_acting_as("uploader", "gla")
    user = User.objects.get(email="uploader@gla.test")
    submission = start_submission(user=user, organisation=Organisation.objects.get(pk="gla"), role="uploader",
                                  channel="web")
    return uploader, submission


def test_an_upload_waits_for_linkage_and_its_page_says_so(demo_agreements, client_acting_as, chain_folder,
                                                          linkage_holding, own_warehouse):
    from boroughhub.submissions.tasks import process_submission

    uploader, submission = _start(client_acting_as)
    pages: list[str] = []

    def while_waiting(percent: int, message: str) -> None:
        if message.startswith("Waiting for the warehouse") and not pages:
            page = uploader.get(f"/submissions/{submission.id}")
            check_page(page)
            pages.append(page.content.decode())
            release(linkage_holding)  # linkage finishes: the upload's turn comes

    done = process_submission(submission.id, chain_folder, progress_hook=while_waiting, follow_up=False)
    assert done.status == "accepted" and done.warehouse_version == 1
    assert WAITING in pages[0] and "Waiting to start" in pages[0] and "data-live-status" in pages[0]
    assert "analyst@gla.example" not in pages[0]  # another organisation's people are not named to uploaders
    assert [t["what"] for t in WriterQueue(own_warehouse).turns()] == ["linkage", "an upload"]


def test_an_upload_that_waits_too_long_says_what_held_the_warehouse(demo_agreements, client_acting_as, chain_folder,
                                                                    linkage_holding, own_warehouse, settings):
    from boroughhub.submissions.tasks import process_submission

    settings.WAREHOUSE_WAIT_SECONDS = 0.5
    uploader, submission = _start(client_acting_as)
    done = process_submission(submission.id, chain_folder, follow_up=False)
    assert done.status == "failed"
    assert done.failure_message.startswith(
        "Nothing was loaded: the hub waited 0.5 seconds for the warehouse, which was still in use (linkage started "
        "by Greater London Authority at 14:02). Upload the submission again")
    page = uploader.get(f"/submissions/{submission.id}")
    check_page(page)
    assert "linkage started by Greater London Authority at 14:02" in page.content.decode()
    release(linkage_holding)
    linkage_holding.wait(timeout=30)
    assert [t["what"] for t in WriterQueue(own_warehouse).turns()] == ["linkage"]  # the upload never wrote


@pytest.mark.django_db
def test_linkage_after_an_upload_shows_its_wait_in_place_of_its_step(client_acting_as):
    from boroughhub.submissions.tasks import StepReport

    uploader, submission = _start(client_acting_as)
    Submission.objects.filter(pk=submission.id).update(status="accepted", source="chain", progress_percent=100)
    steps = StepReport(submission.id)
    steps.start(AfterLoading.REFRESHING, "Refreshing the rough sleeping insights")
    steps("Waiting for the warehouse: an upload started by Westminster City Council at 14:05")
    page = uploader.get(f"/submissions/{submission.id}")
    check_page(page)
    html = page.content.decode()
    assert "Waiting for the warehouse: an upload started by Westminster City Council at 14:05" in html
    assert "data-live-status" in html and "In progress" in html
    steps("Computing the metrics")  # its turn came: the step's own message is back
    submission.refresh_from_db()
    assert submission.after_loading_state is AfterLoading.REFRESHING
    assert submission.after_loading_message == "Refreshing the rough sleeping insights"


def test_the_submit_command_waits_and_names_who_is_ahead(demo_agreements, chain_folder, own_warehouse, run_command):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    holder = subprocess.Popen(  # linkage for a second and a half, then it leaves
        [sys.executable, str(HOLDER), str(own_warehouse), "linkage", "analyst@gla.example", "Greater London Authority",
         STAMP, "1.5"], stdout=subprocess.PIPE, text=True, env=env)
    assert holder.stdout is not None and holder.stdout.readline().startswith("got ")
    status, out, err = run_command("submit", str(chain_folder), "--user", "uploader@gla.example", "--no-follow-up")
    assert holder.wait(timeout=30) == 0
    assert status == 0, out + err
    # On the uploader's own command line the person is named, in full, on a line of its own.
    assert "Waiting for the warehouse: linkage started by analyst@gla.example at 14:02\n" in out
    assert "Outcome: Accepted (accepted)." in out
    assert [t["what"] for t in WriterQueue(own_warehouse).turns()] == ["linkage", "an upload"]


def test_the_queue_command_lists_who_writes_and_who_waits(linkage_holding, own_warehouse, run_command):
    status, out, _ = run_command("warehouse", "queue")
    assert status == 0
    assert out.startswith("1: linkage started by analyst@gla.example at 14:02 (writing; process ")
    release(linkage_holding)
    linkage_holding.wait(timeout=30)
    assert run_command("warehouse", "queue")[1] == "Nothing is writing the warehouse and nothing is waiting.\n"
