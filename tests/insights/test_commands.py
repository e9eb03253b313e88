"""`boroughhub insights refresh` and `insights export`: decided, audited, disclosure-controlled."""

from __future__ import annotations

import csv

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boroughhub.insights.published import PUBLISHED_FILE
from tests.agreements.conftest import demo_people, pl_rsi_v1  # noqa: F401 - fixtures
from tests.insights import worked_example

pytestmark = pytest.mark.django_db


@pytest.fixture
def warehouse(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    settings.WAREHOUSE_PATH = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(settings.WAREHOUSE_PATH))
    worked_example.load(con)
    con.close()
    return settings.WAREHOUSE_PATH


def test_refresh_as_the_job_owner_writes_the_metrics_and_the_published_snapshot(warehouse, pl_rsi_v1, demo_people, settings):
    from boroughhub.audit.models import AuditEntry

    call_command("insights", "refresh", "--user", "analyst@gla.example", "--as-at", "2024-03-31", "--history-start", "2017-04-01")
    assert (settings.DATA_DIR / "insights" / PUBLISHED_FILE).exists()
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM main.metric_values").fetchone()[0] > 0
    decided = AuditEntry.objects.filter(event_type="decision", action="view_aggregate", outcome="permit")
    assert {e.dataset for e in decided} == {"chain", "hclic", "inform"}


def test_refresh_is_refused_for_a_user_whose_agreement_does_not_cover_the_sources(warehouse, pl_rsi_v1, demo_people):
    with pytest.raises(CommandError, match="refused"):
        call_command("insights", "refresh", user="analyst@camden.example")


def test_export_is_disclosure_controlled_and_limited_to_the_users_areas(warehouse, pl_rsi_v1, demo_people, tmp_path):
    call_command("insights", "refresh", "--user", "analyst@gla.example", "--as-at", "2024-03-31", "--history-start", "2017-04-01")
    out = tmp_path / "camden.csv"
    call_command("insights", "export", out=str(out), user="analyst@camden.example")
    rows = list(csv.DictReader(out.open()))
    assert {r["area_code"] for r in rows} <= {"E09000007", "E12000007"}
    # lk_prev_hclic_coverage counts local authorities, not people: published as it is (docs/metrics.md).
    counts = [r["value"] for r in rows if r["measure"] == "count" and r["metric"] != "lk_prev_hclic_coverage"]
    assert "[c]" in counts and not any(v in {"1", "2", "3", "4", "5", "6", "7"} for v in counts)


def test_unrounded_export_is_refused_and_audited_without_view_unrounded(warehouse, pl_rsi_v1, demo_people, tmp_path):
    from boroughhub.audit.models import AuditEntry

    call_command("insights", "refresh", "--user", "analyst@gla.example", "--as-at", "2024-03-31", "--history-start", "2017-04-01")
    with pytest.raises(CommandError, match="Export refused"):
        call_command("insights", "export", out=str(tmp_path / "x.csv"), user="analyst@camden.example", unrounded=True)
    assert AuditEntry.objects.filter(action="view_unrounded", outcome="deny").exists()
    assert not (tmp_path / "x.csv").exists()
