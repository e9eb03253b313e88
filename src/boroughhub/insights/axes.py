"""Time axes people can read at every period type: which periods get a label, and what the label says.

Every period keeps its place on the axis (a gap is a gap); only the labels are thinned. Six years of months
are 72 labels, which overlap into a smear at chart width, so long monthly axes label years, medium ones
quarters; long quarterly axes label financial years.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: More labels than this do not fit side by side at the chart's width (560 px, 12 px type).
MOST_LABELS = 12


@dataclass(frozen=True)
class AxisLabels:
    values: list[str]  # the periods that get a label
    expression: str  # a Vega expression: a period's label text
    angle: int


def _month_label(period: str) -> str:
    year, month = period.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def axis_labels(periods: list[str], period_type: str) -> AxisLabels:
    """The labelled periods of an axis of ``periods`` (labels as in metrics.md 2.3) and their label text."""
    texts: dict[str, str]
    if period_type == "month":
        if len(periods) > 2 * MOST_LABELS:  # years: each January, as the year
            texts = {p: p[:4] for p in periods if p.endswith("-01")}
        elif len(periods) > MOST_LABELS:  # quarters: January, April, July, October
            texts = {p: _month_label(p) for p in periods if int(p[5:]) % 3 == 1}
        else:
            texts = {p: _month_label(p) for p in periods}
        if not texts and periods:  # a short run with no January or quarter start: label its first month
            texts = {periods[0]: _month_label(periods[0])}
    elif period_type == "financial_quarter" and len(periods) > MOST_LABELS:
        texts = {p: p.split(" ")[0] for p in periods if p.endswith("Q1")}  # each financial year, at its Q1
        if not texts and periods:
            texts = {periods[0]: periods[0]}
    else:
        texts = {p: p for p in periods}
    angle = 0 if len(texts) <= 8 else -40
    # A JSON object is a Vega expression object literal: the label of the tick's period.
    return AxisLabels(list(texts), f"{json.dumps(texts)}[datum.value]", angle)
