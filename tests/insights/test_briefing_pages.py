"""The briefing pages (issue 15 items 1, 2, 6, 8) on the worked example's published snapshot."""

from __future__ import annotations

import csv
import hashlib
import io
import re

import openpyxl
import pytest

from tests.agreements.conftest import demo_agreements, demo_people, pl_rsi_v1  # noqa: F401 - fixtures
from tests.insights.test_pages import CAMDEN, LAMBETH, LONDON, signed_in, small_counts, snapshot, snapshot_dir  # noqa: F401
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db


def table_rows(html: str, table_id: str | None = None) -> list[list[str]]:
    """Rows of the first table (or the one with ``table_id``) as the text of their cells."""
    start = html.index(f'id="{table_id}"') if table_id else html.index("<table")
    body = html[start:html.index("</table>", start)]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in rows]


def test_borough_analysts_summary_puts_their_borough_beside_london_for_the_latest_year(client, snapshot, pl_rsi_v1,
                                                                                     demo_people):
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    response = client.get("/insights/summary")
    assert response.status_code == 200
    check_page(response)
    html = response.content.decode()
    assert "Rough sleeping in Camden, 2023/24" in html
    rows = table_rows(html)
    assert rows[0] == ["Measure", "Camden", "Change on 2022/23", "London", "Change on 2022/23, London"]
    labels = [row[0] for row in rows[1:]]
    assert labels == ["Seen sleeping rough", "New (flow)", "Also seen the year before (stock)",
                      "Returned after a year or more (returners)", "New people seen on one night only",
                      "Sleeping rough long-term (March)"]
    # The worked example's counts are all small: Camden's are suppressed, London's rounded to 10 or suppressed.
    assert rows[1][1] == "[c]" and rows[1][3] in ("[c]", "10")
    assert small_counts(html) == []
    assert "In 2023/24, the number seen sleeping rough in Camden is suppressed to protect individuals;" in html
    # The paper and the comparison are offered, with the area kept.
    assert f"/insights/committee?area={CAMDEN}" in html and "/insights/comparison" in html


def test_summary_is_the_first_card_on_a_borough_analysts_home(client, snapshot, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    home = client.get("/home").content.decode()
    cards = re.findall(r'<h2 class="govuk-heading-m govuk-!-margin-bottom-1"><a class="govuk-link" href="([^"]+)"', home)
    assert cards[0] == "/insights/summary"
    assert client.get(cards[0]).status_code == 200


def test_summary_of_another_borough_is_refused_and_audited(client, snapshot, pl_rsi_v1, demo_people):
    from boroughhub.audit.models import AuditEntry

    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    response = client.get(f"/insights/summary?area={LAMBETH}")
    assert response.status_code == 403
    check_page(response)
    assert AuditEntry.objects.filter(outcome="deny", payload__reason="AREA_NOT_VISIBLE").exists()


def test_comparison_lists_only_visible_areas_and_sorts_on_the_server(client, snapshot, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    response = client.get("/insights/comparison?measure=total&sort=area")
    check_page(response)
    html = response.content.decode()
    rows = table_rows(html, "comparison-table")[1:]
    names = [row[0] for row in rows]
    # All 33 authorities and Heathrow, London first; an authority without figures reads [x], not missing.
    assert len(names) == 35 and names[0] == "London" and names[1:] == sorted(names[1:])
    assert {"City of London", "Camden", "Heathrow Airport", "Sutton"} <= set(names)
    assert next(r for r in rows if r[0] == "Sutton")[1] == "[x]"
    # Every borough figure of the worked example is suppressed: no map is drawn from nothing.
    assert "No map: no borough you may see has a figure" in html
    # Sorting by area name, descending: London stays first as the total.
    descending = client.get("/insights/comparison?measure=total&sort=area&order=descending").content.decode()
    names_descending = [row[0] for row in table_rows(descending, "comparison-table")[1:]]
    assert names_descending == ["London", *sorted(names[1:], reverse=True)]
    assert 'aria-sort="descending"' in descending

    # The GLA's summary starts on London, which has no second column to compare with.
    london = client.get("/insights/summary").content.decode()
    assert table_rows(london)[0] == ["Measure", "London", "Change on 2022/23, London"]

    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    camden = client.get("/insights/comparison").content.decode()
    assert [row[0] for row in table_rows(camden, "comparison-table")[1:]] == ["London", "Camden"]


def test_unrounded_comparison_for_the_hubs_data_manager_draws_the_london_tile_map(client, snapshot, demo_agreements,
                                                                                  demo_people):
    signed_in(client, demo_people("data_manager", "hub"), "hub", "data_manager")
    response = client.get("/insights/comparison?measure=total&figures=unrounded&sort=rate&order=descending")
    assert response.status_code == 200
    check_page(response)
    html = response.content.decode()
    assert 'aria-label="Map of London' in html and "<svg" in html
    rows = table_rows(html, "comparison-table")[1:]
    # Rates per 10,000: Camden 4 / 210,100, Westminster 3 / 204,300, Lambeth 2 / 317,600; then the areas without a
    # rate (Heathrow has no residents; authorities without figures), by name.
    assert [r[0] for r in rows[:4]] == ["London", "Camden", "Westminster", "Lambeth"]
    assert rows[1][4] == f"{4 / 210_100 * 10_000:.2f}"
    assert next(r for r in rows if r[0] == "Heathrow Airport")[4] == ""
    # London's share of itself, and Camden's share of London's 9 people.
    assert rows[0][3] == "100.0%" and rows[1][3] == f"{4 / 9 * 100:.1f}%"


def test_comparison_downloads_are_exports_with_codes_names_and_notes(client, snapshot, pl_rsi_v1, demo_people):
    from boroughhub.audit.models import AuditEntry

    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    response = client.get("/insights/comparison.csv?measure=total")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="boroughhub-comparison-total-2023-24.csv"'
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["Area code", "Area", "Seen sleeping rough, 2023/24"]
    codes = [line[0] for line in lines[1:]]
    assert codes[0] == LONDON and len(codes) == 35 and {CAMDEN, "heathrow", LAMBETH, "E09000001"} <= set(codes)
    assert all(not re.fullmatch(r"[1-7]", line[2]) for line in lines[1:])
    assert AuditEntry.objects.filter(event_type="decision", action="export", outcome="permit").exists()
    xlsx = client.get("/insights/comparison.xlsx?measure=total")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["Comparison", "Notes"]
    notes = {row[0].value: row[1].value for row in workbook["Notes"].iter_rows()}
    assert "Census 2021" in notes["Rates"] and "counts of 1 to" in notes["Figures"]


def test_committee_summary_is_an_audited_export_as_html_and_a_two_page_pdf(client, snapshot, pl_rsi_v1, demo_people):
    from pypdf import PdfReader

    from boroughhub.audit.models import AuditEntry

    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    page = client.get(f"/insights/committee?area={CAMDEN}")
    assert page.status_code == 200
    check_page(page)
    html = page.content.decode()
    assert "What the measures count" in html and "Counts of 1 to" in html
    assert "export under agreement dsa-pl-rsi version 1" in html
    assert small_counts(html) == []
    exports = AuditEntry.objects.filter(event_type="decision", action="export", outcome="permit").count()
    pdf = client.get(f"/insights/committee.pdf?area={CAMDEN}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 2
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Camden" in text and "London" in text
    assert AuditEntry.objects.filter(event_type="decision", action="export", outcome="permit").count() == exports + 1
    access = AuditEntry.objects.filter(event_type="access").latest("seq")
    assert access.action == "export" and access.export_sha256 == hashlib.sha256(pdf.content).hexdigest()
    # Six headlines for Camden and for London, Camden's three years of cohorts and London's seven of totals.
    assert access.row_count == 2 * 6 + 3 + 7


def test_coverage_says_which_suppliers_data_is_used_late_or_missing(client, snapshot, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    response = client.get("/insights/coverage")
    assert response.status_code == 200
    check_page(response)
    html = response.content.decode()
    assert "computed as at 31 March 2024" in html
    rows = table_rows(html)
    assert rows[1][:3] == ["People seen each year and quarter (new, stock, returners, one night only)", "CHAIN",
                           "31 March 2024"]
    assert "No InForm data from" in html or "InForm extracts used" in html
    assert "Missing" in html  # the register expects H-CLIC from all 33 councils; the example has two


def test_briefing_pages_are_not_offered_to_a_role_they_would_refuse(client, snapshot, pl_rsi_v1, make_user):
    from boroughhub.organisations.models import User

    make_user("frontline@camden.test", "camden", "frontline_worker")
    signed_in(client, User.objects.get(email="frontline@camden.test"), "camden", "frontline_worker")
    for path in ("/insights/summary", "/insights/comparison", "/insights/committee.pdf", "/insights/coverage"):
        assert client.get(path).status_code == 403, path
    assert "/insights/summary" not in client.get("/home").content.decode()


def test_coverage_of_a_snapshot_without_its_supply_record_says_so_instead_of_calling_all_missing(
        client, snapshot, pl_rsi_v1, demo_people, tmp_path, settings):
    import shutil

    from boroughhub.insights import views
    from boroughhub.insights.published import SUPPLY_FILE

    older = tmp_path / "older"
    shutil.copytree(snapshot, older)
    (older / "insights" / SUPPLY_FILE).unlink()
    settings.DATA_DIR = older
    views.published_figures.cache_clear()
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    response = client.get("/insights/coverage")
    check_page(response)
    html = response.content.decode()
    assert "published before the hub recorded which extracts" in html and "Missing" not in html
