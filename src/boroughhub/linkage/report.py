"""The training report: parameters as a table and Splink's charts as SVG, rendered offline.

Splink builds Vega-Lite specifications with the data inlined; ``vl-convert`` renders them to SVG
without a browser or network, so the report is one self-contained HTML document.
"""

from __future__ import annotations

import html
import logging
from datetime import datetime
from typing import Any

from boroughhub.linkage.label_training import LABELS_KEY
from boroughhub.linkage.train import TrainedModel, parameter_rows

CHART_TITLES = {
    "match_weights": "Match weights of each comparison level",
    "m_u_parameters": "m and u probabilities",
    "parameter_estimates": "Estimates of m from each training session",
}


def render_svg(spec: dict[str, Any]) -> str:
    """SVG of a Vega-Lite spec (offline)."""
    import vl_convert

    return str(vl_convert.vegalite_to_svg(spec))


def _fmt(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{value:.{digits}g}"


def labels_section(model: TrainedModel) -> str:
    """What people's labels did to the model: how many were used, the check, and m before and after."""
    used = model.model.get(LABELS_KEY)
    if not used:
        return "<p>No labelled sample pairs were used: m is as expectation maximisation estimated it.</p>"
    rows = "\n".join(
        f"<tr><td>{html.escape(c)}</td><td>{html.escape(str(level))}</td><td>{_fmt(before)}</td><td>{_fmt(after)}</td></tr>"
        for c, level, before, after in used["changes"]
    )
    flag = ("<p><strong>Check: this model decides more than "
            f"{used['flag_above']:.0%} of the labelled pairs (weighted) the other way from people. "
            "Review it before relying on its links.</strong></p>") if used["disagreement"] > used["flag_above"] else ""
    return f"""<h2>Labelled pairs used</h2>
<p>{used["labels"]} labelled pairs of the stratified sample ({used["same"]} judged the same person,
{used["not_same"]} not), each weighted by its band's size; the matches count as {used["effective_matches"]:.1f}
labelled matches (effective sample size) against expectation maximisation's m, worth {used["prior_strength"]:g}.
Labelled pairs the model decides the other way, weighted: {used["disagreement_em"]:.1%} with expectation
maximisation's m, {used["disagreement"]:.1%} with m learnt from the labels.</p>
{flag}<table>
<caption>m before and after the labels</caption>
<thead><tr><th>Comparison</th><th>Level</th><th>m from expectation maximisation</th><th>m with the labels</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
"""


def training_report_html(model: TrainedModel, version: int, trained_at: datetime) -> str:
    rows = "\n".join(
        "<tr>"
        f"<td>{html.escape(r['comparison'])}</td><td>{html.escape(str(r['level']))}</td>"
        f"<td>{_fmt(r['m_probability'])}</td><td>{_fmt(r['u_probability'])}</td>"
        f"<td>{_fmt(r['match_weight'], 3)}</td>"
        "</tr>"
        for r in parameter_rows(model)
    )
    charts = []
    for name, spec in model.charts.items():
        try:
            svg = render_svg(spec)
        except Exception:  # noqa: BLE001 - a chart that fails to render must not lose the model
            logging.getLogger(__name__).warning("chart %s could not be rendered", name)
            continue
        charts.append(f"<figure><figcaption>{html.escape(CHART_TITLES.get(name, name))}</figcaption>{svg}</figure>")
    prior = model.model.get("probability_two_random_records_match")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Linkage model version {version} – boroughhub</title></head>
<body>
<h1>Linkage model version {version}</h1>
<p>Trained {trained_at:%Y-%m-%d %H:%M} UTC on {model.record_count:,} person records, unsupervised
(expectation maximisation). Optional fields compared: {html.escape(", ".join(model.fields) or "none")}.
Prior probability that two random records match: {_fmt(prior)}.</p>
{labels_section(model)}
<table>
<caption>Trained parameters</caption>
<thead><tr><th>Comparison</th><th>Level</th><th>m</th><th>u</th><th>Match weight</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
{"".join(charts)}
</body></html>
"""
