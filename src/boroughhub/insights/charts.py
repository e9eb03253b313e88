"""Charts of published metric values: Vega-Lite specs built with Altair, rendered to SVG server-side.

Each chart comes with the data table it shows (markers such as ``[c]`` kept as text, so the table says
what the chart leaves out) and a one-line plain-English summary. Charts are built from rows *after*
disclosure control (``disclosure.publish``); a marker is a gap in the chart, never a zero.

Vega-Lite has no Sankey mark. The pathway chart is a stacked bar per stage (stage 0 to 3), each segment a
node with its persons: the widths a Sankey would give its nodes, without the ribbons. The transition
table beside it carries the links (documented in docs/metrics.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import altair as alt
import vl_convert

from boroughhub.reference import code_list

Row = Mapping[str, str]
#: The four stages of metrics.md 6.4, as the chart's axis names them.
STAGE_NAMES = {0: "0. First seen", 1: "1. First accommodation", 2: "2. How it ended", 3: "3. Afterwards"}
COHORT_PARTS = (("chain_flow", "New (flow)"), ("chain_stock", "Stock"), ("chain_returner", "Returner"))


@dataclass(frozen=True)
class Chart:
    """A chart ready for a page or a report: spec, SVG, the table beside it, and its summary."""

    title: str
    spec: dict[str, Any]
    table: list[dict[str, str]]
    summary: str

    def svg(self) -> str:
        return str(vl_convert.vegalite_to_svg(self.spec))


def _inline(values: list[dict[str, Any]]) -> Any:
    """Inline data for a chart (the spec carries its own values: no file, no URL)."""
    return alt.Data(values=values)  # type: ignore[no-untyped-call]  # Altair leaves it untyped


def number(value: str) -> float | None:
    """A published value as a number; ``None`` for markers ([c], [x], [z]) and ``>365``."""
    try:
        return float(value)
    except ValueError:
        return None


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _select(rows: Iterable[Row], **match: str) -> list[Row]:
    return [r for r in rows if all(r[k] == v for k, v in match.items())]


def headline_trend(rows: Iterable[Row], metric: str, area_code: str, period_type: str, title: str) -> Chart:
    """A line of one count over periods (breakdown ``none``), e.g. ``chain_total`` by financial year."""
    chosen = sorted(
        _select(rows, metric=metric, area_code=area_code, period_type=period_type, breakdown="none", measure="count"),
        key=lambda r: r["period"],  # labels of one period type sort in time order as text
    )
    table = [{"period": r["period"], "value": r["value"]} for r in chosen]
    data = [{"period": r["period"], "value": number(r["value"])} for r in chosen]
    spec = (
        alt.Chart(_inline(data), title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:O", title="Period", sort=None),
            y=alt.Y("value:Q", title="People"),
            tooltip=["period:O", "value:Q"],
        )
        .properties(width=520, height=260)
    )
    return Chart(title, spec.to_dict(), table, trend_summary(table, title))


def trend_summary(table: list[dict[str, str]], what: str) -> str:
    """``In 2023/24, 10,050 (what) — up 1,940 (24.0%) on 2022/23.`` from the last two shown values."""
    shown = [(r["period"], number(r["value"])) for r in table if number(r["value"]) is not None]
    if not shown:
        return f"{what}: no figure can be shown for any period."
    period, latest = shown[-1]
    assert latest is not None
    if len(shown) < 2:
        return f"{what}: {_fmt(latest)} in {period}."
    before_period, before = shown[-2]
    assert before is not None
    change = latest - before
    direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
    if change == 0:
        return f"{what}: {_fmt(latest)} in {period}, unchanged on {before_period}."
    pct = f" ({abs(change) / before * 100:.1f}%)" if before else ""
    return f"{what}: {_fmt(latest)} in {period}, {direction} {_fmt(abs(change))}{pct} on {before_period}."


def cohort_bars(rows: Iterable[Row], area_code: str, title: str) -> Chart:
    """Stacked bars of flow, stock and returners (4.1) by financial year."""
    all_rows = list(rows)
    table: list[dict[str, str]] = []
    data: list[dict[str, Any]] = []
    for metric, label in COHORT_PARTS:
        for r in _select(all_rows, metric=metric, area_code=area_code, breakdown="none", measure="count"):
            table.append({"period": r["period"], "group": label, "value": r["value"]})
            data.append({"period": r["period"], "group": label, "value": number(r["value"])})
    table.sort(key=lambda r: (r["period"], [p[1] for p in COHORT_PARTS].index(r["group"])))
    spec = (
        alt.Chart(_inline(data), title=title)
        .mark_bar()
        .encode(
            x=alt.X("period:O", title="Financial year"),
            y=alt.Y("value:Q", title="People", stack="zero"),
            color=alt.Color("group:N", title="Group", sort=[p[1] for p in COHORT_PARTS]),
            order=alt.Order("group:N"),
            tooltip=["period:O", "group:N", "value:Q"],
        )
        .properties(width=520, height=260)
    )
    return Chart(title, spec.to_dict(), table, cohort_summary(table))


def cohort_summary(table: list[dict[str, str]]) -> str:
    """``In 2023/24: 6,390 new, 2,090 stock and 1,580 returners.``"""
    if not table:
        return "No cohort figures to show."
    latest = max(r["period"] for r in table)
    parts = {r["group"]: r["value"] for r in table if r["period"] == latest}
    words = [f"{parts.get(label, '[x]')} {label.split(' ')[0].lower()}" for _m, label in COHORT_PARTS]
    return f"In {latest}: {words[0]}, {words[1]} and {words[2]}s (figures shown as [c] are suppressed)."


def pathway_flow(rows: Iterable[Row], period: str, area_code: str, title: str) -> Chart:
    """Persons at each node of each stage of ``lk_pathways`` (6.4), as stacked bars (see module note)."""
    labels = {r["code"]: r["label"] for r in code_list("pathway_node")}
    chosen = _select(rows, metric="lk_pathways", period=period, area_code=area_code, breakdown="transition")
    table = []
    into: dict[tuple[int, str], float] = {}
    for r in chosen:
        source, target = r["breakdown_value"].split(">")
        from_stage, from_node = source.split(":")
        to_stage, to_node = target.split(":")
        table.append({"from_stage": from_stage, "from_node": from_node, "to_stage": to_stage, "to_node": to_node,
                      "persons": r["value"]})  # fmt: skip
        n = number(r["value"])
        if n is not None:
            into[(int(to_stage), to_node)] = into.get((int(to_stage), to_node), 0) + n
            if from_stage == "0":
                into[(0, from_node)] = into.get((0, from_node), 0) + n
    table.sort(key=lambda t: (t["from_stage"], t["from_node"], t["to_node"]))
    data = [{"stage": STAGE_NAMES.get(s, f"Stage {s}"), "node": labels.get(node, node), "persons": n}
            for (s, node), n in sorted(into.items())]
    spec = (
        alt.Chart(_inline(data), title=title)
        .mark_bar()
        .encode(
            x=alt.X("stage:O", title=None, sort=list(STAGE_NAMES.values()), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("persons:Q", title="People", stack="zero"),
            color=alt.Color("node:N", title="Where people were at each stage"),
            tooltip=["stage:O", "node:N", "persons:Q"],
        )
        .properties(width=520, height=280)
    )
    return Chart(title, spec.to_dict(), table, pathway_summary(into))


def pathway_periods(rows: Iterable[Row]) -> list[str]:
    """The cohort years of ``lk_pathways`` rows with figures, oldest first (the page opens on the last)."""
    return sorted({r["period"] for r in rows if r["value"] != "[x]"})


def pathway_chart(rows: Iterable[Row], period: str, area_code: str) -> Chart:
    """The pathways page's chart of one cohort year: one definition for the page and the refresh's
    pre-rendering, so the chart rendered beforehand is the one the page looks up."""
    return pathway_flow(rows, period, area_code, f"Pathways of people first seen in {period}")


def pathway_summary(into: Mapping[tuple[int, str], float]) -> str:
    """``Of 120 people first seen, 70 went into accommodation within the follow-up; 18 were evicted.``"""
    cohort = into.get((0, "street_first_seen"), 0)
    if not cohort:
        return "No pathway figures can be shown for this cohort."
    housed = sum(n for (stage, node), n in into.items() if stage == 1 and node != "no_accommodation")
    returned = into.get((3, "returned_to_street"), 0)
    return (
        f"Of {_fmt(cohort)} people shown as first seen sleeping rough, {_fmt(housed)} went into accommodation "
        f"within the follow-up and {_fmt(returned)} were seen sleeping rough again after leaving it "
        "(suppressed figures are left out)."
    )
