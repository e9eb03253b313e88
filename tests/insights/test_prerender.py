"""The refresh job renders the charts people open first before it publishes a snapshot (prerender.py).

Found by the load check (benchmarks/load.py): with every chart rendered on first view, the two minutes
after a refresh were twenty times slower than the steady state.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from boroughhub.insights import figure_charts, published, views
from boroughhub.insights.pages import PAGES, figure_table, page_tables
from boroughhub.insights.prerender import Batch, batches, prerender_charts, shares_by_area
from boroughhub.insights.published import SLICE_CACHE, PublishedFigures, publish_snapshot, stage_snapshot
from tests.agreements.conftest import demo_people, pl_rsi_v1  # noqa: F401 - fixtures
from tests.insights.test_pages import signed_in

CAMDEN, LONDON = "E09000007", "E12000007"
FY = "financial_year"
EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg"></svg>'


class Renders:
    """Stands in for vl-convert: counts renders and keeps each chart's spec."""

    def __init__(self) -> None:
        self.specs: list[dict[str, object]] = []

    def __call__(self, spec: dict[str, object]) -> str:
        self.specs.append(spec)
        return EMPTY_SVG


@pytest.fixture
def renders(monkeypatch):
    counted = Renders()
    monkeypatch.setattr(figure_charts, "render_svg", counted)
    figure_charts.figure_svg.cache_clear()
    yield counted
    figure_charts.figure_svg.cache_clear()


@pytest.fixture
def staged(tmp_path, worked):
    return stage_snapshot(worked, tmp_path / "insights")


def test_most_viewed_first_every_area_without_a_breakdown_then_londons_breakdowns():
    work = batches([CAMDEN, LONDON], [10], ("none", "gender"))
    assert work == [Batch(LONDON, 10), Batch(CAMDEN, 10), Batch(LONDON, 10, "gender"), Batch(CAMDEN, 10, "gender")]


@pytest.mark.django_db
def test_the_pages_after_a_refresh_find_every_prerendered_chart_and_render_none(
        client, settings, staged, renders, pl_rsi_v1, demo_people):  # noqa: F811 - fixtures
    from boroughhub.insights.tasks import published_min_cell_sizes

    assert published_min_cell_sizes() == [10]  # dsa-pl-rsi version 1
    areas = PublishedFigures(staged).areas()
    done = prerender_charts(staged, staged.parent / "charts", batches(areas, [10], ("none", "gender")), processes=1)
    assert done.batches == done.of_batches == 2 * len(areas) and len(renders.specs) == len(done.charts) > 20
    publish_snapshot(staged, keep_charts=done.charts)
    assert {p.name for p in (staged.parent / "charts").glob("*.svg")} == done.charts

    settings.DATA_DIR = staged.parent.parent
    views.published_figures.cache_clear()
    figure_charts.figure_svg.cache_clear()  # as in a web worker: only the files are shared
    renders.specs.clear()
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    charts_shown = 0
    try:
        for area in (LONDON, CAMDEN):
            for slug in PAGES:
                for breakdown in ("none", "gender"):
                    response = client.get(f"/insights/{slug}?area={area}&breakdown={breakdown}")
                    assert response.status_code == 200, (slug, area, breakdown)
                    charts_shown += response.content.decode().count('<svg role="img"')
    finally:
        views.published_figures.cache_clear()
    assert renders.specs == [] and charts_shown > 20
    client.get(f"/insights/cohorts?area={CAMDEN}&breakdown=age_band")  # not pre-rendered: rendered on first view
    assert renders.specs


def test_prerendered_charts_draw_the_published_rows_after_disclosure_control(staged, renders):
    prerender_charts(staged, staged.parent / "charts", [Batch(LONDON, 10), Batch(CAMDEN, 10)], processes=1)
    views = [figure_charts.main_view(spec) for spec in renders.specs]
    drawn = [record["value"] for view in views if view["encoding"]["y"]["title"] == "People"
             for record in view["data"]["values"]]
    # A marker is a null (a gap), never a number: no small count (metrics.md §8.2 R1).
    assert [v for v in drawn if v is not None] and not [v for v in drawn if v is not None and 1 <= v <= 7]

    unrounded = PublishedFigures(staged).indexed(FY, CAMDEN, unrounded=True)
    small = [cell for page in PAGES.values() for figure in page.figures if figure.period_type == FY
             for _, cells in figure_table(figure, unrounded).rows for cell in cells if cell in "1234567"]
    assert small  # what the charts would have shown without disclosure control


def test_publishing_keeps_the_prerendered_charts_and_the_slices_and_drops_the_old_ones(staged, monkeypatch):
    directory = staged.parent
    (directory / "charts").mkdir()
    (directory / SLICE_CACHE).mkdir()
    old_chart, kept_chart, old_slice = directory / "charts" / "old.svg", directory / "charts" / "new.svg", \
        directory / SLICE_CACHE / "old.json"
    for path in (old_chart, kept_chart, old_slice):
        path.write_text("{}", encoding="utf-8")
        os.utime(path, (time.time() - 60, time.time() - 60))
    rows = PublishedFigures(staged).slice(FY, LONDON, unrounded=False, min_cell_size=10)  # computed on the staged one
    publish_snapshot(staged, keep_charts={"new.svg"})
    assert not old_chart.exists() and kept_chart.exists() and not old_slice.exists() and not staged.exists()
    assert len(list((directory / SLICE_CACHE).glob("*.json"))) == 1

    def refuse(*args, **kwargs):
        raise AssertionError("disclosure control ran again")

    monkeypatch.setattr(published, "publish", refuse)  # the slice moved with the snapshot is still valid
    assert PublishedFigures(directory).slice(FY, LONDON, unrounded=False, min_cell_size=10) == rows


def test_both_cores_render_in_processes_of_their_own(staged):
    done = prerender_charts(staged, staged.parent / "charts", [Batch(LONDON, 10), Batch(CAMDEN, 10)], processes=2)
    assert done.batches == 2 and done.charts
    assert {p.name for p in (staged.parent / "charts").glob("*.svg")} == done.charts


def test_the_time_budget_bounds_the_work(staged, renders):
    done = prerender_charts(staged, staged.parent / "charts", [Batch(LONDON, 10), Batch(CAMDEN, 10)],
                            seconds=0, processes=1)
    assert done.batches == 0 and not done.charts and renders.specs == []


def test_a_charts_key_is_the_same_in_every_process():
    """Keys were ``repr(table)``: a frozenset's order follows the process's string hashing, so no web worker
    found another's charts, and none would have found the refresh job's."""
    script = ("from boroughhub.insights.figure_charts import figure_key; from boroughhub.insights.pages import "
              "FigureTable, TOTAL_SEEN; print(figure_key(FigureTable(TOTAL_SEEN, ('Seen',), (('2019-20', ('5',)),), "
              "short_history=frozenset({'2019-20', '2020-21', '2021-22', '2022-23'})), 'title'))")
    keys = {subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed},
                           capture_output=True, text=True, check=True).stdout for seed in ("1", "2", "3")}
    assert len(keys) == 1


def test_work_is_shared_out_area_by_area_in_order():
    """Each area's slices are computed by one process (both once computed London's at the same time)."""
    work = batches([CAMDEN, LONDON, "E09000033"], [10], ("none", "gender"))
    shares = shares_by_area(work, 2)
    assert shares == [[Batch(LONDON, 10), Batch("E09000033", 10), Batch(LONDON, 10, "gender"),
                       Batch("E09000033", 10, "gender")], [Batch(CAMDEN, 10), Batch(CAMDEN, 10, "gender")]]
    assert shares_by_area([Batch(LONDON, 10)], 2) == [[Batch(LONDON, 10)]]


@pytest.mark.django_db
def test_a_refresh_leaves_every_page_warm_for_its_first_viewers(
        client, settings, staged, renders, monkeypatch, pl_rsi_v1, demo_people):  # noqa: F811 - fixtures
    """What the refresh job does before publishing (``prerender_new_snapshot``, its default work: every area,
    every breakdown, the pathways chart) leaves nothing for the first people to compute: no chart is rendered
    and no slice goes through disclosure control when they open every page of their areas."""
    from boroughhub.insights import prerender
    from boroughhub.insights.tasks import prerender_new_snapshot

    monkeypatch.setattr(prerender.os, "cpu_count", lambda: 1)  # rendered here, by the stand-in
    done = prerender_new_snapshot(staged, staged.parent)
    assert done.batches == done.of_batches
    publish_snapshot(staged, keep_charts=done.charts)
    settings.DATA_DIR = staged.parent.parent
    views.published_figures.cache_clear()
    figure_charts.figure_svg.cache_clear()
    figure_charts._SPEC_SVGS.clear()  # as in a web worker started before the refresh: only the files are shared
    renders.specs.clear()

    def refuse(*args, **kwargs):
        raise AssertionError("disclosure control ran on a page view")

    monkeypatch.setattr(published, "publish", refuse)
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    pages = [f"/insights/{slug}?area={area}&breakdown={breakdown}" for area in (LONDON, CAMDEN)
             for slug in PAGES for breakdown in views.BREAKDOWNS]
    try:
        shown = {path: client.get(path) for path in [*pages, f"/insights/pathways?area={LONDON}",
                                                     f"/insights/pathways?area={CAMDEN}"]}
    finally:
        views.published_figures.cache_clear()
    assert all(response.status_code == 200 for response in shown.values())
    assert renders.specs == []
    assert all("<svg" in shown[f"/insights/pathways?area={area}"].content.decode() for area in (LONDON, CAMDEN))


def test_unrounded_figures_come_last_at_one_threshold():
    work = batches([CAMDEN, LONDON], [10, 20], ("none", "gender"), unrounded=True)
    assert work[-4:] == [Batch(LONDON, None, unrounded=True), Batch(CAMDEN, None, unrounded=True),
                         Batch(LONDON, None, "gender", unrounded=True), Batch(CAMDEN, None, "gender", unrounded=True)]
    assert not any(batch.unrounded for batch in work[:-4])
    assert not any(batch.unrounded for batch in batches([CAMDEN, LONDON], [10]))


def test_an_unrounded_batch_renders_the_charts_of_the_unrounded_figures(staged, renders):
    """What a data manager sees with "Unrounded" chosen: other numbers, so other charts (found by the load
    check to be the slowest first views once every published chart was pre-rendered)."""
    done = prerender_charts(staged, staged.parent / "charts", [Batch(CAMDEN, None, unrounded=True)], processes=1)
    figures = PublishedFigures(staged)
    page = PAGES["overview"]
    unrounded = {pt: figures.indexed(pt, CAMDEN, unrounded=True) for pt in {f.period_type for f in page.figures}}
    rounded = {pt: figures.indexed(pt, CAMDEN, unrounded=False, min_cell_size=10) for pt in unrounded}
    names = {name: {figure_charts.cached_file(staged.parent / "charts", figure_charts.figure_key(table, figure.title)).name
                    for figure, table in zip(page.figures, page_tables(page, slices, "none"), strict=True)
                    if not table.nothing_to_draw()} for name, slices in (("unrounded", unrounded), ("rounded", rounded))}
    assert names["unrounded"] and names["unrounded"] <= done.charts
    assert names["rounded"] - names["unrounded"]  # disclosure control changed some of Camden's figures
