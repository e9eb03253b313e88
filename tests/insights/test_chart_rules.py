"""Charts that do not mislead (issue 15, item 4), on the seeded synthetic London's published figures, where
many borough cells are suppressed: gaps, a full axis, readable time labels, no empty chart, and words that
say what is plotted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from boroughhub.insights import figure_charts
from boroughhub.insights.axes import axis_labels
from boroughhub.insights.figure_notes import subtitle
from boroughhub.insights.pages import (
    ANNUAL_COHORTS,
    BRIEF,
    BRIEF_MEDIAN,
    FRAMEWORK,
    PAGES,
    QUARTERLY,
    TOTAL_SEEN,
    FigureTable,
    figure_table,
)
from boroughhub.insights.published import PublishedFigures
from tests.insights.seeded import seeded_snapshot

CAMDEN, RICHMOND, LONDON = "E09000007", "E09000033", "E12000007"


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> PublishedFigures:
    return PublishedFigures(seeded_snapshot(tmp_path_factory.mktemp("seeded")) / "insights")


def _svg(table: FigureTable) -> str:
    with figure_charts.rendering_here():
        return figure_charts.render_svg(figure_charts.figure_spec(table))


def _runs(cells: list[str]) -> int:
    """Stretches of consecutive periods with a number: each is one piece of line."""
    runs, before = 0, False
    for cell in cells:
        number = not cell.startswith("[")
        runs += number and not before
        before = number
    return runs


def test_a_suppressed_month_is_a_gap_in_the_line_never_bridged(figures: PublishedFigures) -> None:
    table = figure_table(FRAMEWORK, figures.indexed("month", LONDON, unrounded=False))
    svg = _svg(table)
    gaps = 0
    for i, column in enumerate(table.columns):
        cells = [cells[i] for _p, cells in table.rows]
        path = re.search(rf'aria-label="[^"]*series: {re.escape(column)}" [^>]*aria-roledescription="line mark" '
                         r'd="([^"]*)"', svg)
        assert path is not None, column
        assert path.group(1).count("M") == _runs(cells), column  # one piece of line per run, none across a gap
        gaps += _runs(cells) > 1
    assert gaps >= 3  # the London figures have suppressed months in the middle of several series


def test_the_axis_keeps_every_period_even_one_with_nothing_to_show(figures: PublishedFigures) -> None:
    table = figure_table(QUARTERLY, figures.indexed("financial_quarter", CAMDEN, unrounded=False))
    periods = [p for p, _ in table.rows]
    blank = [p for p, cells in table.rows if all(c.startswith("[") for c in cells)]
    assert blank, "the seeded Camden quarters include one where every cell is suppressed"
    spec = figure_charts.main_view(figure_charts.figure_spec(table))
    x = spec["encoding"]["x"]
    assert x["scale"]["domain"] == periods
    values = spec["data"]["values"]
    assert {(v["period"], v["series"]) for v in values if v["value"] is None} >= {(blank[0], c) for c in table.drawn_columns()}


def test_seventy_two_months_are_labelled_by_year(figures: PublishedFigures) -> None:
    table = figure_table(FRAMEWORK, figures.indexed("month", LONDON, unrounded=False))
    assert len(table.rows) == 72
    svg = _svg(table)
    axis = re.search(r'class="mark-group role-axis" aria-label="X-axis.*?</g></g></g>', svg, re.S)
    labels = re.findall(r"<text[^>]*>([^<]+)</text>", axis.group(0) if axis else svg)
    years = [label for label in labels if re.fullmatch(r"20\d\d", label)]
    assert years == ["2020", "2021", "2022", "2023", "2024", "2025"]
    assert not [label for label in labels if re.fullmatch(r"20\d\d-\d\d", label)]


@pytest.mark.parametrize(("count", "period_type", "expected"), [
    (12, "month", 12), (18, "month", 6), (72, "month", 6), (24, "financial_quarter", 6), (8, "financial_quarter", 8),
    (6, "financial_year", 6),
])  # fmt: skip
def test_no_time_axis_has_more_labels_than_fit(count: int, period_type: str, expected: int) -> None:
    if period_type == "month":
        periods = [f"{2019 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}" for i in range(count)]
    elif period_type == "financial_quarter":
        periods = [f"{2019 + i // 4}/{(20 + i // 4) % 100:02d} Q{i % 4 + 1}" for i in range(count)]
    else:
        periods = [f"{2019 + i}/{(20 + i) % 100:02d}" for i in range(count)]
    labels = axis_labels(periods, period_type)
    assert len(labels.values) == expected
    assert set(labels.values) <= set(periods)


def test_no_chart_when_nothing_can_be_drawn(figures: PublishedFigures) -> None:
    """Camden's median days are all suppressed at this scale, and Richmond's brief shares by gender leave one
    figure: no chart of nothing, nor a single dot under a legend of series that are not there."""
    table = figure_table(BRIEF_MEDIAN, figures.indexed("financial_year", CAMDEN, unrounded=False))
    assert table.rows and "every figure is suppressed" in table.nothing_to_draw()
    assert figure_charts.figure_svg.__wrapped__(table, BRIEF_MEDIAN.title) == ""
    single = figure_table(BRIEF, figures.indexed("financial_year", RICHMOND, unrounded=False), "gender")
    assert "only one figure" in single.nothing_to_draw()
    assert figure_charts.figure_svg.__wrapped__(single, BRIEF.title) == ""
    drawn = figure_table(FRAMEWORK, figures.indexed("month", CAMDEN, unrounded=False))
    assert not drawn.nothing_to_draw()  # zeros are figures: a flat line at 0 is drawn


def test_the_legend_names_only_series_that_are_drawn(figures: PublishedFigures) -> None:
    table = FigureTable(QUARTERLY, QUARTERLY.series and tuple(s.label for s in QUARTERLY.series), (
        ("2023/24 Q1", ("15", "[c]", "20")), ("2023/24 Q2", ("10", "[c]", "25"))))
    spec = figure_charts.figure_spec(table)
    assert spec["encoding"]["color"]["scale"]["domain"] == ["New to the streets", "Intermittent"]
    # Colours stay with their series whatever is drawn: Intermittent keeps the third colour.
    assert spec["encoding"]["color"]["scale"]["range"] == [figure_charts.PALETTE[0], figure_charts.PALETTE[2]]


def test_a_breakdown_says_what_it_plots_not_the_cohorts_it_no_longer_shows(figures: PublishedFigures) -> None:
    cohorts = PAGES["cohorts"].figures[1]
    plain = figure_table(cohorts, figures.indexed("financial_year", LONDON, unrounded=False))
    by_gender = figure_table(cohorts, figures.indexed("financial_year", LONDON, unrounded=False), "gender")
    assert "three cohorts" in subtitle(plain)
    words = subtitle(by_gender, "Gender")
    assert "three cohorts" not in words and words.startswith("New (flow), by gender")


def test_cached_charts_of_an_older_style_are_not_reused(tmp_path: Path) -> None:
    table = FigureTable(TOTAL_SEEN, ("Seen",), (("2022/23", ("20",)), ("2023/24", ("15",))))
    assert figure_charts.figure_key(table, "t").startswith(figure_charts.CHART_STYLE + "|")


def test_short_history_years_are_shaded_and_marked_on_the_chart(figures: PublishedFigures) -> None:
    table = figure_table(ANNUAL_COHORTS, figures.indexed("financial_year", LONDON, unrounded=False))
    assert table.short_history, "the seeded London years begin with one whose look-back reaches before the data"
    spec = figure_charts.figure_spec(table)
    band, words, view = spec["layer"]
    assert band["mark"]["type"] == "rect" and words["mark"]["type"] == "text"
    assert {v["period"] for v in band["data"]["values"]} == set(table.short_history)
    assert view["encoding"]["x"]["scale"]["domain"] == [p for p, _ in table.rows]  # one shared axis
    assert _svg(table).count(">[short]<") == len(table.short_history)


def test_a_chart_without_short_history_is_one_view(figures: PublishedFigures) -> None:
    table = FigureTable(TOTAL_SEEN, ("Seen",), (("2022/23", ("20",)), ("2023/24", ("15",))))
    assert "layer" not in figure_charts.figure_spec(table)


def test_charts_of_the_same_shape_share_a_frame_and_differ_only_in_their_values() -> None:
    """The refresh renders each figure for every area: the Altair part (the frame) is built once per shape
    and each chart gets a copy of it with its own values, so no chart can change another's."""
    rows = (("2022/23", ("10",)), ("2023/24", ("20",)), ("2024/25", ("30",)))
    camden = FigureTable(TOTAL_SEEN, ("Seen",), rows)
    richmond = FigureTable(TOTAL_SEEN, ("Seen",), tuple((p, ("40",)) for p, _ in rows))
    figure_charts._chart_frame.cache_clear()
    first, second = figure_charts.figure_spec(camden), figure_charts.figure_spec(richmond)
    assert figure_charts._chart_frame.cache_info().misses == 1

    def values(spec: dict) -> list[object]:
        return [r["value"] for r in figure_charts.main_view(spec)["data"]["values"]]

    assert values(first) == [10.0, 20.0, 30.0] and values(second) == [40.0, 40.0, 40.0]
    first["width"] = 1  # a caller changing its spec changes nobody else's
    figure_charts.main_view(first)["encoding"].clear()
    again = figure_charts.figure_spec(camden)
    assert values(again) == [10.0, 20.0, 30.0]
    figure_charts.main_view(again)["data"] = figure_charts.main_view(second)["data"]
    assert again == second
