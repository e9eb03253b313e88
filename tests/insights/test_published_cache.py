"""What the web workers share beside a published snapshot: disclosure-controlled slices and chart SVGs.

Found by the load check (benchmarks/load.py): each worker repeated seconds of disclosure control per
slice, and two workers rendering the same chart at once collided on one temporary file (an HTTP 500).
"""

from __future__ import annotations

import os
import threading
import time

import pytest

from boroughhub.insights import figure_charts, published
from boroughhub.insights.pages import PAGES, figure_table
from boroughhub.insights.published import SLICE_CACHE, PublishedFigures, write_snapshot

LONDON = "E12000007"
FY = "financial_year"


@pytest.fixture
def snapshot(tmp_path, worked):
    write_snapshot(worked, tmp_path)
    return tmp_path


def test_a_slice_computed_by_one_worker_is_read_by_the_next_without_disclosure_control_again(snapshot, monkeypatch):
    first = PublishedFigures(snapshot).slice(FY, LONDON, unrounded=False, min_cell_size=10)
    assert list((snapshot / SLICE_CACHE).glob("*.json"))

    def refuse(*args, **kwargs):
        raise AssertionError("disclosure control ran again")

    monkeypatch.setattr(published, "publish", refuse)
    again = PublishedFigures(snapshot).slice(FY, LONDON, unrounded=False, min_cell_size=10)
    assert again == first


def test_each_threshold_and_rounding_has_its_own_slice(snapshot):
    figures = PublishedFigures(snapshot)
    rounded = figures.slice(FY, LONDON, unrounded=False, min_cell_size=10)
    unrounded = PublishedFigures(snapshot).slice(FY, LONDON, unrounded=True)
    assert rounded != unrounded
    assert len(list((snapshot / SLICE_CACHE).glob("*.json"))) == 2


def test_a_new_snapshot_drops_the_shared_slices_and_what_was_derived(snapshot, worked):
    figures = PublishedFigures(snapshot)
    figures.slice(FY, LONDON, unrounded=False, min_cell_size=10)
    calls = []
    assert figures.derived(("n",), lambda: calls.append(1) or len(calls)) == 1
    assert figures.derived(("n",), lambda: calls.append(1) or len(calls)) == 1
    time.sleep(0.01)  # a new modification time
    write_snapshot(worked, snapshot)
    assert not list((snapshot / SLICE_CACHE).glob("*.json"))
    assert figures.derived(("n",), lambda: calls.append(1) or len(calls)) == 2


def test_two_workers_rendering_the_same_chart_at_once_both_get_it(tmp_path, worked, monkeypatch):
    figures = PublishedFigures(tmp_path)
    write_snapshot(worked, tmp_path)
    figure = PAGES["overview"].figures[0]
    table = figure_table(figure, figures.indexed(FY, LONDON, unrounded=False, min_cell_size=10))
    start = threading.Barrier(4)

    def slow_render(spec):
        start.wait(timeout=10)  # every thread renders before any has written
        return '<svg xmlns="http://www.w3.org/2000/svg"></svg>'

    monkeypatch.setattr(figure_charts, "render_svg", slow_render)
    results, errors = [], []

    def render():
        try:  # the undecorated function: as if each thread were a separate worker process
            results.append(figure_charts.figure_svg.__wrapped__(table, figure.title, figures.chart_cache))
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=render) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(results) == 4 and len(set(results)) == 1
    assert [p.suffix for p in figures.chart_cache.iterdir()] == [".svg"]



def test_charts_render_in_a_helper_process_so_the_other_requests_of_the_worker_go_on(worked, tmp_path):
    """vl-convert holds the GIL while it renders; a thread waiting for the helper does not."""
    write_snapshot(worked, tmp_path)
    figures = PublishedFigures(tmp_path)
    figure = PAGES["overview"].figures[0]
    spec = figure_charts.figure_spec(figure_table(figure, figures.indexed(FY, LONDON, unrounded=False)))
    assert figure_charts.render_svg(spec) == str(figure_charts.vl_convert.vegalite_to_svg(spec))
    helper = figure_charts._helper
    assert helper is not None and helper.pid != os.getpid() and helper.poll() is None

    # vl-convert holds the GIL while it renders: in the helper process it cannot stop this worker's other
    # threads, which wait on a pipe. Proved without timing: with vl-convert unusable in this process, the
    # chart still renders (in the helper), and the result is the same SVG.
    expected = figure_charts.render_svg(spec)

    def not_here(_spec: object) -> str:
        raise AssertionError("rendered inside the web worker")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(figure_charts.vl_convert, "vegalite_to_svg", not_here)
        assert figure_charts.render_svg(spec) == expected


def test_a_dead_helper_is_replaced(worked, tmp_path):
    write_snapshot(worked, tmp_path)
    figure = PAGES["overview"].figures[0]
    spec = figure_charts.figure_spec(figure_table(figure, PublishedFigures(tmp_path).indexed(FY, LONDON, unrounded=False)))
    expected = figure_charts.render_svg(spec)
    figure_charts._helper.kill()
    figure_charts._helper.wait()
    assert figure_charts.render_svg(spec) == expected  # in this process, then a new helper next time
    assert figure_charts.render_svg(spec) == expected
    assert figure_charts._helper is not None and figure_charts._helper.poll() is None


def test_batch_rendering_starts_no_helper(worked, tmp_path):
    """Pre-rendering runs in single-threaded processes: a helper would only add a process."""
    write_snapshot(worked, tmp_path)
    figure = PAGES["overview"].figures[0]
    spec = figure_charts.figure_spec(figure_table(figure, PublishedFigures(tmp_path).indexed(FY, LONDON, unrounded=False)))
    figure_charts._stop_helper()
    with figure_charts.rendering_here():
        svg = figure_charts.render_svg(spec)
    assert svg.startswith("<svg") and figure_charts._helper is None
