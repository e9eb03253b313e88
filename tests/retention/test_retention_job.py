"""The retention job end to end: an upload through the real pipeline under the pilot agreement, the
clock moved a day either side of its 24 months, the audit entry naming the clause, the files gone,
the data managers' page and the command."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from boroughhub.audit import audit_clock_set_to
from boroughhub.retention import run_retention
from boroughhub.submissions.models import Submission
from boroughhub.warehouse import Warehouse
from tests.agreements.conftest import demo_agreements, demo_people  # noqa: F401 - fixtures
from tests.pagecheck import check_page
from tests.submissions.conftest import own_warehouse  # noqa: F401 - fixture
from tests.submissions.test_upload_obligations import westminster_hclic

pytestmark = pytest.mark.django_db
UTC = dt.UTC
UPLOADED = dt.datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
EXPIRES = dt.datetime(2028, 3, 10, 11, 0, tzinfo=UTC)  # P24M from upload


@pytest.fixture
def uploaded(demo_agreements, tmp_path: Path, settings: Any) -> Submission:  # noqa: F811
    from boroughhub.organisations.models import Organisation, User
    from boroughhub.submissions import tasks
    from boroughhub.submissions.store import start_submission

    folder = westminster_hclic(tmp_path / "hclic", demo_agreements["dsa-pl-rsi/1"].content)
    submission = start_submission(user=User.objects.get(email="uploader@westminster.example"),
                                  organisation=Organisation.objects.get(pk="westminster"), role="uploader",
                                  channel="cli")
    done = tasks.process_submission(submission.id, folder, follow_up=False)
    assert done.status == "accepted"
    with Warehouse(settings.WAREHOUSE_PATH) as warehouse:  # uploaded at the fixture's instant, not today
        warehouse.execute("UPDATE main.submissions SET loaded_at = ?", [UPLOADED])
    assert done.report_path.exists()
    return done


def _entries() -> list[Any]:
    from boroughhub.audit.models import AuditEntry

    return list(AuditEntry.objects.filter(action="retention_delete").order_by("seq"))


def test_a_day_before_expiry_the_version_stays_a_day_after_it_goes_and_the_audit_names_the_clause(
    uploaded: Submission, settings: Any
) -> None:
    with audit_clock_set_to(EXPIRES - dt.timedelta(days=1)):
        before = run_retention()
    assert before.deleted == [] and [h.key for h in before.due] == []
    with Warehouse(settings.WAREHOUSE_PATH, read_only=True) as warehouse:
        assert warehouse.table_counts()["identity.hclic_people"] == 3
    assert _entries() == []

    with audit_clock_set_to(EXPIRES + dt.timedelta(days=1)):
        after = run_retention()
    assert [d.holding.key for d in after.deleted] == [uploaded.id] and after.rewritten
    with Warehouse(settings.WAREHOUSE_PATH, read_only=True) as warehouse:
        counts = warehouse.table_counts()
        assert sum(counts.values()) == 0, counts  # every table, history and the submission's row
    (entry,) = _entries()
    payload = entry.payload
    assert (entry.event_type, entry.outcome, entry.dataset) == ("registry", "ok", "hclic")
    assert (entry.agreement_id, entry.agreement_version) == ("dsa-pl-rsi", 1)
    assert payload["clause"] == "dsa-pl-rsi version 1, datasets[hclic].hub_retention"
    assert payload["deletion"] == "crypto_erase_and_purge" and payload["key"] == uploaded.id
    assert payload["rows_by_table"]["identity.hclic_people"] == 3 and payload["identifiers_overwritten"] == 3
    assert payload["expired_at"].startswith("2028-03-10T11:00:00")
    assert not uploaded.report_path.exists()  # the submission's files go with it
    erased = Submission.objects.get(pk=uploaded.id)
    assert all(not row.get("value") for row in erased.report_rows)
    assert erased.erased_at == EXPIRES + dt.timedelta(days=1)
    assert erased.erased_under == "dsa-pl-rsi version 1, datasets[hclic].hub_retention: 24 months from upload, crypto-erase and purge"
    # Nothing is deleted twice, and a run with nothing due writes no entry.
    with audit_clock_set_to(EXPIRES + dt.timedelta(days=2)):
        assert run_retention().deleted == []
    assert len(_entries()) == 1


def test_the_uploaders_page_says_the_version_was_deleted_under_its_clause(
    uploaded: Submission, client_acting_as: Any
) -> None:
    with audit_clock_set_to(EXPIRES + dt.timedelta(days=1)):
        run_retention()
    page = client_acting_as("uploader", "westminster").get(f"/submissions/{uploaded.id}")
    check_page(page)
    html = page.content.decode()
    assert "deleted from the hub on 11 March 2028" in html and "datasets[hclic].hub_retention" in html


def test_the_data_managers_page_lists_what_goes_next_without_a_record(
    uploaded: Submission, client_acting_as: Any
) -> None:
    client = client_acting_as("data_manager", "hub")
    empty = client.get("/retention/")
    check_page(empty)
    assert "has not run yet" in empty.content.decode()
    with audit_clock_set_to(UPLOADED + dt.timedelta(days=30)):
        run_retention(dry_run=True)
        page = client.get("/retention/")
    check_page(page)
    html = page.content.decode()
    assert "10 March 2028" in html and "H-CLIC" in html and "Westminster" in html
    assert "dsa-pl-rsi version 1, datasets[hclic].hub_retention" in html
    for identifier in ("Ann", "Smith", "H1", "K1", uploaded.id):
        assert f">{identifier}<" not in html and uploaded.id not in html
    # A supplier's data manager sees its own holdings only; an uploader is refused.
    camden = client_acting_as("data_manager", "camden").get("/retention/").content.decode()
    assert "Westminster" not in camden and "Nothing your organisation supplied is waiting" in camden
    assert client_acting_as("uploader", "camden").get("/retention/").status_code == 403


def test_the_command_says_what_it_would_delete_and_then_deletes_it(uploaded: Submission, monkeypatch) -> None:
    monkeypatch.setenv("BOROUGHHUB_AUDIT_CLOCK", "2028-03-11T11:00:00Z")
    out = io.StringIO()
    call_command("retention", "run", "--dry-run", stdout=out)
    assert "Would delete H-CLIC E09000033 Version 1" in out.getvalue() and _entries() == []
    out = io.StringIO()
    call_command("retention", "due", stdout=out)
    assert "10 March 2028" in out.getvalue() and "H-CLIC" in out.getvalue()
    out = io.StringIO()
    call_command("retention", "run", stdout=out)
    assert "Deleted 1 holding(s)" in out.getvalue() and "rewritten" in out.getvalue()
    assert len(_entries()) == 1


def test_the_scheduled_task_runs_the_job(uploaded: Submission) -> None:
    from boroughhub.retention.tasks import enforce_retention

    with audit_clock_set_to(EXPIRES + dt.timedelta(days=1)):
        result = enforce_retention.enqueue()
    assert result.return_value == {"deleted": 1, "rows": result.return_value["rows"], "rewritten": True}
    assert result.return_value["rows"] > 0 and len(_entries()) == 1


def test_old_figures_and_their_published_snapshot_go_after_84_months(demo_agreements, settings) -> None:  # noqa: F811
    created = dt.datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
    with Warehouse(settings.WAREHOUSE_PATH) as warehouse:
        warehouse.execute("CREATE TABLE main.metric_values AS SELECT 1 AS value")
        warehouse.execute("CREATE TABLE main.metric_run AS SELECT ?::TIMESTAMPTZ AS computed_at", [created])
    published = Path(settings.DATA_DIR) / "insights"
    published.mkdir(parents=True)
    for name in ("metric_values.parquet", "metric_run.parquet"):
        (published / name).write_bytes(b"PAR1")
    with audit_clock_set_to(dt.datetime(2033, 3, 31, 6, 0, tzinfo=UTC)):
        assert run_retention().deleted == []
    with audit_clock_set_to(dt.datetime(2033, 4, 2, 6, 0, tzinfo=UTC)):
        (deleted,) = run_retention().deleted
    assert deleted.rows_by_table == {"main.metric_values": 1} and not any(published.iterdir())
    (entry,) = _entries()
    # Derived data carries no upload stamp: the shortest clause among the active versions (both say P84M here).
    assert entry.payload["clause"] == "dsa-hub-qa version 1, datasets[metric_values].hub_retention"
    assert entry.payload["deletion"] == "purge" and entry.payload["identifiers_overwritten"] == 0
