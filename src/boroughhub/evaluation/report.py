"""The report (spec §8.3): one self-contained HTML file, and a tagged A4 PDF rendered from it.

The PDF is made by WeasyPrint with a URL fetcher that refuses everything except ``data:`` URLs,
so rendering a report never reaches the network or the file system.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import jinja2
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from boroughhub.evaluation.charts import Chart, all_charts
from boroughhub.evaluation.narrative import additionality_text, amount_text, counterfactual_text
from boroughhub.evaluation.results import Results

TEMPLATES = Path(__file__).parent / "templates" / "evaluation"


class LocalOnlyURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
    """Fetch only ``data:`` URLs; any other URL is refused (the report is self-contained)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), timeout=1, allow_redirects=False)


def money(x: float | None, pence: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    text = f"£{abs(x):,.2f}" if pence else f"£{abs(x):,.0f}"
    return f"−{text}" if x < 0 and round(abs(x), 2 if pence else 0) else text


def ratio(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def pct(x: float | None, places: int = 1) -> str:
    return "–" if x is None else f"{x * 100:.{places}f}%"


def points(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:+.1f}".replace("-", "−")


def signed(x: float | None, places: int = 1) -> str:
    return "–" if x is None else f"{x:+.{places}f}%".replace("-", "−")


def num(x: float | None) -> str:
    if x is None:
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def share(part: float, whole: float) -> float | None:
    """``part / whole``, or None (shown as "–") when the whole is 0: a spec may have no costs at all."""
    return part / whole if whole else None


def monte_carlo_not_assessed(r: Results) -> str:
    """Why the report has no Monte Carlo results, as the end of "The simulation did not run because …"."""
    if r.monte_carlo is not None:
        return ""
    mc = r.plan.settings.monte_carlo
    if not r.plan.scenario_distributions(r.headline):
        return "no input has an uncertainty distribution"
    if not mc.enabled:
        return "the spec turns it off (programme.monte_carlo.enabled)"
    if r.meta["monte_carlo"]["seed"] is None:
        return "the spec gives it no seed"
    return "it was turned off for this run"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(money=money, ratio=ratio, pct=pct, points=points, signed=signed, num=num)
    env.globals.update(share=share)
    return env


def context(r: Results, charts: list[Chart]) -> dict[str, Any]:
    plan = r.plan
    by_id = {c.id: c for c in charts}
    central = r.central
    acts = []
    for a in plan.activities.values():
        cfs = [cf for b in plan.benefits if b.activity == a.id and b.counterfactual
               for cf in [plan.counterfactuals[b.counterfactual]]]
        bens = [b for b in plan.benefits if b.activity == a.id]
        costs = [c for c in plan.costs if c.target == a.id]
        acts.append({
            "activity": a, "scope": central.scopes[a.id],
            "counterfactuals": [counterfactual_text(plan, cf) for cf in cfs],
            "benefits": [{"benefit": b, "additionality": additionality_text(plan, b.additionality)} for b in bens],
            "costs": [{"line": c, "amounts": [(plan.label(yi), amount_text(plan, amt, money=True))
                                              for yi, amt in sorted((c.amounts or {}).items())]} for c in costs],
            "allocation": [(plan.label(yi), amount_text(plan, x, percent=True))
                           for yi, xs in sorted(plan.allocations.get(a.id, {}).items()) for x in xs],
            "switching": [sv for sv in central.switching_values if sv.scope == a.id],
            "key_text": _key_switching(central.switching_values, a.id),
            "tornado": by_id.get(f"tornado-{a.id}"), "bcr_chart": by_id.get(f"bcr-{a.id}"),
            "mc": next((s for s in r.monte_carlo.summaries if s.scope == a.id), None) if r.monte_carlo else None,
            "excerpts": r.interviews.excerpts(a.id) if r.interviews else 0,
            "themes": r.interviews.top_themes(a.id) if r.interviews else [],
        })
    mc = {s.scope: s for s in r.monte_carlo.summaries} if r.monte_carlo else {}
    published = [p for p in r.parameter_log if p["status"] == "published"]
    assumed = [p for p in r.parameter_log if p["status"] != "published"]
    evidence: dict[str, list[dict[str, str]]] = {}
    if r.interviews:
        for activity, rows in r.interviews.evidence.items():
            chosen: list[dict[str, str]] = []
            per_theme: dict[str, int] = {}
            for row in rows:
                if per_theme.get(row["code"], 0) < 3:
                    chosen.append(row)
                    per_theme[row["code"]] = per_theme.get(row["code"], 0) + 1
            evidence[activity] = chosen
    warnings_grouped: dict[tuple[str, str], list[str]] = {}
    for w in r.warnings:
        warnings_grouped.setdefault((w.code, w.severity), []).append(w.message)
    return {
        "r": r, "plan": plan, "settings": plan.settings, "central": central, "programme": central.scopes["programme"],
        "assessed": central.scopes["assessed"], "mc": mc, "mc_not_assessed": monte_carlo_not_assessed(r), "activities": acts, "charts": by_id,
        "activity_names": {a.id: a.name for a in plan.activities.values()} | {"programme": "Programme-wide"},
        "published": published, "assumed": assumed, "evidence": evidence, "warnings_grouped": warnings_grouped,
        "base_label": plan.label(plan.years.index(plan.base_year)) if plan.base_year in plan.years
        else str(plan.base_year),
        "zero_label": plan.label(plan.years.index(plan.year_zero)) if plan.year_zero in plan.years
        else str(plan.year_zero),
        "period": f"{plan.label(0)} to {plan.label(len(plan.years) - 1)}",
        "non_monetised": [b for b in plan.benefits if not b.monetised],
        "indicative": [a for a in plan.activities.values() if a.indicative],
        "survey_sorted": sorted((i for i in r.survey.items if i.top2), key=lambda i: -(i.top2.estimate if i.top2
                                                                                        else 0))
        if r.survey else [],
        "themes_sorted": _themes_by_coverage(r),
        "kappa": next((a for a in r.interviews.agreement if a.scope == "overall"), None) if r.interviews else None,
        "deflator": plan.deflator,
        "who_orgs": [o for o in central.who.organisations if o.pv_paid or o.pv_received],
        "who_rows": _who_rows(central.who.matrix, [*plan.activities, "programme", "unallocated_core"]),
    }


def _themes_by_coverage(r: Results) -> list[tuple[str, str]]:
    iv = r.interviews
    if iv is None:
        return []
    return sorted(iv.codes, key=lambda c: (-iv.coverage[c[0]], c[0]))


def _who_rows(matrix: list[Any], order: list[str]) -> list[dict[str, Any]]:
    rows = []
    for activity in order:
        cells = {c.organisation: c for c in matrix if c.activity == activity}
        if cells:
            rows.append({"activity": activity, "cells": cells})
    return rows


def _key_switching(values: list[Any], scope: str) -> str:
    candidates = [sv for sv in values if sv.scope == scope and sv.in_domain and sv.change_pct is not None]
    if not candidates:
        return "–"
    k = min(candidates, key=lambda sv: abs(sv.change_pct))
    return f"{k.parameter} {num(k.switching_value)} ({signed(k.change_pct)})"


def render_html(r: Results, charts: list[Chart] | None = None) -> str:
    charts = all_charts(r) if charts is None else charts
    return environment().get_template("report_standalone.html").render(**context(r, charts))


def render_pdf(html: str) -> bytes:
    return render_pdf_with_pages(html)[0]


def render_pdf_with_pages(html: str) -> tuple[bytes, int]:
    """A tagged A4 PDF (tags give the structure screen readers need) and its number of pages."""
    document = HTML(string=html, url_fetcher=LocalOnlyURLFetcher(), base_url=None).render(pdf_tags=True)
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf, len(document.pages)
