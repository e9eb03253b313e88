"""What goes with a figure on its page besides its table and chart: the subtitle that says what is plotted,
and the periods marked ``[low]`` (prevention measures where not every council's case data cover the period)."""

from __future__ import annotations

from boroughhub.insights.pages import Figure, FigureTable, to_number
from boroughhub.insights.published import SliceIndex


def subtitle(table: FigureTable, breakdown_name: str = "") -> str:
    """What the chart plots, in words: the figure's own description without a breakdown; with one, the one
    series it splits (a breakdown never keeps the description of the series it no longer shows)."""
    if table.breakdown == "none":
        return table.figure.describe
    if table.figure.fixed_breakdown and table.figure.describe:
        return table.figure.describe
    name = (breakdown_name or table.breakdown.replace("_", " ")).lower()
    return f"{table.figure.series[0].label}, by {name}: one line for each {name} in the table."


def low_coverage_periods(london: SliceIndex, figure: Figure) -> frozenset[str]:
    """Periods where fewer than all 33 London councils' H-CLIC data cover the look-back of the prevention
    measures (``lk_prev_hclic_coverage``): "approached a council" is undercounted there, marked ``[low]``."""
    if not any(s.metric.startswith("lk_prev") for s in figure.series):
        return frozenset()
    return frozenset(r["period"] for r in london.get(("lk_prev_hclic_coverage", "none"), [])
                     if (n := to_number(r["value"])) is not None and n < LONDON_COUNCILS)


LONDON_COUNCILS = 33
