"""A London tile map: one equal square per borough in the conventional London layout, shaded by a measure.

Equal squares keep small inner boroughs as visible as large outer ones, which a geographic map does not.
The layout is the widely used 8 × 7 "London squared" arrangement (Enfield at the top, Sutton at the
bottom, the City in the middle of the fourth row). Heathrow and other pseudo-areas have no square; they are
in the table beside the map. The chart is a Vega-Lite spec rendered to SVG like every other chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt

from boroughhub.insights.figure_charts import FONT

# (column, row) of each borough; row 0 is the top.
TILES: dict[str, tuple[int, int, str]] = {
    "E09000010": (4, 0, "Enf"),
    "E09000015": (1, 1, "Hrw"), "E09000003": (2, 1, "Brn"), "E09000014": (3, 1, "Hgy"), "E09000031": (4, 1, "WF"),
    "E09000017": (0, 2, "Hil"), "E09000009": (1, 2, "Eal"), "E09000005": (2, 2, "Brt"), "E09000007": (3, 2, "Cmd"),
    "E09000019": (4, 2, "Isl"), "E09000012": (5, 2, "Hck"), "E09000026": (6, 2, "Red"), "E09000016": (7, 2, "Hav"),
    "E09000018": (0, 3, "Hns"), "E09000013": (1, 3, "HF"), "E09000020": (2, 3, "KC"), "E09000033": (3, 3, "Wst"),
    "E09000001": (4, 3, "City"), "E09000030": (5, 3, "TH"), "E09000025": (6, 3, "New"), "E09000002": (7, 3, "BD"),
    "E09000027": (1, 4, "Rch"), "E09000032": (2, 4, "Wns"), "E09000022": (3, 4, "Lam"), "E09000028": (4, 4, "Sth"),
    "E09000023": (5, 4, "Lew"), "E09000011": (6, 4, "Gnw"), "E09000004": (7, 4, "Bex"),
    "E09000021": (2, 5, "Kng"), "E09000024": (3, 5, "Mrt"), "E09000008": (4, 5, "Cro"), "E09000006": (5, 5, "Bro"),
    "E09000029": (3, 6, "Stn"),
}  # fmt: skip
NO_FIGURE = "No figure shown"


def tile_map_spec(values: Mapping[str, float | None], names: Mapping[str, str], measure: str,
                  shown: frozenset[str]) -> dict[str, Any]:
    """Every borough as a square; those in ``shown`` (areas the user may see) with their value, others grey.

    A borough the user may not see is drawn as a plain square, with no value, so the map keeps its shape
    without revealing anything."""
    numbers = [v for code, v in values.items() if code in shown and code in TILES and v is not None]
    highest = max(numbers, default=0.0)
    records = []
    for code, (column, row, short) in TILES.items():
        value = values.get(code) if code in shown else None
        # Labels on the darkest squares are white, so every label keeps its contrast.
        dark = value is not None and highest > 0 and value > 0.55 * highest
        records.append({"column": column, "row": row, "short": short, "name": names.get(code, code),
                        "value": value, "shown": value is not None, "dark": dark})
    data = alt.Data(values=records)  # type: ignore[no-untyped-call]
    base = alt.Chart(data).encode(
        x=alt.X("column:O", axis=None, scale=alt.Scale(domain=list(range(8)), paddingInner=0.08)),
        y=alt.Y("row:O", axis=None, scale=alt.Scale(domain=list(range(7)), paddingInner=0.08)),
    )
    # Grey squares underneath: Vega-Lite leaves out marks whose value is empty, and the map keeps its shape.
    blanks = base.mark_rect(color="#dddddd")
    squares = base.mark_rect().encode(
        color=alt.Color("value:Q", title=measure, scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(orient="bottom", titleLimit=400, gradientLength=240)),
    ).transform_filter("datum.shown")
    labels = base.mark_text(fontSize=11, font=FONT).encode(
        text="short:N",
        color=alt.condition("datum.dark", alt.value("#ffffff"), alt.value("#0b0c0c")),
    )
    chart = (blanks + squares + labels).properties(width=400, height=350).configure_view(strokeWidth=0).configure(font=FONT)
    spec: dict[str, Any] = chart.to_dict()
    return spec


def tile_map_label(measure: str, year: str) -> str:
    return (f"Map of London's boroughs as equal squares, shaded by {measure.lower()} in {year}; "
            "darker is higher. Grey squares have no figure shown. The numbers are in the table.")
