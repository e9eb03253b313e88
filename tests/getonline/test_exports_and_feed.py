"""The report's downloads and the public feed, without a database."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from boroughhub.getonline.charts import months_chart_svg
from boroughhub.getonline.exports import funder_table, report_tables, to_csv, to_xlsx
from boroughhub.getonline.figures import Given, by_month
from boroughhub.getonline.hsds import PublicHub, feed

RECORDS = [Given("devices", "E09000023", "=HYPERLINK(\"x\")", date(2026, 10, 3), "p1"),
           Given("learners", "E09000023", "Deptford", date(2026, 11, 3), "SECRET-REF")]


def test_the_funder_export_has_every_borough_month_and_measure_and_no_reference() -> None:
    name, heading, rows = funder_table(RECORDS, date(2026, 10, 1), date(2026, 11, 30))
    assert heading == ["Month", "ONS code", "Borough", "Measure", "Given", "Target"]
    assert len(rows) == 2 * 33 * 4
    assert ["2026-10", "E09000023", "Lewisham", "Devices", 1, 9] in rows
    assert "SECRET-REF" not in to_csv((name, heading, rows))


def test_hub_names_cannot_run_as_formulas_in_a_download() -> None:
    tables = report_tables(RECORDS, date(2026, 10, 1), date(2026, 10, 31))
    by_hub = next(t for t in tables if t[0] == "By hub")
    assert to_csv(by_hub).splitlines()[1].startswith("\"'=HYPERLINK")
    book = load_workbook(io.BytesIO(to_xlsx(tables, date(2026, 10, 1), date(2026, 10, 31))))
    assert book.sheetnames == ["Notes", "By borough", "By month", "By hub"]
    assert book["By hub"]["A2"].data_type == "s"


def test_the_chart_is_an_svg_with_a_name() -> None:
    svg = months_chart_svg(by_month(RECORDS, date(2026, 10, 1), date(2026, 11, 30)))
    assert svg.startswith("<svg role=\"img\" aria-label=\"Bar charts")


def test_the_feed_lists_each_hub_as_an_open_referral_service_with_stable_ids() -> None:
    hub = PublicHub(7, "Deptford Hub", "Deptford Trust", "1 High St", "SE8 4AA", "E09000023", "Lewisham",
                    "Weekdays 10 to 4", ("devices", "skills"), "hi@example.org")
    first, second = feed([hub]), feed([hub])
    assert first == second and first["total_items"] == 1
    service = first["contents"][0]
    assert service["organization"]["name"] == "Deptford Trust"
    assert [a["taxonomy_term"]["code"] for a in service["attributes"]] == ["devices", "skills"]
    assert "sim card" not in service["description"].lower()
