"""A figure's chart: the same numbers as its table, as a Vega-Lite spec rendered to SVG on the server.

No CDN and no script: the SVG is inlined in the page, with an accessible name; the table beside it
carries the markers ([c], [x]) that the chart leaves as gaps.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import select
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert

from boroughhub.insights.axes import axis_labels
from boroughhub.insights.pages import FigureTable

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442",
           "#999999", "#882255"]  # then grey and wine (Tol), so nine profile groups never share a colour
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
AXIS_TITLES = {"people": "People", "percent": "Per cent", "days": "Days"}
#: Part of every cached chart's key: charts drawn by an earlier ``figure_spec`` are not reused.
CHART_STYLE = "gaps-readable-axes-short-history-shaded"


def figure_spec(table: FigureTable) -> dict[str, Any]:
    """The chart of a figure's table. Every period stays on the axis, a suppressed or unavailable cell is a
    gap (a null value breaks the line: never a line bridged across it, never a zero), and the legend lists
    only the series that have something drawn (the table beside the chart has every column)."""
    periods = tuple(p for p, _ in table.rows)
    drawn = table.drawn_columns()
    # A breakdown chosen on the page splits one series into lines; a figure's own breakdown keeps its chart.
    kind = table.figure.chart if table.breakdown == "none" or table.figure.fixed_breakdown else "line"
    spec = copy.deepcopy(_chart_frame(
        kind, periods, table.figure.period_type, AXIS_TITLES[table.figure.unit], drawn,
        tuple(PALETTE[table.columns.index(c) % len(PALETTE)] for c in drawn),
        tuple(p for p in periods if p in table.short_history)))
    main_view(spec)["data"] = {"values": [r for r in table.chart_records() if r["series"] in drawn]}
    return spec


@lru_cache(maxsize=512)
def _chart_frame(kind: str, periods: tuple[str, ...], period_type: str, y_title: str, drawn: tuple[str, ...],
                 colours: tuple[str, ...], shaded: tuple[str, ...]) -> dict[str, Any]:
    """Everything of a chart but its values, kept per process: building it with Altair cost as much as
    rendering the chart (the refresh's pre-rendering, profiled), and the figures of every area and of each
    new snapshot share a few frames (the same periods, series and colours)."""
    base = alt.Chart(alt.Data(values=[])).properties(width="container", height=260)  # type: ignore[no-untyped-call]  # Altair leaves it untyped
    colour = alt.Color(
        "series:N", sort=list(drawn), title=None,
        scale=alt.Scale(domain=list(drawn), range=list(colours) or PALETTE[:1]),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
    )
    labels = axis_labels(list(periods), period_type)
    axis = alt.Axis(values=labels.values, labelExpr=labels.expression, labelAngle=labels.angle, labelOverlap=False)
    x = alt.X("period:O", title=None, sort=list(periods), scale=alt.Scale(domain=list(periods)), axis=axis)
    if kind == "line":
        # "break-paths-show-domains": a null value ends the path (the gap), and the axis keeps its period.
        chart = base.mark_line(point=True, invalid="break-paths-show-domains").encode(
            x=x, y=alt.Y("value:Q", title=y_title), color=colour)
    elif kind == "stacked":
        chart = base.mark_bar().encode(
            x=x, y=alt.Y("value:Q", title=y_title, stack="zero"), color=colour,
            order=alt.Order("series_order:Q"),
        ).transform_calculate(
            series_order=f"indexof({list(drawn)!r}, datum.series)"
        )
    else:
        chart = base.mark_bar().encode(x=x, xOffset=alt.XOffset("series:N", sort=list(drawn)),
                                       y=alt.Y("value:Q", title=y_title), color=colour)
    chart = _with_short_history_shaded(chart, shaded, x)
    spec: dict[str, Any] = chart.configure(font=FONT, background="white", autosize={"type": "fit-x", "contains": "padding"}) \
        .configure_view(stroke=None).configure_axis(labelFontSize=12, titleFontSize=12) \
        .configure_legend(labelFontSize=12).to_dict(validate=False)
    # Server-side rendering has no container to measure: give the chart a fixed width.
    spec["width"] = 560
    return spec


def _with_short_history_shaded(chart: Any, shaded: tuple[str, ...], x: Any) -> Any:
    """Periods whose look-back reaches before the data begins (``short_history``, metrics.md 2.3) are
    shaded and labelled ``[short]`` behind the marks: their stock and returners read low for want of
    history, not of people, and the chart must say so as the table does. Without such periods the chart
    is the single view it always was."""
    if not shaded:
        return chart
    marked = alt.Data(values=[{"period": p, "mark": "[short]"} for p in shaded])  # type: ignore[no-untyped-call]
    band = alt.Chart(marked).mark_rect(color="#b1b4b6", opacity=0.3).encode(x=x)
    words = alt.Chart(marked).mark_text(baseline="top", dy=2, fontSize=11, color="#505a5f").encode(
        x=x, y=alt.value(0), text="mark:N")
    return alt.layer(band, words, chart)


def main_view(spec: dict[str, Any]) -> dict[str, Any]:
    """The view that draws the figure's values: the spec itself, or its last layer when short-history
    periods are shaded behind it."""
    layers = spec.get("layer")
    return layers[-1] if layers else spec


@lru_cache(maxsize=1024)
def figure_svg(table: FigureTable, title: str, cache_dir: Path | None = None) -> str:
    """The chart as inline SVG, labelled for screen readers (the table beside it has the numbers).

    Rendering costs a few hundred milliseconds, and published figures change only when the metrics are
    refreshed, so SVGs are cached in memory and, when ``cache_dir`` is given, on disk for every web
    worker. The key is the table itself.
    """
    if table.nothing_to_draw():
        return ""

    def render() -> str:
        svg = render_svg(figure_spec(table))
        label = title.replace('"', "'")
        return svg.replace("<svg ", f'<svg role="img" aria-label="Chart: {label}. The numbers are in the table." ', 1)

    return _cached(figure_key(table, title), render, cache_dir)


def figure_key(table: FigureTable, title: str) -> str:
    """What a figure's chart depends on: its table and its title (``figure_svg``'s cache key).

    The same in every process: a frozenset's order (``short_history``) changes with each process's string
    hashing, so it is sorted, not repr'd, and web workers and the refresh job share their charts."""
    canonical = (table.figure, table.columns, table.rows, table.breakdown, sorted(table.short_history))
    return f"{CHART_STYLE}|{canonical!r}|{title}"


def cached_file(cache_dir: Path, key: str) -> Path:
    """Where the chart of ``key`` is kept under ``cache_dir``."""
    return cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.svg"


def spec_svg(spec: dict[str, Any], cache_dir: Path | None = None) -> str:
    """Any chart's Vega-Lite spec as SVG (e.g. the pathways chart), cached like ``figure_svg``: the key is
    the spec itself, data included, so a refreshed snapshot's figures never show an old chart."""
    key = spec_key(spec)
    with _LOCK:
        cached = _SPEC_SVGS.get(key)
    if cached is None:
        cached = _cached(key, lambda: render_svg(spec), cache_dir)
        with _LOCK:
            if len(_SPEC_SVGS) >= 256:
                _SPEC_SVGS.clear()
            _SPEC_SVGS[key] = cached
    return cached


def spec_svg_file(spec: dict[str, Any], cache_dir: Path) -> Path:
    """``spec``'s chart rendered into ``cache_dir`` (unless it is there already), for the refresh's
    pre-rendering: unlike ``spec_svg``, never answered from this process's memory alone."""
    _cached(spec_key(spec), lambda: render_svg(spec), cache_dir)
    return cached_file(cache_dir, spec_key(spec))


def spec_key(spec: dict[str, Any]) -> str:
    """``spec_svg``'s cache key: the spec itself, the same in every process."""
    return json.dumps(spec, sort_keys=True, default=str)


_LOCK = threading.Lock()
_SPEC_SVGS: dict[str, str] = {}


def _cached(key: str, render: Callable[[], str], cache_dir: Path | None) -> str:
    """``render()``, or the SVG a web worker already rendered for ``key`` under ``cache_dir``."""
    path = None
    if cache_dir is not None:
        path = cached_file(cache_dir, key)
        if path.exists():
            return path.read_text(encoding="utf-8")
    svg = render()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.partial")
        partial.write_text(svg, encoding="utf-8")
        partial.replace(path)
    return svg


# ----------------------------------------------------------------------------- the renderer process

# vl-convert holds the GIL for a whole conversion (0.1 to 0.3 s): in a threaded web worker, every other
# request of that process stood still meanwhile (benchmarks/load.py). So each process renders in a
# helper process of its own, started with its first chart, and the waiting thread lets the others run.
RENDER_TIMEOUT_SECONDS = 60
_HELPER_COMMAND = "from boroughhub.insights.figure_charts import serve_renders; serve_renders()"
_helper_lock = threading.Lock()
_helper: subprocess.Popen[str] | None = None
_helper_pid = 0  # the process that started it: a forked child starts its own


_in_this_process = False  # set by rendering_here(): a process with no other threads to keep running


@contextmanager
def rendering_here() -> Iterator[None]:
    """Render in this process, without the helper: for single-threaded batch work (the refresh job's
    pre-rendering), where holding the GIL stalls nobody and a helper would only add a process."""
    global _in_this_process
    before, _in_this_process = _in_this_process, True
    try:
        yield
    finally:
        _in_this_process = before


def render_svg(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec as SVG, rendered by this process's helper (in-process if the helper fails)."""
    if _in_this_process:
        return str(vl_convert.vegalite_to_svg(spec))
    message = json.dumps(spec) + "\n"
    with _helper_lock:
        try:
            helper = _running_helper()
            assert helper.stdin is not None and helper.stdout is not None
            helper.stdin.write(message)
            helper.stdin.flush()
            ready, _, _ = select.select([helper.stdout], [], [], RENDER_TIMEOUT_SECONDS)
            answer = json.loads(helper.stdout.readline()) if ready else None
        except (OSError, ValueError):
            answer = None
        if not isinstance(answer, dict) or "svg" not in answer:
            _stop_helper()  # a dead or stuck helper is replaced with the next chart
            return str(vl_convert.vegalite_to_svg(spec))
        return str(answer["svg"])


def _running_helper() -> subprocess.Popen[str]:
    global _helper, _helper_pid
    if _helper is None or _helper.poll() is not None or _helper_pid != os.getpid():
        _helper = subprocess.Popen([sys.executable, "-c", _HELPER_COMMAND], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True, encoding="utf-8")
        _helper_pid = os.getpid()
    return _helper


def _stop_helper() -> None:
    global _helper
    if _helper is not None and _helper_pid == os.getpid():
        _helper.kill()
        _helper.wait()
    _helper = None


def serve_renders() -> None:
    """The helper: one Vega-Lite spec per line in, one ``{"svg": ...}`` per line out, until its stdin closes."""
    for line in sys.stdin:
        try:
            answer = {"svg": str(vl_convert.vegalite_to_svg(json.loads(line)))}
        except Exception as error:  # noqa: BLE001 - the caller renders again in its own process
            answer = {"error": str(error)[:500]}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
