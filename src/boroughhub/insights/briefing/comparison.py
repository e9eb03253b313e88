"""The comparison table: every area a user may see × one headline measure, sortable, and its downloads.

Values are the published (disclosure-controlled) cells; the share of London and the rate per 10,000
residents are computed from those published values, so they reveal nothing the table does not already
show. Sorting is server-side (links in the column headings), so the table sorts without JavaScript.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import xlsxwriter

from boroughhub.insights.briefing.headline import Change, Headline, cell, change, shown_value
from boroughhub.insights.briefing.population import population_source, rate_per_10000
from boroughhub.insights.disclosure import PRIMARY_MAX
from boroughhub.insights.downloads import safe_cell
from boroughhub.insights.pages import to_number
from boroughhub.insights.params import LONDON
from boroughhub.insights.published import SliceIndex
from boroughhub.reference import code_list

#: Every London local authority (the 33, the City among them) and Heathrow, which CHAIN reports as an area.
COMPARED_AREAS: tuple[str, ...] = (*(row["code"] for row in code_list("areas") if row["area_type"] == "local_authority"),
                                   "heathrow")
SORTS = {"area": "Area", "value": "Latest year", "change": "Change on last year", "share": "Share of London",
         "rate": "Per 10,000 residents"}
MARKERS_KEY = "[c] suppressed to protect individuals; [x] not available; [z] not applicable."


@dataclass(frozen=True)
class ComparisonRow:
    area_code: str
    area_name: str
    value: str
    previous: str
    change: Change
    share_of_london: float | None
    rate: float | None

    def sort_key(self, column: str) -> tuple[int, float | str]:
        """Rows without a number for the column go last whichever way the table is sorted."""
        if column == "area":
            return (0, self.area_name)
        number = {"value": to_number(self.value), "change": self.change.amount, "share": self.share_of_london,
                  "rate": self.rate}[column]
        return (0, number) if number is not None else (1, 0.0)

    def shown(self, headline: Headline) -> dict[str, str]:
        """The row as the page and the downloads show it."""
        return {
            "value": shown_value(self.value, headline.unit),
            "change": self.change.text,
            "share": "" if self.share_of_london is None else f"{self.share_of_london:.1f}%",
            "rate": "" if self.rate is None else f"{self.rate:.2f}",
        }


def comparison_rows(headline: Headline, year: str, previous: str | None, areas: Sequence[str],
                    area_names: Mapping[str, str], years_by_area: Mapping[str, SliceIndex],
                    months_by_area: Mapping[str, SliceIndex]) -> list[ComparisonRow]:
    """One row per area, in the order given (London first)."""
    london_value = to_number(cell(headline, year, years_by_area[LONDON], months_by_area[LONDON])) \
        if LONDON in years_by_area else None
    rows = []
    for code in areas:
        value = cell(headline, year, years_by_area[code], months_by_area[code])
        before = cell(headline, previous, years_by_area[code], months_by_area[code]) if previous else "[x]"
        number = to_number(value)
        share = rate = None
        if headline.is_count and number is not None:
            if london_value:
                share = number / london_value * 100
            rate = rate_per_10000(number, code)
        rows.append(ComparisonRow(code, area_names[code], value, before, change(headline, value, before), share, rate))
    return rows


def sorted_rows(rows: Sequence[ComparisonRow], column: str, descending: bool) -> list[ComparisonRow]:
    """Rows sorted on a column; London (the total) stays on top, as the table's first row."""
    if column not in SORTS:
        column = "area"
    london = [r for r in rows if r.area_code == LONDON]
    others = [r for r in rows if r.area_code != LONDON]
    with_number = [r for r in others if r.sort_key(column)[0] == 0]
    without = [r for r in others if r.sort_key(column)[0] == 1]
    with_number.sort(key=lambda r: r.sort_key(column)[1], reverse=descending)
    return [*london, *with_number, *sorted(without, key=lambda r: r.area_name)]


def table_lines(headline: Headline, year: str, rows: Sequence[ComparisonRow]) -> list[list[str]]:
    """Heading and rows as the downloads carry them; the area code is a column beside the name."""
    lines = [["Area code", "Area", f"{headline.label}, {year}", "Change on previous year", "Share of London (%)",
              "Per 10,000 residents"]]
    for row in rows:
        shown = row.shown(headline)
        lines.append([row.area_code, row.area_name, row.value, shown["change"],
                      "" if row.share_of_london is None else f"{row.share_of_london:.1f}",
                      "" if row.rate is None else f"{row.rate:.2f}"])
    return lines


def suppression_threshold(min_cell: int | None) -> int:
    """The largest count suppressed: the rule's own, or the agreement's stricter minimum cell size less one."""
    return max(PRIMARY_MAX, (min_cell or 0) - 1)


def download_notes(headline: Headline, year: str, min_cell: int | None) -> list[tuple[str, str]]:
    threshold = suppression_threshold(min_cell)
    return [
        ("Table", f"{headline.label}, {year}, by area"),
        ("Definition", headline.definition),
        ("Figures", f"After disclosure control: counts of 1 to {threshold} are shown as [c]; other counts are "
                    "rounded to the nearest 5 (10 for London)."),
        ("Share of London", "The area's published figure as a share of London's published figure."),
        ("Rates", population_source()),
        ("Markers", MARKERS_KEY),
    ]


def to_csv(lines: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for line in lines:
        writer.writerow([safe_cell(c) for c in line])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(lines: Sequence[Sequence[str]], notes: Sequence[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("Comparison")
    for r, line in enumerate(lines):
        for c, text in enumerate(line):
            number = to_number(text) if r and c >= 2 else None
            if number is None:
                sheet.write_string(r, c, text, bold if r == 0 else None)
            else:
                sheet.write_number(r, c, number)
    sheet.set_column(0, 1, 24)
    sheet.set_column(2, 5, 20)
    notes_sheet = workbook.add_worksheet("Notes")
    for r, (key, value) in enumerate(notes):
        notes_sheet.write_string(r, 0, key, bold)
        notes_sheet.write_string(r, 1, value)
    notes_sheet.set_column(0, 0, 20)
    notes_sheet.set_column(1, 1, 100)
    workbook.close()
    return buffer.getvalue()
