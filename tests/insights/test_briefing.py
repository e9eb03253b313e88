"""The briefing's plain cores: headline changes, the comparison's shares, rates and sort, the tile map,
the population list, data coverage and the committee PDF's fetcher. No database."""

from __future__ import annotations

import datetime as dt

import pytest

from boroughhub.insights.briefing import comparison as compare
from boroughhub.insights.briefing.committee import LocalOnlyURLFetcher, render_pdf
from boroughhub.insights.briefing.headline import HEADLINE_KEYS, cell, change, headline_figures, latest_years
from boroughhub.insights.briefing.population import rate_per_10000, residents
from boroughhub.insights.briefing.supply import measure_coverage, supplier_data
from boroughhub.insights.briefing.tile_map import TILES, tile_map_spec
from boroughhub.insights.pages import index_rows
from boroughhub.reference import code_list

CAMDEN, LONDON = "E09000007", "E12000007"


def row(metric: str, period: str, value: str, measure: str = "count", period_type: str = "financial_year",
        area: str = CAMDEN) -> dict[str, str]:
    return {"metric": metric, "variant": "", "period_type": period_type, "period": period, "area_code": area,
            "breakdown": "none", "breakdown_value": "", "measure": measure, "value": value, "flags": ""}


def test_change_reads_as_words_and_never_compares_a_suppressed_cell():
    total, share = HEADLINE_KEYS["total"], HEADLINE_KEYS["one_night"]
    assert change(total, "120", "100").text == "up 20 (20%)"
    assert change(total, "80", "100").text == "down 20 (20%)"
    assert change(total, "0", "0").text == "no change"
    assert change(total, "[c]", "100").text == "cannot be compared"
    assert change(total, "120", "[x]").amount is None
    assert change(share, "55.5", "50.0").text == "up 5.5 points"


def test_headlines_read_the_year_and_long_term_from_march_of_that_year():
    years = index_rows([row("chain_total", "2023/24", "40"), row("chain_total", "2022/23", "35"),
                        row("nsno_one_night_share", "2023/24", "62.4", "share")])
    months = index_rows([row("fw_b1", "2024-03", "15", period_type="month"),
                         row("fw_b1", "2024-02", "99", period_type="month")])
    assert latest_years(years) == ("2023/24", "2022/23")
    figures = {f.headline.key: f for f in headline_figures("2023/24", "2022/23", years, months)}
    assert figures["total"].value == "40" and figures["total"].change.text == "up 5 (14%)"
    assert figures["long_term"].value == "15"  # March, not February
    assert figures["one_night"].shown == "62%"
    assert figures["new"].value == "[x]"  # no row: not available, never 0
    assert cell(HEADLINE_KEYS["stock"], "2023/24", years, months) == "[x]"


def test_comparison_shares_rates_and_sort_keep_london_first_and_markers_last():
    headline = HEADLINE_KEYS["total"]
    westminster, city = "E09000033", "E09000001"
    data = {
        LONDON: index_rows([row("chain_total", "2023/24", "1000", area=LONDON)]),
        CAMDEN: index_rows([row("chain_total", "2023/24", "105"), row("chain_total", "2022/23", "100")]),
        westminster: index_rows([row("chain_total", "2023/24", "300", area=westminster)]),
        city: index_rows([row("chain_total", "2023/24", "[c]", area=city)]),
    }
    months = {code: {} for code in data}
    names = {LONDON: "London", CAMDEN: "Camden", westminster: "Westminster", city: "City of London"}
    rows = compare.comparison_rows(headline, "2023/24", "2022/23", list(data), names, data, months)
    camden = next(r for r in rows if r.area_code == CAMDEN)
    assert camden.share_of_london == pytest.approx(10.5)
    assert camden.rate == pytest.approx(105 / 210_100 * 10_000)
    assert camden.shown(headline) == {"value": "105", "change": "up 5 (5%)", "share": "10.5%", "rate": "5.00"}
    ordered = compare.sorted_rows(rows, "value", descending=True)
    assert [r.area_code for r in ordered] == [LONDON, westminster, CAMDEN, city]
    ordered = compare.sorted_rows(rows, "value", descending=False)
    assert [r.area_code for r in ordered] == [LONDON, CAMDEN, westminster, city]  # [c] last either way
    assert [r.area_name for r in compare.sorted_rows(rows, "no-such-column", False)] == [
        "London", "Camden", "City of London", "Westminster"]  # an unknown column sorts by name
    lines = compare.table_lines(headline, "2023/24", ordered)
    assert lines[0][0] == "Area code" and lines[3][:3] == [westminster, "Westminster", "300"]


def test_comparison_downloads_neutralise_formulas_and_say_the_threshold_applied():
    body = compare.to_csv([["Area", "Value"], ["=HYPERLINK()", "5"]]).decode("utf-8-sig")
    assert "'=HYPERLINK()" in body
    notes = dict(compare.download_notes(HEADLINE_KEYS["total"], "2023/24", 11))
    assert "counts of 1 to 10" in notes["Figures"]


def test_population_list_is_census_2021_for_every_london_authority():
    population = residents()
    boroughs = [code for code in population if code.startswith("E09")]
    assert len(boroughs) == 33
    # The region is rounded on its own: it differs from the sum of the rounded boroughs by at most 50 × 33.
    assert abs(sum(population[c] for c in boroughs) - population[LONDON]) <= 50 * 33
    assert all("Census 2021" in r["vintage"] and "ONS" in r["source"] for r in code_list("population"))
    assert rate_per_10000(10, "heathrow") is None  # no residents, no rate


def test_tile_map_has_one_square_per_borough_and_values_only_for_areas_shown():
    assert len(TILES) == 33 and len({(c, r) for c, r, _ in TILES.values()}) == 33
    assert set(TILES) == {r["code"] for r in code_list("areas") if r["code"].startswith("E09")}
    spec = tile_map_spec({CAMDEN: 5.0, "E09000022": 9.0}, {}, "People", frozenset({CAMDEN}))
    records = {r["short"]: r for r in spec["datasets"][next(iter(spec["datasets"]))]} if "datasets" in spec else {
        r["short"]: r for r in spec["data"]["values"]}
    assert records["Cmd"]["value"] == 5.0 and records["Lam"]["value"] is None  # Lambeth not shown to this user


def test_coverage_marks_late_and_missing_suppliers():
    as_at = dt.date(2024, 3, 31)
    supplied = [("chain", "chain_london", dt.date(2017, 4, 1), as_at),
                ("hclic", CAMDEN, dt.date(2020, 4, 1), dt.date(2023, 12, 31))]
    by_source = supplier_data(supplied, as_at)
    assert by_source["chain"][0].status == "up_to_date"
    camden = next(s for s in by_source["hclic"] if s.supplier_code == CAMDEN)
    assert camden.status == "late" and camden.supplier_name == "Camden"
    assert sum(1 for s in by_source["hclic"] if s.status == "missing") == 32
    measures = {m.measures: m for m in measure_coverage(by_source)}
    prevention = measures["Prevention: contact with a council before sleeping rough"]
    assert prevention.up_to == dt.date(2023, 12, 31) and prevention.late == 1 and prevention.missing == 32
    # InForm is expected from the hostel providers, not from every council (only those running services).
    missing_inform = {s.supplier_code for s in by_source["inform"] if s.status == "missing"}
    assert missing_inform == {"provider-a", "provider-b"}


def test_a_councils_inform_extract_is_listed_when_used_though_never_expected():
    as_at = dt.date(2024, 3, 31)
    by_source = supplier_data([("inform", CAMDEN, dt.date(2020, 4, 1), as_at)], as_at)
    assert [(s.supplier_code, s.status) for s in by_source["inform"]][0] == (CAMDEN, "up_to_date")


def test_committee_pdf_fetches_nothing_from_outside():
    fetcher = LocalOnlyURLFetcher()
    with pytest.raises(Exception):  # noqa: B017 - WeasyPrint's own error type differs between versions
        fetcher.fetch("https://example.org/logo.png")
    pdf, pages = render_pdf('<html lang="en"><body><img src="file:///etc/passwd" alt=""><p>x</p></body></html>')
    assert pdf.startswith(b"%PDF") and pages == 1


def test_committee_paper_with_every_chart_drawn_still_fits_two_pages():
    """The worked example suppresses most figures; here every year of every chart has a number."""
    from boroughhub.insights.briefing.committee import render_print_html
    from boroughhub.insights.figure_charts import figure_svg
    from boroughhub.insights.pages import ANNUAL_COHORTS, TOTAL_SEEN, figure_table

    periods = [f"{y}/{str(y + 1)[2:]}" for y in range(2017, 2024)]
    rows = [row(metric, p, str(50 + 5 * i)) for i, p in enumerate(periods)
            for metric in ("chain_total", "chain_flow", "chain_stock", "chain_returner")]
    years = index_rows(rows)
    months = index_rows([row("fw_b1", "2024-03", "15", period_type="month")])
    charts = []
    for figure in (ANNUAL_COHORTS, TOTAL_SEEN):
        table = figure_table(figure, years)
        charts.append({"title": figure.title, "table": table, "svg": figure_svg(table, figure.title)})
    assert all(chart["svg"] for chart in charts)
    figures = headline_figures("2023/24", "2022/23", years, months)
    html = render_print_html({
        "year": "2023/24", "previous": "2022/23", "rows": list(zip(figures, figures, strict=True)),
        "area_name": "Camden", "area_code": CAMDEN, "charts": charts, "headlines": list(HEADLINE_KEYS.values()),
        "threshold_note": "Counts of 1 to 9 are shown as [c].", "coverage": None, "agreement": "agreement x version 1",
        "sentence": "In 2023/24, 80 people were seen sleeping rough in Camden.", "sources": "CHAIN, InForm, H-CLIC",
    })
    pdf, pages = render_pdf(html)
    assert pdf.startswith(b"%PDF") and pages == 2


def test_summary_sentence_answers_how_many_up_or_down_and_london():
    from boroughhub.insights.briefing.headline import summary_sentence

    years = index_rows([row("chain_total", "2023/24", "40"), row("chain_total", "2022/23", "35"),
                        row("chain_total", "2023/24", "900", area=LONDON), row("chain_total", "2022/23", "[c]", area=LONDON)])
    camden = headline_figures("2023/24", "2022/23", years, {})[0]
    london_years = index_rows([r for rows in years.values() for r in rows if r["area_code"] == LONDON])
    london = headline_figures("2023/24", "2022/23", london_years, {})[0]
    assert summary_sentence("Camden", "2023/24", "2022/23", camden, london) == (
        "In 2023/24, 40 people were seen sleeping rough in Camden (up 5 (14%) on 2022/23); "
        "900 people were seen sleeping rough in London.")
    suppressed = headline_figures("2023/24", None, index_rows([row("chain_total", "2023/24", "[c]")]), {})[0]
    assert summary_sentence("Camden", "2023/24", None, suppressed, suppressed) == (
        "In 2023/24, the number seen sleeping rough in Camden is suppressed to protect individuals.")
