"""A figure's chart: the same numbers as its table, as a Vega-Lite spec rendered to SVG on the server.

No CDN and no script: the SVG is inlined in the page, with an accessible name; the table beside it
carries the markers ([c], [x]) that the chart leaves as gaps.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert

from boroughhub.insights.pages import FigureTable

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
AXIS_TITLES = {"people": "People", "percent": "Per cent", "days": "Days"}


def figure_spec(table: FigureTable) -> dict[str, Any]:
    data = alt.Data(values=table.numeric())
    base = alt.Chart(data).properties(width="container", height=260)
    colour = alt.Color(
        "series:N", sort=list(table.columns), title=None,
        scale=alt.Scale(domain=list(table.columns), range=PALETTE[: max(1, len(table.columns))]),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
    )
    x = alt.X("period:O", title=None, sort=[p for p, _ in table.rows], axis=alt.Axis(labelAngle=-40))
    y_title = AXIS_TITLES[table.figure.unit]
    kind = table.figure.chart if table.breakdown == "none" else "line"
    if kind == "line":
        chart = base.mark_line(point=True).encode(x=x, y=alt.Y("value:Q", title=y_title), color=colour)
    elif kind == "stacked":
        chart = base.mark_bar().encode(
            x=x, y=alt.Y("value:Q", title=y_title, stack="zero"), color=colour,
            order=alt.Order("series_order:Q"),
        ).transform_calculate(
            series_order=f"indexof({list(table.columns)!r}, datum.series)"
        )
    else:
        chart = base.mark_bar().encode(x=x, xOffset=alt.XOffset("series:N", sort=list(table.columns)),
                                       y=alt.Y("value:Q", title=y_title), color=colour)
    spec: dict[str, Any] = chart.configure(font=FONT, background="white", autosize={"type": "fit-x", "contains": "padding"}) \
        .configure_view(stroke=None).configure_axis(labelFontSize=12, titleFontSize=12) \
        .configure_legend(labelFontSize=12).to_dict(validate=False)
    # Server-side rendering has no container to measure: give the chart a fixed width.
    spec["width"] = 560
    return spec


@lru_cache(maxsize=1024)
def figure_svg(table: FigureTable, title: str, cache_dir: Path | None = None) -> str:
    """The chart as inline SVG, labelled for screen readers (the table beside it has the numbers).

    Rendering costs a few hundred milliseconds, and published figures change only when the metrics are
    refreshed, so SVGs are cached in memory and, when ``cache_dir`` is given, on disk for every web
    worker (the refresh job pre-renders the common ones there). The key is the table itself.
    """
    if not table.numeric():
        return ""
    path = None
    if cache_dir is not None:
        key = hashlib.sha256(f"{table!r}|{title}".encode()).hexdigest()[:32]
        path = cache_dir / f"{key}.svg"
        if path.exists():
            return path.read_text(encoding="utf-8")
    svg = str(vl_convert.vegalite_to_svg(figure_spec(table)))
    label = title.replace('"', "'")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="Chart: {label}. The numbers are in the table." ', 1)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(svg, encoding="utf-8")
        partial.replace(path)
    return svg
