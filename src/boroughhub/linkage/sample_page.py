"""What the quality page shows of the label sample and of the labels the current model learnt from.

Figures per band of match probability only (pairs, sampled, labelled, judged the same): never a pair's
records. The chart of each band's share judged the same has the same figures as a table beside it.
"""

from __future__ import annotations

import logging
from typing import Any

import altair as alt
import duckdb
from statsmodels.stats.proportion import proportion_confint

from boroughhub.linkage.label_sample import LabelSample, latest_run_id, load_sample
from boroughhub.linkage.label_training import LABELS_KEY
from boroughhub.linkage.link_tables import load_model
from boroughhub.linkage.report import render_svg
from boroughhub.linkage.sample_estimate import estimate_from_sample

SHARE_CHART_TITLE = "Share of each band's labelled sample pairs judged the same person"


def band_rows(sample: LabelSample) -> list[dict[str, Any]]:
    """One row per band: its size, sample, labels, share judged the same and that share's Jeffreys interval."""
    rows = []
    for band, labels in zip(sample.bands, sample.band_labels(), strict=True):
        lower = upper = None
        if labels.labelled:
            low, high = proportion_confint(labels.same, labels.labelled, alpha=0.05, method="jeffreys")
            lower, upper = float(low), float(high)
        rows.append({"band": band.label, "linked": band.linked, "pairs": band.pairs,
                     "sampled": sum(1 for p in sample.pairs if p.band == band.band),
                     "labelled": labels.labelled, "same": labels.same, "share": labels.share_same,
                     "lower": lower, "upper": upper})
    return rows


def share_chart_spec(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars of each labelled band's share judged the same, with its 95% interval as a line."""
    values = [{"Band": r["band"] + (" (linked)" if r["linked"] else ""), "Share judged the same": r["share"],
               "Lower": r["lower"], "Upper": r["upper"]} for r in rows if r["share"] is not None]
    base = alt.Chart(alt.Data(values=values)).encode(  # type: ignore[no-untyped-call]
        x=alt.X("Band:N", sort=None, title="Match probability band", axis=alt.Axis(labelAngle=-30)))
    bars = base.mark_bar(color="#1d70b8").encode(
        y=alt.Y("Share judged the same:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"),
                title="Share judged the same person"))
    interval = base.mark_rule(color="#0b0c0c", strokeWidth=2).encode(y=alt.Y("Lower:Q", title=None), y2="Upper:Q")
    return dict((bars + interval).properties(width=420, height=220, title=SHARE_CHART_TITLE).to_dict())


def sample_context(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    sample = load_sample(con)
    stored = load_model(con)
    used = stored.model.model.get(LABELS_KEY) if stored is not None else None
    context: dict[str, Any] = {"sample": sample, "labels_used": used,
                               "labels_used_changes": sorted(used["changes"], key=lambda c: -abs(c[3] - c[2]))[:8]
                               if used else []}
    if sample is None:
        return context
    rows = band_rows(sample)
    chart = None
    if any(r["share"] is not None for r in rows):
        try:
            chart = render_svg(share_chart_spec(rows))
        except Exception:  # noqa: BLE001 - the table beside it has the same figures
            logging.getLogger(__name__).warning("label sample chart could not be rendered")
    context.update(
        sample_rows=rows, sample_estimates=estimate_from_sample(sample.band_labels()),
        sample_is_stale=sample.run_id != latest_run_id(con), share_chart=chart, share_chart_title=SHARE_CHART_TITLE,
        sample_labelled=sum(r["labelled"] for r in rows), sample_size=len(sample.pairs),
    )
    return context
