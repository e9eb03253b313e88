"""Charts of spec §8.2: Vega-Lite specifications built with Altair, rendered to SVG with vl-convert.

Every chart travels with the data table it draws, so the report can place them side by side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import vl_convert as vlc

from boroughhub.evaluation.results import Results

#: Okabe–Ito colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
BAND_COLOURS = {"Poor": "#D55E00", "Low": "#E69F00", "Medium": "#F0E442", "High": "#56B4E9", "Very high": "#009E73"}
FONT = "Helvetica, Arial, sans-serif"
WIDTH = 330
#: Altair's JSON-schema validation costs more than rendering; the tests switch it on.
VALIDATE = False


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    alt: str
    spec: dict[str, Any]
    svg: str
    columns: list[str]
    rows: list[list[str]]


def _config(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.configure(font=FONT, background="white").configure_view(
        stroke=None).configure_axis(labelFontSize=10, titleFontSize=10, grid=False).configure_title(
        fontSize=12, anchor="start").to_dict(validate=VALIDATE)
    return spec


def _render(cid: str, title: str, alt_text: str, chart: alt.TopLevelMixin, columns: list[str],
            rows: list[list[str]]) -> Chart:
    spec = _config(chart)
    svg = vlc.vegalite_to_svg(spec)
    # Give the SVG an accessible name and make it scale with its container.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(alt_text)}" ', 1)
    return Chart(cid, title, alt_text, spec, svg, columns, rows)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def money(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"−£{abs(x):,.0f}" if x < 0 else f"£{x:,.0f}"


def fmt_param(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def price_label(r: Results) -> str:
    return f"£, {r.plan.label(r.plan.years.index(r.plan.base_year)) if r.plan.base_year in r.plan.years else r.plan.base_year} prices"


def tornado_chart(r: Results, scope: str, name: str) -> Chart | None:
    bars = [b for b in r.tornado if b.scope == scope]
    if not bars:
        return None
    central = r.central.scopes[scope].npsv
    df = pd.DataFrame([{"parameter": b.parameter, "lo": min(b.npsv_low, b.npsv_high), "hi": max(b.npsv_low, b.npsv_high),
                        "low_label": fmt_param(b.low_value if b.npsv_low <= b.npsv_high else b.high_value),
                        "high_label": fmt_param(b.high_value if b.npsv_low <= b.npsv_high else b.low_value),
                        "rank": b.rank} for b in bars])
    unit = price_label(r)
    y = alt.Y("parameter:N", sort=alt.EncodingSortField("rank"), title=None)
    base = alt.Chart(df)
    # Room either side for the value labels at the bar ends.
    lo_all, hi_all = min(float(df["lo"].min()), central, 0.0), max(float(df["hi"].max()), central, 0.0)
    pad = 0.22 * (hi_all - lo_all or 1.0)
    x_scale = alt.Scale(domain=[lo_all - pad, hi_all + pad], nice=False)
    chart = alt.layer(
        base.mark_bar(color=PALETTE[0], height=14).encode(
            y=y, x=alt.X("lo:Q", title=f"NPSV ({unit})", scale=x_scale, axis=alt.Axis(format="~s")), x2="hi:Q"),
        base.mark_text(align="right", dx=-3, fontSize=9).encode(y=y, x="lo:Q", text="low_label:N"),
        base.mark_text(align="left", dx=3, fontSize=9).encode(y=y, x="hi:Q", text="high_label:N"),
        alt.Chart(pd.DataFrame({"x": [central], "what": ["central"]})).mark_rule(color="#000", strokeDash=[4, 2])
        .encode(x="x:Q"),
        alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#b1b4b6").encode(x="x:Q"),
    ).properties(width=WIDTH, height=max(60, 24 * len(bars)), title=f"Tornado: {name}")
    alt_text = (f"Tornado chart for {name}: NPSV at the P10 and P90 of each uncertain input, largest swing first. "
                + "; ".join(f"{b.parameter} from {money(b.npsv_low)} to {money(b.npsv_high)}" for b in bars))
    rows = [[b.parameter, fmt_param(b.low_value), fmt_param(b.high_value), money(b.npsv_low), money(b.npsv_high),
             money(b.swing)] for b in bars]
    return _render(f"tornado-{scope}", f"Tornado: {name}", alt_text, chart,
                   ["Parameter", "P10 value", "P90 value", "NPSV at P10", "NPSV at P90", "Swing"], rows)


def bcr_distribution_chart(r: Results, scope: str, name: str) -> Chart | None:
    if r.monte_carlo is None:
        return None
    draws = r.monte_carlo.bcr_draws[scope]
    draws = draws[~np.isnan(draws)]
    if len(draws) == 0:
        return None
    lo, hi = (float(x) for x in np.quantile(draws, [0.005, 0.995]))
    if hi - lo <= 1e-6 * max(1.0, abs(lo)):
        return None  # no uncertain input moves this scope's BCR: nothing to draw
    edges = np.linspace(lo, hi, 51)
    counts, _ = np.histogram(np.clip(draws, lo, hi), bins=edges)
    hist = pd.DataFrame({"start": edges[:-1], "end": edges[1:], "share": counts / len(draws)})
    bands = pd.DataFrame([{"band": label, "start": max(b_lo, lo), "end": min(b_hi, hi)}
                          for label, b_lo, b_hi in r.plan.vfm_bands.bands if b_hi > lo and b_lo < hi])
    summary = next(s for s in r.monte_carlo.summaries if s.scope == scope)
    central = r.central.scopes[scope].bcr
    marks = pd.DataFrame([{"x": v, "what": w} for v, w in ((summary.bcr_p5, "P5"), (summary.bcr_p50, "P50"),
                                                           (summary.bcr_p95, "P95"), (central, "central"))
                          if v is not None and lo <= v <= hi])
    x = alt.X("start:Q", title="Benefit–cost ratio", scale=alt.Scale(domain=[lo, hi], nice=False))
    layers = [
        alt.Chart(bands).mark_rect(opacity=0.25).encode(
            x=x, x2="end:Q", color=alt.Color("band:N", title="VfM band",
                                             scale=alt.Scale(domain=list(BAND_COLOURS),
                                                             range=list(BAND_COLOURS.values())))),
        alt.Chart(hist).mark_rect(color=PALETTE[0]).encode(x=x, x2="end:Q", y=alt.Y("share:Q", title="Share of draws",
                                                                                      axis=alt.Axis(format="%"))),
    ]
    if len(marks):
        layers += [alt.Chart(marks).mark_rule(color="#000", strokeDash=[3, 2]).encode(x="x:Q"),
                   alt.Chart(marks).mark_text(dy=-4, fontSize=9, baseline="bottom").encode(
                       x="x:Q", y=alt.value(0), text="what:N")]
    chart = alt.layer(*layers).properties(width=WIDTH, height=150, title=f"BCR distribution: {name}")
    share_text = ", ".join(f"{k} {v:.1%}" for k, v in summary.band_shares.items())
    alt_text = (f"Histogram of {summary.n_draws:,} Monte Carlo BCR draws for {name}, over the VfM bands. "
                f"P5 {summary.bcr_p5:.2f}, P50 {summary.bcr_p50:.2f}, P95 {summary.bcr_p95:.2f}. {share_text}.")
    rows = [["P5", f"{summary.bcr_p5:.2f}"], ["P50", f"{summary.bcr_p50:.2f}"], ["P95", f"{summary.bcr_p95:.2f}"],
            ["Central BCR", "–" if central is None else f"{central:.2f}"],
            ["P(NPSV > 0)", f"{summary.p_npsv_positive:.1%}"],
            *[[f"Share {k}", f"{v:.1%}"] for k, v in summary.band_shares.items()]]
    return _render(f"bcr-{scope}", f"BCR distribution: {name}", alt_text, chart, ["Statistic", "Value"], rows)


def cost_by_funder_chart(r: Results) -> Chart:
    names = {o.id: o.name.split(" (")[0] for o in r.plan.organisations.values()}
    rows = []
    for row in r.central.who.cost_by_funder_year:
        label = "Unallocated core" if row["part"] == "unallocated core" else names[row["funder"]]
        rows.append({"year": row["year"], "segment": label, "real": row["real"],
                     "unallocated": row["part"] == "unallocated core"})
    df = pd.DataFrame(rows).groupby(["year", "segment", "unallocated"], as_index=False)["real"].sum()
    segments = sorted(df["segment"].unique(), key=lambda s: (s == "Unallocated core", s))
    colours = [("#b1b4b6" if s == "Unallocated core" else PALETTE[i % len(PALETTE)]) for i, s in enumerate(segments)]
    chart = alt.Chart(df).mark_bar(stroke="#0b0c0c", strokeWidth=0.5).encode(
        x=alt.X("year:O", title="Year"),
        y=alt.Y("real:Q", title=f"Cost ({price_label(r)})", axis=alt.Axis(format="~s")),
        color=alt.Color("segment:N", title="Funder", scale=alt.Scale(domain=segments, range=colours),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=220)),
        strokeDash=alt.StrokeDash("unallocated:N", legend=None,
                                  scale=alt.Scale(domain=[False, True], range=[[1, 0], [3, 2]])),
        order=alt.Order("unallocated:N"),
    ).properties(width=WIDTH, height=180, title="Cost by funder, real prices")
    pivot = df.pivot_table(index="segment", columns="year", values="real", aggfunc="sum", fill_value=0.0)
    pivot = pivot.loc[segments]
    years = [str(y) for y in pivot.columns]
    table = [[str(seg), *[money(float(v)) for v in row], money(float(row.sum()))] for seg, row in pivot.iterrows()]
    table.append(["Total", *[money(float(v)) for v in pivot.sum(axis=0)], money(float(pivot.to_numpy().sum()))])
    alt_text = ("Stacked bars of programme cost per year by funder, with the unallocated core (spending not assessed) "
                "in grey with a dashed outline.")
    return _render("cost-by-funder", "Cost by funder", alt_text, chart, ["Funder", *years, "Total"], table)


def survey_chart(r: Results) -> Chart | None:
    s = r.survey
    if s is None:
        return None
    labels = {1: "Strongly disagree", 2: "Disagree", 3: "Neither", 4: "Agree", 5: "Strongly agree"}
    rows = []
    for it in s.items:
        if it.n_valid == 0:
            continue
        shares = {c: it.counts[str(c)] / it.n_valid for c in range(1, 6)}
        start = -(shares[1] + shares[2] + shares[3] / 2)
        for c in range(1, 6):
            rows.append({"item": f"{it.item} (n={it.n_valid})", "code": c, "label": labels[c], "start": start,
                         "end": start + shares[c], "share": shares[c]})
            start += shares[c]
    df = pd.DataFrame(rows)
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("item:N", title=None, sort=None),
        x=alt.X("start:Q", title="Share of valid answers (centred on 'neither')", axis=alt.Axis(format="%")),
        x2="end:Q",
        color=alt.Color("label:N", title=None, sort=[labels[c] for c in range(1, 6)],
                        scale=alt.Scale(domain=[labels[c] for c in range(1, 6)],
                                        range=["#D55E00", "#E69F00", "#d9d9d9", "#56B4E9", "#0072B2"]),
                        legend=alt.Legend(orient="bottom", columns=3)),
        order="code:Q",
    ).properties(width=WIDTH, height=22 * len(s.items), title="Survey items")
    table = [[it.item, str(it.n_valid), *[str(it.counts[c]) for c in "12345"]] for it in s.items]
    alt_text = "Diverging stacked bars of the five answers to each survey item, centred on 'neither'."
    return _render("survey-items", "Survey items", alt_text, chart, ["Item", "n", "1", "2", "3", "4", "5"], table)


def all_charts(r: Results) -> list[Chart]:
    charts: list[Chart | None] = [cost_by_funder_chart(r), survey_chart(r)]
    scopes = [("programme", "Programme"), *((a.id, a.name) for a in r.plan.activities.values())]
    for scope, name in scopes:
        charts.append(tornado_chart(r, scope, name))
        charts.append(bcr_distribution_chart(r, scope, name))
    return [c for c in charts if c is not None]
