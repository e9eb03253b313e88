"""Plain language everywhere (issue 15, item 5): a crawl of every insights page and download the demo's Camden
analyst can reach, on the seeded synthetic London, finds no metric id, reason code, pathway stage code,
"Table 7" or raw JSON on a page or in an XLSX; the key says the threshold applied; a refused "Unrounded"
keeps the user on their page with their filters."""

from __future__ import annotations

import io
import re
import shutil
from html import unescape
from urllib.parse import urlencode

import openpyxl
import pytest

from boroughhub.agreements.policy import REASON_MESSAGES
from boroughhub.insights import figure_charts, views
from boroughhub.insights.catalog import METRIC_IDS
from boroughhub.insights.pages import BREAKDOWNS, PAGES
from boroughhub.reference import code_list
from tests.agreements.conftest import demo_people, pl_rsi_v1  # noqa: F401 - fixtures
from tests.insights.seeded import seeded_snapshot
from tests.insights.test_pages import signed_in
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db
CAMDEN, LONDON = "E09000007", "E12000007"
STAGE_CODES = [r["code"] for r in code_list("pathway_node") if "_" in r["code"]]
# Codes are whole words: each text is split into words once and the words looked up (the long-format
# workbooks hold a few hundred thousand cells); the other things are patterns.
CODES = frozenset([*METRIC_IDS, *REASON_MESSAGES, *STAGE_CODES])
PATTERNS = re.compile(r"\d:[a-z_]+>|Table 7|\{\"")  # a transition code (0:street_first_seen>1:...), raw JSON


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory):
    return seeded_snapshot(tmp_path_factory.mktemp("seeded"))


@pytest.fixture
def seeded(seeded_dir, settings):
    settings.DATA_DIR = seeded_dir
    views.published_figures.cache_clear()
    yield seeded_dir
    views.published_figures.cache_clear()


def _visible_text(html: str) -> str:
    """What a reader sees or hears: the page without its scripts, styles and tags (attribute values such as
    an SVG's aria-label are kept: a screen reader says them)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', html))
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + labels)


def _offending(text: str) -> list[str]:
    words = set(re.findall(r"[A-Za-z0-9_]+", text))
    return sorted((words & CODES) | {match.group(0) for match in PATTERNS.finditer(text)})


def _xlsx_text(body: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)


def _spec_words(spec: dict) -> str:
    values = spec.get("data", {}).get("values", [])
    return " ".join(f"{v.get('period', v.get('stage', ''))} {v.get('series', v.get('node', ''))}" for v in values)


def _start_pages() -> list[str]:
    """Every page with every filter a Camden analyst can choose (the forms' GET choices), for both areas."""
    paths = []
    for area in (CAMDEN, LONDON):
        for slug in PAGES:
            for breakdown in BREAKDOWNS if area == CAMDEN else ("none",):
                paths.append(f"/insights/{slug}?{urlencode({'area': area, 'breakdown': breakdown})}")
        for period_type in ("financial_year", "financial_quarter", "month"):
            paths.append(f"/insights/all?{urlencode({'area': area, 'period_type': period_type})}")
        paths.append(f"/insights/pathways?area={area}")
    return paths


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def test_no_id_or_code_on_any_insights_page_or_xlsx_a_borough_analyst_sees(client, seeded, pl_rsi_v1, demo_people,
                                                                           monkeypatch):
    # The crawl reads words, not drawings: charts are not rendered (about 200 of them, minutes on a shared
    # machine); what a chart says in words (its data's series, periods and values) is written into the SVG.
    monkeypatch.setattr(figure_charts, "render_svg", lambda spec: f"<svg>{_spec_words(spec)}</svg>")
    figure_charts.figure_svg.cache_clear()
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    to_visit, seen, problems = _start_pages(), set(), []
    downloads = {"csv": 0, "xlsx": 0, "pdf": 0}
    while to_visit:
        path = to_visit.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        kind = response["Content-Type"]
        if kind.startswith("text/html"):
            check_page(response)
            html = response.content.decode()
            problems += [(path, found) for found in _offending(_visible_text(html))]
            links = {unescape(h) for h in re.findall(r'href="(/insights/[^"#]*)"', html)}
            to_visit += [link for link in links if link not in seen]
        elif "spreadsheetml" in kind:
            downloads["xlsx"] += 1
            problems += [(path, found) for found in _offending(_xlsx_text(response.content))]
        elif kind.startswith("application/pdf"):  # the committee paper: its words, as a reader copies them
            downloads["pdf"] += 1
            problems += [(path, found) for found in _offending(_pdf_text(response.content))]
        else:
            downloads["csv"] += 1
            header = response.content.decode("utf-8-sig").splitlines()[0]
            if "metric" in header.split(","):  # the long format: ids may be a column, beside the names
                assert "metric_name" in header.split(","), path
    figure_charts.figure_svg.cache_clear()  # the word-only charts are not kept for other tests
    figure_charts._SPEC_SVGS.clear()
    shutil.rmtree(seeded / "insights" / "charts", ignore_errors=True)
    assert problems == []
    assert downloads["xlsx"] >= 100 and downloads["csv"] >= 100 and len(seen) > 250


def test_the_key_says_the_threshold_applied_under_the_agreement(client, seeded, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    for path in (f"/insights/cohorts?area={CAMDEN}", f"/insights/all?area={CAMDEN}", f"/insights/pathways?area={CAMDEN}"):
        text = _visible_text(client.get(path).content.decode())
        assert "counts below 10 are suppressed under agreement dsa-pl-rsi v1" in text, path
        assert "Counts of 1 to 7" not in text
        for marker in ("[c]", "[x]", "[z]", "[short]"):
            assert re.search(rf"{re.escape(marker)}\s+\S", text), (path, marker)
    xlsx = client.get(f"/insights/download/cohorts/annual-cohorts.xlsx?area={CAMDEN}")
    notes = {row[0]: row[1] for row in openpyxl.load_workbook(io.BytesIO(xlsx.content))["Notes"].iter_rows(values_only=True)}
    assert "counts below 10 are suppressed under agreement dsa-pl-rsi v1" in notes["Key [c]"]
    assert notes["Follow-up after a first night out (days)"] == "365"


def test_short_history_years_are_marked_and_the_unfinished_follow_up_is_said(client, seeded, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    cohorts = _visible_text(client.get(f"/insights/cohorts?area={LONDON}").content.decode())
    assert re.search(r"2019/20 \[short\]", cohorts)  # the first year's look-back reaches before the data
    brief = _visible_text(client.get(f"/insights/brief?area={LONDON}").content.decode())
    assert "In 2024/25, there is no figure yet for within 30 days in London" in brief
    assert "follow-up is not over" in brief
    prevention = _visible_text(client.get(f"/insights/prevention?area={CAMDEN}").content.decode())
    assert re.search(r"2023/24 (\[short\] )?\[low\]", prevention)  # only the pilot councils supply H-CLIC: fewer than 33


def test_a_refused_unrounded_keeps_the_page_and_its_filters_and_says_why(client, seeded, pl_rsi_v1, demo_people):
    from boroughhub.audit.models import AuditEntry

    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    response = client.get(f"/insights/brief?area={CAMDEN}&breakdown=gender&figures=unrounded")
    assert response.status_code == 200
    check_page(response)
    html = response.content.decode()
    assert "Unrounded figures cannot be shown to you" in html
    assert re.search(r'<option value="gender" selected', html) and re.search(rf'<option value="{CAMDEN}" selected', html)
    assert 'value="unrounded"' not in html  # not offered, and not carried on in links or the form
    assert _offending(_visible_text(html)) == []
    assert AuditEntry.objects.filter(outcome="deny", action="view_unrounded").exists()
    assert AuditEntry.objects.filter(outcome="permit", action="view_aggregate").exists()


def test_brief_page_and_every_measure_show_the_same_median_for_the_same_cell(client, seeded, pl_rsi_v1, demo_people):
    """One number, one meaning (item 7): the T1 median of each year reads the same on both pages."""
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    brief = client.get(f"/insights/brief?area={LONDON}").content.decode()
    section = brief.split('id="time-to-long-term-title"')[1].split("</table>")[0]
    on_brief = dict(re.findall(r'<th scope="row" class="govuk-table__header">([^<\[]+?)(?: \[short\])?</th>\s*'
                               r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>', section))
    every = client.get(f"/insights/all?area={LONDON}&period_type=financial_year").content.decode()
    periods = re.findall(r'<th scope="col" class="govuk-table__header govuk-table__header--numeric">([^<]+)</th>', every)
    row = every.split("T1: median days from first seen to long-term accommodation")[1].split("</tr>")[0]
    cells = [re.sub(r"\s*\[short\]", "", c) for c in
             re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>', row)]
    assert len(cells) == len(periods) == 3
    assert {p: on_brief[p] for p in periods} == dict(zip(periods, cells, strict=True))
    assert any(int(c) > 365 for c in cells if c.isdigit()) or all(not c.startswith(">") for c in cells)


@pytest.mark.parametrize(("cell", "unit", "shown"), [
    ("62.5", "percent", "63%"), ("61.5", "percent", "62%"), ("0.5", "people", "1"), ("1234.5", "people", "1,235"),
    ("364.5", "days", "365 days"), ("12", "people", "12"), ("[c]", "people", "suppressed"),
])
def test_values_round_half_up_as_people_read_them(cell: str, unit: str, shown: str) -> None:
    from boroughhub.insights.pages import format_value

    assert format_value(cell, unit) == shown
