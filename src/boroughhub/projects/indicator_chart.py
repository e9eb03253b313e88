"""An outcome indicator as a chart: its actuals by period against the baseline and the target, with the
table beside it and a sentence saying how far it has come (the chart is never the only way to read it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import vl_convert


@dataclass(frozen=True)
class IndicatorChart:
    title: str
    spec: dict[str, Any]
    summary: str

    def svg(self) -> str:
        return str(vl_convert.vegalite_to_svg(self.spec))


def progress_summary(name: str, baseline: float, target: float, actuals: Sequence[tuple[str, float]],
                     unit: str = "") -> str:
    """``Falls a month: 31 in 2026-27 Q3, 45% of the way from the baseline of 40 to the target of 20.``"""
    unit_text = f" {unit}" if unit else ""
    if not actuals:
        return f"{name}: no actuals yet; baseline {baseline:g}{unit_text}, target {target:g}{unit_text}."
    period, latest = actuals[-1]
    if target == baseline:
        share = "at the target" if latest == target else "not at the target"
    else:
        share = f"{100 * (latest - baseline) / (target - baseline):.0f}% of the way"
    return (f"{name}: {latest:g}{unit_text} in {period}, {share} from the baseline of {baseline:g} "
            f"to the target of {target:g}.")


def indicator_chart(name: str, baseline: float, target: float, actuals: Sequence[tuple[str, float]],
                    unit: str = "") -> IndicatorChart | None:
    """The actuals as a line with the baseline and target as labelled rules; None without actuals."""
    if not actuals:
        return None
    values = [{"period": period, "value": value} for period, value in actuals]
    references = [{"what": f"Baseline {baseline:g}", "value": baseline}, {"what": f"Target {target:g}", "value": target}]
    line = alt.Chart(alt.Data(values=values)).mark_line(point=True).encode(  # type: ignore[no-untyped-call]
        x=alt.X("period:O", title="Period", sort=None), y=alt.Y("value:Q", title=unit or "Value"))
    rules = alt.Chart(alt.Data(values=references)).mark_rule(strokeDash=[4, 4]).encode(  # type: ignore[no-untyped-call]
        y="value:Q", color=alt.Color("what:N", title=None))
    spec = alt.layer(line, rules, title=name).properties(width=420, height=200)
    return IndicatorChart(name, spec.to_dict(), progress_summary(name, baseline, target, actuals, unit))
