"""The insights pages and downloads, on the metrics of the worked example (metrics.md §9)."""

from __future__ import annotations

import io
import re

import duckdb
import openpyxl
import pytest

from boroughhub.insights import views
from boroughhub.insights.metrics import Parameters, refresh
from boroughhub.insights.published import write_snapshot
from tests.agreements.conftest import demo_people, pl_rsi_v1  # noqa: F401 - fixtures
from tests.insights import worked_example
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db
CAMDEN, LAMBETH, LONDON = "E09000007", "E09000022", "E12000007"


@pytest.fixture(scope="module")
def snapshot_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("published")
    con = duckdb.connect()
    worked_example.load(con)
    refresh(con, Parameters(as_at=worked_example.AS_AT, history_start=worked_example.HISTORY_START))
    write_snapshot(con, directory / "insights")
    return directory


@pytest.fixture
def snapshot(snapshot_dir, settings):
    settings.DATA_DIR = snapshot_dir
    views.published_figures.cache_clear()
    yield snapshot_dir
    views.published_figures.cache_clear()


def signed_in(client, user, org, role):
    from boroughhub.organisations.acting import SESSION_KEY

    grant = user.role_grants.get(organisation_id=org, role=role)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_KEY] = grant.pk
    session.save()
    return client


def small_counts(html: str) -> list[str]:
    """Numbers 1–7 in table cells: none may appear unless unrounded (R1 of metrics.md §8.2)."""
    cells = re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>', html)
    return [c for c in cells if re.fullmatch(r"[1-7]", c.strip())]


def test_borough_analyst_sees_london_and_own_borough_with_suppressed_small_counts(client, snapshot, pl_rsi_v1, demo_people):
    analyst = demo_people("analyst", "camden")
    signed_in(client, analyst, "camden", "analyst")
    for path in ("/insights/", f"/insights/area/{CAMDEN}", f"/insights/cohorts?area={CAMDEN}&breakdown=gender",
                 "/insights/brief", "/insights/prevention", "/insights/non-recurrent", "/insights/pathways"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        check_page(response)
        assert small_counts(html) == [], f"unsuppressed small counts on {path}"
    overview = client.get("/insights/").content.decode()
    assert "<svg" in overview and "govuk-table" in overview
    assert "[c]" in overview


def test_borough_analyst_is_refused_another_borough_and_the_refusal_is_audited(client, snapshot, pl_rsi_v1, demo_people):
    from boroughhub.audit.models import AuditEntry

    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    response = client.get(f"/insights/area/{LAMBETH}")
    assert response.status_code == 403
    check_page(response)
    assert AuditEntry.objects.filter(outcome="deny", payload__reason="AREA_NOT_VISIBLE").exists()


def test_gla_analyst_sees_every_borough(client, snapshot, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    response = client.get(f"/insights/area/{LAMBETH}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lambeth" in html
    # The area switcher groups and describes its areas (issue 14, item 7), the chosen one selected.
    check_page(response)
    assert html.index('<optgroup label="London-wide">') < html.index('<optgroup label="Local authorities')
    assert f'<option value="{LAMBETH}" selected>Lambeth</option>' in html


def test_page_views_are_decided_and_audited_as_access(client, snapshot, pl_rsi_v1, demo_people):
    from boroughhub.audit.models import AuditEntry

    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    client.get("/insights/")
    decision = AuditEntry.objects.filter(event_type="decision", dataset="metric_values").latest("seq")
    assert decision.outcome == "permit" and decision.action == "view_aggregate"
    access = AuditEntry.objects.filter(event_type="access").latest("seq")
    assert str(access.decision_entry_id) == str(decision.entry_id)


def test_role_without_a_permission_is_refused_with_the_reason(client, snapshot, pl_rsi_v1, make_user):
    make_user("frontline@camden.test", "camden", "frontline_worker")
    from boroughhub.organisations.models import User

    signed_in(client, User.objects.get(email="frontline@camden.test"), "camden", "frontline_worker")
    response = client.get("/insights/")
    assert response.status_code == 403
    # The reason in words on the page (issue 15: no reason codes on pages); its code in the audit entry.
    from html import escape

    from boroughhub.agreements.policy import REASON_MESSAGES
    from boroughhub.audit.models import AuditEntry

    page = response.content.decode()
    assert escape(REASON_MESSAGES["ROLE_NOT_PERMITTED"]) in page and "ROLE_NOT_PERMITTED" not in page
    refusal = AuditEntry.objects.filter(event_type="decision", outcome="deny").latest("seq")
    assert refusal.reasons[0]["code"] == "ROLE_NOT_PERMITTED"


def test_downloads_are_disclosure_controlled_with_a_notes_sheet(client, snapshot, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    csv_response = client.get(f"/insights/download/cohorts/annual-cohorts.csv?area={CAMDEN}")
    assert csv_response.status_code == 200
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Period,New (flow)")
    assert not re.search(r",[1-7](,|$)", text, re.MULTILINE)
    xlsx = client.get(f"/insights/download/cohorts/annual-cohorts.xlsx?area={CAMDEN}")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["Table", "Notes"]
    notes = {row[0].value: row[1].value for row in workbook["Notes"].iter_rows()}
    assert notes["Data as at"] == "2024-03-31" and "disclosure control" in notes["Figures"]


def test_no_snapshot_yet_says_so_plainly(client, settings, tmp_path, pl_rsi_v1, demo_people):
    settings.DATA_DIR = tmp_path
    views.published_figures.cache_clear()
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    response = client.get("/insights/")
    check_page(response)
    assert "No insights yet" in response.content.decode()
    views.published_figures.cache_clear()


def test_every_metric_of_the_spec_is_shown_and_downloadable(client, snapshot, pl_rsi_v1, demo_people):
    from boroughhub.insights.catalog import METRIC_IDS
    from boroughhub.insights.definitions import NAMES

    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    shown: set[str] = set()
    for period_type in ("financial_year", "financial_quarter", "month"):
        response = client.get(f"/insights/all?area={LONDON}&period_type={period_type}")
        assert response.status_code == 200
        check_page(response)
        html = response.content.decode()
        shown |= {m for m in METRIC_IDS if f">{NAMES[m]}<" in html}  # by its name: ids are not shown
    assert shown == set(METRIC_IDS)
    download = client.get(f"/insights/download/all.csv?area={LONDON}&period_type=financial_year")
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ("metric,variant,period_type,period,area_code,breakdown,breakdown_value,measure,value,flags,"
                        "metric_name,breakdown_value_name")
    assert {line.split(",")[0] for line in lines[1:]} >= {"chain_total", "lk_brief_band", "lk_pathways"}


def test_framework_page_and_fixed_breakdown_figures_render(client, snapshot, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    for path in ("/insights/framework", "/insights/prevention", "/insights/brief", "/insights/non-recurrent"):
        response = client.get(path)
        assert response.status_code == 200, path
        check_page(response)
        assert small_counts(response.content.decode()) == []
    assert "Planned move-on" in client.get("/insights/non-recurrent").content.decode()
