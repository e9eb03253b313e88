"""Charts rendered by the refresh job before it publishes a snapshot, so the first people to open the
pages after a refresh find them cached (benchmarks/load.py: rendering them on first view made the first
two minutes after a refresh twenty times slower than the steady state).

The tables are built exactly as the pages build them (``PublishedFigures.indexed``, then
``pages.page_tables``) and rendered by ``figure_svg`` into the chart cache the pages read: a chart is
keyed by the table it draws, so a chart rendered from the staged snapshot is the one the page looks up
once that snapshot is published. The rows are the published ones, after disclosure control at each
minimum cell size the active agreements set.

Most viewed first (each area's figures without a breakdown, London's first; then breakdowns), spread
over processes so both cores render, and bounded in time: what is left is rendered on first view.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from boroughhub.insights.charts import pathway_chart, pathway_periods
from boroughhub.insights.figure_charts import (
    RENDER_TIMEOUT_SECONDS,
    cached_file,
    figure_key,
    figure_svg,
    rendering_here,
    spec_svg_file,
)
from boroughhub.insights.pages import BREAKDOWNS, FY, PAGES, page_tables
from boroughhub.insights.params import LONDON
from boroughhub.insights.published import PublishedFigures, select

PRERENDER_SECONDS = 40.0  # the refresh job's budget for charts; the rest render on first view


@dataclass(frozen=True)
class Batch:
    """Every page's charts for one area, one minimum cell size and one breakdown; ``unrounded``: the
    figures before disclosure control, as the roles an agreement grants ``view_unrounded`` see them."""

    area_code: str
    min_cell_size: int | None
    breakdown: str = "none"
    unrounded: bool = False


@dataclass(frozen=True)
class Prerendered:
    charts: frozenset[str]  # file names in the chart cache, rendered now or found there
    batches: int  # batches finished within the budget
    of_batches: int
    seconds: float


def batches(areas: Iterable[str], min_cell_sizes: Iterable[int | None],
            breakdowns: Sequence[str] = tuple(BREAKDOWNS), *, unrounded: bool = False) -> list[Batch]:
    """Most viewed first: every area's figures without a breakdown (London's first), then London's
    breakdowns (every user may see London), then the other areas' breakdowns; with ``unrounded``, the same
    again unrounded, last (only the few an agreement grants them see those; load_after_refresh.py found
    them the slowest first views once every published chart was pre-rendered)."""
    areas = set(areas)
    work = [Batch(area, size, breakdown) for breakdown in breakdowns for size in min_cell_sizes for area in areas]
    if unrounded:  # one threshold: unrounded figures do not depend on it
        work += [Batch(area, None, breakdown, unrounded=True) for breakdown in breakdowns for area in areas]
    return sorted(work, key=lambda b: (b.unrounded, b.breakdown != "none", b.area_code != LONDON, b.area_code,
                                       breakdowns.index(b.breakdown), b.min_cell_size or 0))


def render_batch(snapshot: Path, chart_cache: Path, batch: Batch,
                 deadline: float = float("inf")) -> tuple[list[str], bool]:
    """The charts of every page for ``batch``, as the pages would render them: their file names under
    ``chart_cache``, and whether the batch was finished before ``deadline`` (``time.time()``; charts not
    rendered by then are rendered on first view)."""
    figures = _figures(snapshot)
    done: list[str] = []
    for page in PAGES.values():
        if time.time() > deadline:
            return done, False
        needed = {figure.period_type for figure in page.figures}
        slices = {pt: figures.indexed(pt, batch.area_code, unrounded=batch.unrounded, min_cell_size=batch.min_cell_size)
                  for pt in needed}
        for figure, table in zip(page.figures, page_tables(page, slices, batch.breakdown), strict=True):
            if time.time() > deadline:
                return done, False
            if not table.nothing_to_draw():  # a table with nothing to draw has no chart
                figure_svg(table, figure.title, chart_cache)
                done.append(cached_file(chart_cache, figure_key(table, figure.title)).name)
    if batch.breakdown == "none":
        done.extend(render_pathways(figures, chart_cache, batch))
    return done, True


def render_pathways(figures: PublishedFigures, chart_cache: Path, batch: Batch) -> list[str]:
    """The pathways page's chart as the page opens it (the latest cohort year), as the page builds it."""
    rows = select(figures.slice(FY, batch.area_code, unrounded=batch.unrounded, min_cell_size=batch.min_cell_size),
                  metric="lk_pathways")
    periods = pathway_periods(rows)
    chart = pathway_chart(rows, periods[-1], batch.area_code) if periods else None
    if chart is None or not chart.table:
        return []
    return [spec_svg_file(chart.spec, chart_cache).name]


@cache
def _figures(snapshot: Path) -> PublishedFigures:
    """One reader per snapshot in each process, so the batches of one area share its slices."""
    return PublishedFigures(snapshot)


def prerender_charts(snapshot: Path, chart_cache: Path, work: Sequence[Batch], *,
                     seconds: float = PRERENDER_SECONDS, processes: int | None = None) -> Prerendered:
    """Render ``work`` in order, shared out among ``processes`` processes (one per core by default; 1: in
    this one), each taking every n-th area's batches in ``work``'s order, so the most viewed are rendered
    first by all of them.

    The processes are started afresh (``python -m boroughhub.insights.prerender``), not forked and not
    a ``multiprocessing`` pool: the refresh job runs in a Django process holding database connections,
    and a spawned pool would import the caller's main module again. Each renders in its own process
    (``rendering_here``): none has other threads to keep running, so a chart helper would only add one."""
    started = time.time()
    deadline = started + seconds
    processes = min(len(work), processes or os.cpu_count() or 1)
    if processes <= 1:
        with rendering_here():
            results = [render_batch(snapshot, chart_cache, batch, deadline) for batch in work]
        _figures.cache_clear()  # a long-lived worker process keeps no snapshot's slices
    else:
        results = _in_processes(snapshot, chart_cache, shares_by_area(work, processes), deadline)
    charts = frozenset(name for names, _ in results for name in names)
    return Prerendered(charts, sum(finished for _, finished in results), len(work), time.time() - started)


def shares_by_area(work: Sequence[Batch], processes: int) -> list[Sequence[Batch]]:
    """``work`` shared out area by area, each share in ``work``'s order: an area's slices are read and put
    through disclosure control once, by the one process that renders all its batches (shared out batch by
    batch, both processes computed London's slices, the largest, at once)."""
    owner: dict[str, int] = {}
    shares: list[list[Batch]] = [[] for _ in range(processes)]
    for batch in work:
        shares[owner.setdefault(batch.area_code, len(owner) % processes)].append(batch)
    return [share for share in shares if share]


def _in_processes(snapshot: Path, chart_cache: Path, shares: list[Sequence[Batch]],
                  deadline: float) -> list[tuple[list[str], bool]]:
    children = [
        subprocess.Popen([sys.executable, "-m", "boroughhub.insights.prerender", json.dumps({
            "snapshot": str(snapshot), "chart_cache": str(chart_cache), "deadline": deadline,
            "batches": [asdict(batch) for batch in share]})], stdout=subprocess.PIPE, text=True, encoding="utf-8")
        for share in shares]
    results: list[tuple[list[str], bool]] = []
    for child in children:
        try:
            answer, _ = child.communicate(timeout=max(0.0, deadline - time.time()) + RENDER_TIMEOUT_SECONDS)
            results.extend((names, finished) for names, finished in json.loads(answer))
        except (OSError, ValueError, subprocess.TimeoutExpired):  # a dead or stuck child renders nothing more
            child.kill()
            child.wait()
    return results


def serve_batches() -> None:
    """A rendering process: its share of the work as JSON in its argument, each batch's result on stdout."""
    request = json.loads(sys.argv[1])
    snapshot, chart_cache = Path(request["snapshot"]), Path(request["chart_cache"])
    with rendering_here():
        results = [render_batch(snapshot, chart_cache, Batch(**batch), request["deadline"])
                   for batch in request["batches"]]
    sys.stdout.write(json.dumps(results))


if __name__ == "__main__":
    serve_batches()
