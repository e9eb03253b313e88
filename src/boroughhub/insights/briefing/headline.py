"""The headline measures of the summary, the comparison and the committee paper, read from published rows.

Each headline is one cell of ``metric_values`` per financial year: the CHAIN annual cohorts, the No Second
Night Out share, and long-term rough sleeping. Long-term is the framework's B1 (metrics.md §5.4), a monthly
measure; a year's figure is B1 in the year's last month (March), the people who by then had slept rough in
at least 3 of the last 12 months (docs/decisions/0070-briefing-headline-measures.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from boroughhub.insights.pages import format_value, to_number
from boroughhub.insights.published import SliceIndex


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    metric: str
    measure: str = "count"
    unit: str = "people"  # people | percent
    monthly: bool = False  # read from the month slice at the year's last month
    definition: str = ""

    @property
    def is_count(self) -> bool:
        return self.unit == "people"


HEADLINES: tuple[Headline, ...] = (
    Headline("total", "Seen sleeping rough", "chain_total",
             definition="People seen bedded down on the street at least once in the financial year (CHAIN)."),
    Headline("new", "New (flow)", "chain_flow",
             definition="Of those seen, people never seen sleeping rough before the year."),
    Headline("stock", "Also seen the year before (stock)", "chain_stock",
             definition="Of those seen, people also seen sleeping rough in the previous financial year."),
    Headline("returners", "Returned after a year or more (returners)", "chain_returner",
             definition="Of those seen, people not seen in the previous year but seen before it."),
    Headline("one_night", "New people seen on one night only", "nsno_one_night_share", "share", "percent",
             definition="Share of new people seen sleeping rough on one night only (the No Second Night Out aim)."),
    Headline("long_term", "Sleeping rough long-term (March)", "fw_b1", monthly=True,
             definition="People seen sleeping rough in March who were seen in at least 3 of the 12 months to "
                        "March (framework indicator B1)."),
)
HEADLINE_KEYS = {h.key: h for h in HEADLINES}


def last_month_of(year: str) -> str:
    """``2023/24`` → ``2024-03``: the last month of a financial year."""
    return f"{int(year[:4]) + 1}-03"


def years(index: SliceIndex) -> list[str]:
    """Financial years that have a published total, oldest first."""
    return sorted({r["period"] for r in index.get(("chain_total", "none"), []) if r["measure"] == "count"})


def cell(headline: Headline, year: str, years_index: SliceIndex, months_index: SliceIndex) -> str:
    """The published value of a headline in a year (``[x]`` when there is no row)."""
    index, period = (months_index, last_month_of(year)) if headline.monthly else (years_index, year)
    for row in index.get((headline.metric, "none"), []):
        if row["period"] == period and row["measure"] == headline.measure and row["variant"] == "":
            return row["value"]
    return "[x]"


@dataclass(frozen=True)
class Change:
    """A year-on-year change in words a reader can take in at a glance, and as a number for sorting."""

    text: str
    amount: float | None


def change(headline: Headline, latest: str, previous: str) -> Change:
    now, before = to_number(latest), to_number(previous)
    if now is None or before is None:
        return Change("cannot be compared", None)
    if headline.unit == "percent":
        points = now - before
        if round(points, 1) == 0:
            return Change("no change", 0.0)
        return Change(f"{'up' if points > 0 else 'down'} {abs(points):.1f} points", points)
    difference = now - before
    if difference == 0:
        return Change("no change", 0.0)
    text = f"{'up' if difference > 0 else 'down'} {abs(difference):,.0f}"
    if before:
        text += f" ({abs(difference) / before * 100:.0f}%)"
    return Change(text, difference)


@dataclass(frozen=True)
class HeadlineFigure:
    headline: Headline
    value: str
    previous: str
    change: Change

    @property
    def shown(self) -> str:
        return shown_value(self.value, self.headline.unit)


def shown_value(cell_value: str, unit: str) -> str:
    """A cell as it reads in a sentence-free table: numbers formatted, markers kept as they are."""
    if to_number(cell_value) is None:
        return cell_value
    return format_value(cell_value, unit)


def headline_figures(year: str, previous: str | None, years_index: SliceIndex,
                     months_index: SliceIndex) -> list[HeadlineFigure]:
    """Every headline of one area in ``year``, with its change on ``previous`` (None: no earlier year)."""
    figures = []
    for headline in HEADLINES:
        value = cell(headline, year, years_index, months_index)
        before = cell(headline, previous, years_index, months_index) if previous else "[x]"
        figures.append(HeadlineFigure(headline, value, before, change(headline, value, before)))
    return figures


def latest_years(london_years_index: SliceIndex) -> tuple[str | None, str | None]:
    """(latest year, the year before it) of London's figures: every area is read for the same years."""
    known = years(london_years_index)
    if not known:
        return None, None
    latest = known[-1]
    previous = f"{int(latest[:4]) - 1}/{latest[2:4]}"  # 2023/24 → 2022/23
    return latest, previous



def summary_sentence(area_name: str, year: str, previous: str | None, area_total: HeadlineFigure,
                     london_total: HeadlineFigure) -> str:
    """The question people come with, answered in words: how many, up or down, and London beside it."""

    def how_many(figure: HeadlineFigure, where: str) -> str:
        if to_number(figure.value) is not None:
            text = f"{figure.shown} people were seen sleeping rough in {where}"
            if previous and figure.change.amount is not None:
                text += f" ({figure.change.text} on {previous})"
            return text
        if figure.value == "[c]":
            return f"the number seen sleeping rough in {where} is suppressed to protect individuals"
        return f"there is no figure for people seen sleeping rough in {where}"

    text = f"In {year}, {how_many(area_total, area_name)}"
    if area_total is not london_total:
        text += f"; {how_many(london_total, 'London')}"
    return text + "."
