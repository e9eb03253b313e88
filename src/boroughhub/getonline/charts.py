"""The report's chart: London's figures month by month, as a Vega-Lite spec built with Altair and
rendered to SVG on the server (no script, no CDN). The page shows the same numbers in a table beside it."""

from __future__ import annotations

from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

from .figures import MEASURES

#: Okabe–Ito colour-blind-safe colours, one per measure.
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]


def month_label(month: str) -> str:
    """2026-01 -> Jan 2026."""
    return f"{date.fromisoformat(month + '-01'):%b %Y}"


def months_chart_svg(months: list[dict[str, Any]]) -> str:
    """Small multiples (one panel per measure: their scales differ a hundredfold) of counts by month."""
    order = [month_label(row["month"]) for row in months]
    frame = pd.DataFrame([{"Month": month_label(row["month"]), "Measure": label, "Given": row[measure]}
                          for row in months for measure, label in MEASURES.items()])
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("Month:O", title=None, sort=order, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("Given:Q", title=None),
        color=alt.Color("Measure:N", scale=alt.Scale(domain=list(MEASURES.values()), range=COLOURS), legend=None),
    ).properties(width=380, height=140).facet(
        facet=alt.Facet("Measure:N", sort=list(MEASURES.values()), title=None), columns=2,
    ).resolve_scale(y="independent")
    spec = chart.configure(font="Helvetica, Arial, sans-serif", background="white").configure_view(
        stroke=None).to_dict(validate=False)
    svg = vlc.vegalite_to_svg(spec)
    label = "Bar charts of devices, SIM cards, data vouchers and learners by month; the table gives the numbers."
    return str(svg).replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
