"""The insights pages, as data: which figures each page shows and how a figure becomes a table.

A figure is a small table (one row per period, one column per series) built from published
``metric_values`` rows, plus a chart of the same numbers and a one-line summary. Pages are plain data
so the views, the downloads and the tests share one definition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from boroughhub.insights.catalog import CATALOG
from boroughhub.insights.published import Row, SliceIndex
from boroughhub.insights.words import INSTITUTION_LABELS, SUPPORT_NEED_COMBINATION_LABELS
from boroughhub.reference import code_list

FY, FQ, MONTH = "financial_year", "financial_quarter", "month"
BREAKDOWNS = {
    "none": "No breakdown",
    "age_band": "Age band",
    "gender": "Gender",
    "nationality_group": "Nationality group",
    "support_need": "Support need",
}
# Metric-specific breakdowns, shown by the figures that need them (metrics.md §7.2).
BREAKDOWN_NAMES = {**BREAKDOWNS, "band": "Band", "outcome_group": "Outcome", "exit_group": "How the stay ended",
                   "support_need_any": "Alcohol, drug or mental health need",
                   "support_need_combination": "Alcohol, drugs and mental health together",
                   "institution_history": "Institutions ever lived in", "transition": "First accommodation"}
PERIOD_TYPES = {FY: "Financial years", FQ: "Financial quarters", MONTH: "Months"}


@dataclass(frozen=True)
class MeasureRow:
    metric: str
    variant: str
    measure: str
    values: tuple[str, ...]
    category: str = ""  # for metrics only written by category (bands, outcomes, transitions)
    short: tuple[bool, ...] = ()  # per value: flagged short_history (metrics.md 2.3)
    category_kind: str = ""  # the breakdown the category belongs to (band, outcome_group, transition)


def all_measures(index: SliceIndex, metric_ids: Sequence[str], last: int = 3) -> tuple[tuple[str, ...], list[MeasureRow]]:
    """Every metric's rows without a breakdown, for the latest ``last`` periods of one slice."""
    periods = sorted({r["period"] for (metric, breakdown), rows in index.items() if breakdown == "none" for r in rows})
    shown = tuple(periods[-last:])
    result = []
    for metric in metric_ids:
        rows = index.get((metric, "none"), [])
        if not rows:  # written only by its own categories (metrics.md §7.2): bands, outcomes, transitions
            rows = [r for (m, b), group in index.items() if m == metric and b not in BREAKDOWNS for r in group]
        keyed: dict[tuple[str, str, str, str], dict[str, str]] = {}
        short = {row["period"] for row in rows if "short_history" in row["flags"]}
        for row in rows:
            key = (row["variant"], row["measure"], row["breakdown_value"], row["breakdown"])
            keyed.setdefault(key, {})[row["period"]] = row["value"]
        for (variant, measure, category, kind), by_period in sorted(keyed.items()):
            result.append(MeasureRow(metric, variant, measure, tuple(by_period.get(p, "") for p in shown), category,
                                     tuple(p in short for p in shown), kind))
    return shown, result


@dataclass(frozen=True)
class Series:
    label: str
    metric: str
    measure: str = "count"
    variant: str = ""


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    series: tuple[Series, ...]
    period_type: str
    unit: str = "people"  # people | percent | days
    chart: str = "bar"  # bar | stacked | line
    breakdown_allowed: bool = True
    describe: str = ""
    fixed_breakdown: str = ""  # a metric-specific breakdown the figure always shows (band, outcome_group, ...)


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    intro: str
    figures: tuple[Figure, ...]
    definitions: tuple[str, ...] = field(default_factory=tuple)


def _s(label: str, metric: str, measure: str = "count", variant: str = "") -> Series:
    return Series(label, metric, measure, variant)


ANNUAL_COHORTS = Figure(
    "annual-cohorts", "People seen sleeping rough each year", (
        _s("New (flow)", "chain_flow"), _s("Also seen the year before (stock)", "chain_stock"),
        _s("Returned after a year or more (returners)", "chain_returner")),
    FY, chart="stacked", describe="People seen sleeping rough in the year, split into CHAIN's three cohorts.")
TOTAL_SEEN = Figure("total-seen", "Everyone seen sleeping rough each year", (_s("Seen sleeping rough", "chain_total"),), FY)
QUARTERLY = Figure(
    "quarterly-categories", "People seen sleeping rough each quarter", (
        _s("New to the streets", "chain_q_new"), _s("Living on the streets", "chain_q_lots"),
        _s("Intermittent", "chain_q_intermittent")),
    FQ, chart="line", describe="CHAIN's quarterly categories; a person can be in more than one.")
NSNO = Figure(
    "one-night-only", "New people seen on one night only (No Second Night Out)",
    (_s("Share of new people seen on one night only", "nsno_one_night_share", "share"),), FY, unit="percent")
PREVENTION = Figure(
    "prevention", "New people who had approached a council in the year before",
    (_s("Share who had approached a council", "lk_prev_approached", "share"),), FY, unit="percent",
    describe="Among people first seen sleeping rough in the period, the share with an H-CLIC case in the year before.")
BRIEF = Figure(
    "brief", "New people accommodated within 30, 90 and 365 days", (
        _s("Within 30 days", "lk_brief_within_30", "share", "any"),
        _s("Within 90 days", "lk_brief_within_90", "share", "any"),
        _s("Within 365 days", "lk_brief_within_365", "share", "any")),
    FY, unit="percent", chart="line")
BRIEF_MEDIAN = Figure(
    "brief-median", "Median days from first night out to accommodation",
    (_s("Any accommodation", "lk_brief_median_days", "median_days", "any"),
     _s("Long-term accommodation", "lk_brief_median_days", "median_days", "long_term")), FY, unit="days", chart="line")
NONRECURRENT = Figure(
    "non-recurrent", "People back on the streets within two years of moving in", (
        _s("Within 180 days", "lk_nonrec_return_0_180", "share", "after_move_in_any"),
        _s("181 to 365 days", "lk_nonrec_return_181_365", "share", "after_move_in_any"),
        _s("366 to 730 days", "lk_nonrec_return_366_730", "share", "after_move_in_any")),
    FY, unit="percent", chart="stacked")
NONRECURRENT_LONG_TERM = Figure(
    "non-recurrent-long-term", "Returns after moving into long-term accommodation",
    (_s("Returned within two years", "lk_nonrec_return_total", "share", "after_move_in_long_term"),), FY, unit="percent")
T1 = Figure(
    "time-to-long-term", "Median days from first seen to long-term accommodation (framework T1)",
    (_s("Median days", "fw_t1_median_days", "median_days"),), FY, unit="days", breakdown_allowed=False)

FRAMEWORK = Figure(
    "framework-monthly", "The government's monthly rough sleeping indicators", (
        _s("R1: sleeping rough in the month", "fw_r1"), _s("P1: new", "fw_p1"),
        _s("P2: recently left an institution", "fw_p2"), _s("B1: long-term", "fw_b1"),
        _s("NR1: returning", "fw_nr1")),
    MONTH, chart="line", describe="The data-led framework's indicators R1, P1, P2, B1 and NR1, month by month.")
T1_BANDS = Figure(
    "time-to-long-term-bands", "Time from first seen to long-term accommodation, in bands",
    (_s("People", "fw_t1_band"),), FY, fixed_breakdown="band")
PREVENTION_OUTCOMES = Figure(
    "prevention-outcomes", "How the councils' cases of new people ended",
    (_s("People", "lk_prev_outcome"),), FY, fixed_breakdown="outcome_group")
BRIEF_BANDS = Figure(
    "brief-bands", "Days from first night out to accommodation, in bands",
    (_s("People", "lk_brief_band", variant="any"),), FY, fixed_breakdown="band")
RETURNS_BY_EXIT = Figure(
    "returns-by-exit", "Returns to the streets within two years of leaving, by how the stay ended",
    (_s("Returned", "lk_nonrec_return_total", "share", "after_move_out"),), FY, unit="percent",
    fixed_breakdown="exit_group")


def _profile(id_: str, title: str, breakdown: str, describe: str, chart: str = "stacked") -> Figure:
    """A figure of the people seen sleeping rough in each year, by one profile breakdown (CHAIN's reports)."""
    return Figure(id_, title, (_s("People", "chain_total"),), FY, chart=chart, fixed_breakdown=breakdown,
                  describe=describe)


PROFILE_FIGURES = (
    _profile("profile-support-needs", "Support needs of people seen sleeping rough", "support_need",
             "People with each need recorded by outreach workers; a person can have several needs, so the "
             "columns do not add up to the total.", chart="bar"),
    _profile("profile-support-combinations", "Alcohol, drugs and mental health: alone and together",
             "support_need_combination", "Each person seen in the year once: which of alcohol, drug and mental "
             "health needs they have together, or none of the three, or not assessed."),
    _profile("profile-nationality", "Nationality of people seen sleeping rough", "nationality_group",
             "Each person seen in the year once, by the nationality group of their recorded nationality."),
    _profile("profile-age", "Age of people seen sleeping rough", "age_band",
             "Each person seen in the year once, by age on their first night out in the year."),
    _profile("profile-gender", "Gender of people seen sleeping rough", "gender",
             "Each person seen in the year once, by recorded gender."),
    _profile("profile-institutions", "People who have lived in prison, care or the armed forces",
             "institution_history", "People seen in the year with each institution in their history; a person "
             "can have several, and most have none.", chart="bar"),
)
FIRST_ACCOMMODATION = Figure(
    "first-accommodation", "Where new people went first, within a year of their first night out",
    (_s("People", "lk_pathways"),), FY, chart="stacked", fixed_breakdown="transition",
    describe="New people of each year by their first accommodation (or none) within 365 days: the first "
             "step of the pathways.")

PAGES: dict[str, Page] = {
    page.slug: page
    for page in (
        Page("overview", "Rough sleeping", "Is rough sleeping rare, brief and non-recurrent? The headline measures, "
             "from CHAIN, InForm and H-CLIC linked into one person.", (ANNUAL_COHORTS, QUARTERLY, BRIEF, NONRECURRENT)),
        Page("cohorts", "Who is sleeping rough, and for how long",
             "CHAIN's annual cohorts and quarterly categories, counted on linked people.",
             (TOTAL_SEEN, ANNUAL_COHORTS, QUARTERLY, NSNO, *PROFILE_FIGURES)),
        Page("prevention", "Prevention: contact with a council before sleeping rough",
             "Could rough sleeping have been prevented? The share of new people who had approached a council.",
             (PREVENTION, PREVENTION_OUTCOMES)),
        Page("brief", "Brief: how quickly people are accommodated",
             "Time from a person's first night out to moving into accommodation.",
             (BRIEF, BRIEF_MEDIAN, BRIEF_BANDS, FIRST_ACCOMMODATION, T1, T1_BANDS)),
        Page("non-recurrent", "Non-recurrent: do people come back to the streets",
             "Returns to rough sleeping after moving into accommodation.",
             (NONRECURRENT, NONRECURRENT_LONG_TERM, RETURNS_BY_EXIT)),
        Page("framework", "The government's framework indicators",
             "The monthly indicators of the rough sleeping data-led framework, counted on linked people.", (FRAMEWORK,)),
    )
}


@dataclass(frozen=True)
class FigureTable:
    """What a figure shows: column headings, and one row per period of (period, cells...)."""

    figure: Figure
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    breakdown: str = "none"
    short_history: frozenset[str] = frozenset()  # periods whose history is shorter than the lookback

    def numeric(self) -> list[dict[str, object]]:
        """Long numeric records for the chart: published markers ([c], [x], [z]) are left out."""
        records: list[dict[str, object]] = []
        for period, cells in self.rows:
            for column, cell in zip(self.columns, cells, strict=True):
                number = to_number(cell)
                if number is not None:
                    records.append({"period": period, "series": column, "value": number})
        return records

    def chart_records(self) -> list[dict[str, object]]:
        """Every (period, series) cell for the chart, a marker as ``None``: a gap where the line breaks."""
        return [{"period": period, "series": column, "value": to_number(cell)}
                for period, cells in self.rows for column, cell in zip(self.columns, cells, strict=True)]

    def drawn_columns(self) -> tuple[str, ...]:
        """The columns with at least one number: what the chart's legend may name."""
        return tuple(c for i, c in enumerate(self.columns)
                     if any(to_number(cells[i]) is not None for _p, cells in self.rows))

    def nothing_to_draw(self) -> str:
        """Why no chart is drawn (the table says it all), or ``""`` when there is something to draw.

        A chart of one point shows nothing a reader can compare: it was once a single dot at 0 under a
        legend of four series."""
        numbers = [n for _p, cells in self.rows for cell in cells if (n := to_number(cell)) is not None]
        if not numbers:
            return "No chart: every figure is suppressed or not available; the table shows why."
        if len(numbers) == 1:
            return "No chart: only one figure can be shown; it is in the table."
        return ""


def to_number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


EXIT_GROUPS = (("planned_move_on", "Planned move-on"), ("eviction", "Eviction"), ("abandonment", "Abandonment"),
               ("other_exit", "Other exit"))


def breakdown_labels(breakdown: str, metric: str = "") -> list[tuple[str, str]]:
    """(code, label) of a breakdown's values, in code-list order."""
    if breakdown == "exit_group":
        return list(EXIT_GROUPS)
    if breakdown == "support_need_combination":
        return list(SUPPORT_NEED_COMBINATION_LABELS.items())
    if breakdown == "institution_history":
        return list(INSTITUTION_LABELS.items())
    if breakdown == "transition":  # the first step of the pathways: first seen → first accommodation (or none)
        return [(f"0:street_first_seen>1:{r['code']}", r["label"]) for r in code_list("pathway_node")
                if r["stage"] == "1"]
    if breakdown == "support_need_any":
        return [(r["code"], r["label"]) for r in code_list("support_need_group") if r["exclusive"] == "true"]
    lists = {"age_band": "age_band", "gender": "gender", "nationality_group": "nationality_group",
             "support_need": "support_need_group", "outcome_group": "case_outcome_group",
             "band": "t1_band" if metric.startswith("fw_t1") else "brief_band"}
    if breakdown not in lists:
        return []
    rows = code_list(lists[breakdown])
    if breakdown == "support_need":
        rows = tuple(r for r in rows if r.get("exclusive") == "false")
    values = [(r["code"], r["label"]) for r in rows]
    if breakdown == "gender":
        values.append(("not_known", "Not known"))
    return values


def index_rows(rows: Sequence[Row]) -> SliceIndex:
    """Group rows by (metric, breakdown), as ``PublishedFigures.indexed`` does."""
    index: SliceIndex = {}
    for row in rows:
        index.setdefault((row["metric"], row["breakdown"]), []).append(row)
    return index


def figure_table(figure: Figure, index: SliceIndex, breakdown: str = "none") -> FigureTable:
    """Table of one figure from the published rows of one area and period type, grouped by ``index_rows``."""
    metrics = {s.metric for s in figure.series}
    breakdown = figure.fixed_breakdown or breakdown
    base = figure.fixed_breakdown or "none"
    periods = sorted({r["period"] for m in metrics for r in index.get((m, base), [])})
    short = frozenset(r["period"] for m in metrics for r in index.get((m, base), []) if "short_history" in r["flags"])
    if breakdown != "none" and (figure.breakdown_allowed or figure.fixed_breakdown) and len(figure.series) >= 1:
        # One series, split by the breakdown's values.
        series = figure.series[0]
        values = breakdown_labels(breakdown, series.metric)
        by_key = {(r["period"], r["breakdown_value"]): r["value"] for r in index.get((series.metric, breakdown), [])
                  if r["measure"] == series.measure and r["variant"] == series.variant}
        # A transition nobody made is not written (metrics.md 7.4): it is 0 people, not a missing figure.
        absent = "0" if breakdown == "transition" else "[x]"
        table = tuple((p, tuple(by_key.get((p, code), absent) for code, _ in values)) for p in periods)
        return FigureTable(figure, tuple(label for _, label in values), table, breakdown, short)
    cells = [r for m in metrics for r in index.get((m, "none"), [])]
    value_of = {(r["metric"], r["measure"], r["variant"], r["period"]): r["value"] for r in cells}
    table = tuple(
        (p, tuple(value_of.get((s.metric, s.measure, s.variant, p), "[x]") for s in figure.series)) for p in periods
    )
    return FigureTable(figure, tuple(s.label for s in figure.series), table, short_history=short)


def page_tables(page: Page, slices: Mapping[str, SliceIndex], breakdown: str = "none") -> list[FigureTable]:
    """The table of each figure of ``page``, from one area's slices by period type: what the page shows,
    and what the refresh job renders charts of before it publishes (prerender.py)."""
    return [figure_table(figure, slices[figure.period_type], breakdown if figure.breakdown_allowed else "none")
            for figure in page.figures]


def summary_sentence(table: FigureTable, area_name: str) -> str:
    """One plain-English line: the latest period's first series, and its change on the period before."""
    if not table.rows:
        return f"There are no figures for {area_name} yet."
    unit = table.figure.unit
    first = table.columns[0]
    latest_period, latest_cells = table.rows[-1]
    latest = to_number(latest_cells[0])
    if latest is None:
        if latest_cells[0] == "[x]" and follows_up(table.figure):
            return (f"In {latest_period}, there is no figure yet for {first.lower()} in {area_name}: people first "
                    "seen then are followed for a year, and that follow-up is not over.")
        why = {"[c]": "suppressed to protect individuals"}.get(latest_cells[0], "not available")
        return f"In {latest_period}, the figure for {first.lower()} in {area_name} is {why}."
    text = f"In {latest_period}, {first.lower()} in {area_name}: {format_value(latest_cells[0], unit)}"
    if len(table.rows) > 1:
        previous_period, previous_cells = table.rows[-2]
        previous = to_number(previous_cells[0])
        if previous is not None:
            if unit == "percent":
                change = latest - previous
                direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
                text += f", {direction} {abs(change):.0f} points on {previous_period}" if change else f", unchanged on {previous_period}"
            elif previous:
                change = (latest - previous) / previous * 100
                direction = "up" if change > 0 else "down"
                text += f", {direction} {abs(change):.0f}% on {previous_period}" if round(change) else f", about the same as {previous_period}"
    return text + "."


def follows_up(figure: Figure) -> bool:
    """Whether the figure's measures follow people after the period (metrics.md 6.2, 6.4): their latest
    periods are ``[x]`` until the follow-up is over."""
    return any(spec.follow_up for spec in CATALOG if spec.metric in {s.metric for s in figure.series})


def format_value(cell: str, unit: str) -> str:
    number = to_number(cell)
    if number is None:
        return {"[c]": "suppressed", "[x]": "not available", "[z]": "not applicable"}.get(cell, cell)
    # Half up, as people round (62.5% reads 63%), not Python's half to even.
    whole = int(Decimal(str(number)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if unit == "percent":
        return f"{whole}%"
    if unit == "days":
        return f"{whole:,} days"
    return f"{whole:,}"
