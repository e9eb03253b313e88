"""Tables of the results as rows, and ``results.json`` / CSV files (spec §8.1)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from boroughhub.evaluation.results import Results

MONEY_COLUMNS = {"pvc", "pvb", "npsv", "pvb_weighted", "npsv_weighted", "nominal", "real", "after_ob",
                 "net_of_additionality", "pv", "pv_paid", "pv_received", "net", "unallocated_core_pv",
                 "npsv_low", "npsv_high", "swing", "npsv_mean", "npsv_sd", "npsv_p5", "npsv_p50", "npsv_p95",
                 "assessed_pvc", "assessed_pvb", "assessed_npsv", "weighted_pvb", "weighted_npsv"}


def round_half_away(value: float, places: int) -> float:
    """Round the shortest decimal form of a double half away from zero (spec §5.17)."""
    q = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(q, rounding=ROUND_HALF_UP))


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_plain(v) for v in obj.tolist()]
    if isinstance(obj, np.generic):
        return _plain(obj.item())
    if isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj)):
        return None
    return obj


def tables(r: Results) -> dict[str, list[dict[str, Any]]]:
    """Every table of spec §8.1, as lists of rows, in CSV column order."""
    out: dict[str, list[dict[str, Any]]] = {}
    interviews = r.interviews
    acts = []
    for sid, sc in r.scenarios.items():
        for aid in r.plan.activities:
            s = sc.scopes[aid]
            key = sorted((sv for sv in sc.switching_values if sv.scope == aid and sv.change_pct is not None
                          and sv.in_domain), key=lambda sv: abs(sv.change_pct or 0))
            k = key[0] if key else None
            acts.append({"scenario": sid, "activity": aid, "evidence_grade": s.evidence_grade,
                         "indicative": s.indicative, "pvc": s.pvc, "pvb": s.pvb, "npsv": s.npsv, "bcr": s.bcr,
                         "vfm_band": s.vfm_band, "pvb_weighted": s.pvb_weighted, "npsv_weighted": s.npsv_weighted,
                         "bcr_weighted": s.bcr_weighted, "key_switching_parameter": k.parameter if k else None,
                         "key_switching_value": k.switching_value if k else None,
                         "key_switching_change_pct": k.change_pct if k else None,
                         "excerpts": interviews.excerpts(aid) if interviews else 0,
                         "top_themes": ";".join(interviews.top_themes(aid)) if interviews else ""})
    out["activities"] = acts
    summary = []
    for sid, sc in r.scenarios.items():
        p, a = sc.scopes["programme"], sc.scopes["assessed"]
        row: dict[str, Any] = {"scenario": sid, "pvc": p.pvc, "pvb": p.pvb, "npsv": p.npsv, "bcr": p.bcr,
                               "vfm_band": p.vfm_band, "assessed_pvc": a.pvc, "assessed_pvb": a.pvb,
                               "assessed_npsv": a.npsv, "assessed_bcr": a.bcr, "assessed_vfm_band": a.vfm_band,
                               "weighted_pvb": p.pvb_weighted, "weighted_npsv": p.npsv_weighted,
                               "weighted_bcr": p.bcr_weighted, "unallocated_core_pv": sc.who.unallocated_core_pv,
                               "unallocated_core_share": sc.who.unallocated_core_pv / p.pvc if p.pvc else None}
        for org in r.plan.organisations:
            row[f"pv_paid_{org}"] = sc.who.pv_by_funder.get(org, 0.0)
        summary.append(row)
    out["programme_summary"] = summary
    out["cashflows"] = [row for sc in r.scenarios.values() for row in sc.cashflows]
    who = []
    for sid, sc in r.scenarios.items():
        for o in sc.who.organisations:
            who.append({"scenario": sid, "activity": "total", "organisation": o.organisation, "sector": o.sector,
                        "pv_paid": o.pv_paid, "pv_received": o.pv_received, "net": o.net})
        for c in sc.who.matrix:
            who.append({"scenario": sid, "activity": c.activity, "organisation": c.organisation,
                        "sector": r.plan.organisations[c.organisation].sector, "pv_paid": c.pv_paid,
                        "pv_received": c.pv_received, "net": c.pv_received - c.pv_paid})
    out["who_pays_who_benefits"] = who
    out["switching_values"] = [
        {"scenario": sv.scenario, "scope": sv.scope, "parameter": sv.parameter, "central": sv.central,
         "switching_value": sv.switching_value, "change_pct": sv.change_pct, "method": sv.method,
         "in_domain": sv.in_domain} for sc in r.scenarios.values() for sv in sc.switching_values]
    mc = []
    for m in (r.monte_carlo.summaries if r.monte_carlo else []):
        row = {k: v for k, v in _plain(m).items() if k not in ("band_shares", "share_undefined")}
        for band, share in m.band_shares.items():
            row[f"share_{band.lower().replace(' ', '_')}"] = share
        row["share_undefined"] = m.share_undefined
        mc.append(row)
    out["monte_carlo_summary"] = mc
    out["tornado"] = [_plain(b) for b in r.tornado]
    out["parameter_log"] = [{**p, "used_by": "; ".join(p["used_by"]), "overridden_in": "; ".join(p["overridden_in"])}
                            for p in r.parameter_log] + [
        {"id": f"table:{t['table_id']}", "unit": t["kind"], "status": "table", "source": t["source"],
         "vintage": t["vintage"], "note": t["note"]} for t in r.table_log]
    out.update(_survey_tables(r))
    out.update(_interview_tables(r))
    return out


def _survey_tables(r: Results) -> dict[str, list[dict[str, Any]]]:
    s = r.survey
    if s is None:
        return {}
    items = []
    for it in s.items:
        row: dict[str, Any] = {"item": it.item, "text": it.text, "n_valid": it.n_valid, "n_missing": it.n_missing}
        row.update({f"count_{c}": it.counts[c] for c in "12345"})
        if it.top2 is None or it.net is None:  # suppressed (n below min_n_report): printed as "–"
            row.update({k: "–" for k in ("top2_share", "top2_lo", "top2_hi", "net_score", "net_lo", "net_hi")})
        else:
            row.update({"top2_share": it.top2.estimate, "top2_lo": it.top2.lo, "top2_hi": it.top2.hi,
                        "net_score": it.net.estimate, "net_lo": it.net.lo, "net_hi": it.net.hi})
        row.update({"fpc": it.fpc, "n_eff": it.n_eff, "flags": ";".join(it.flags)})
        items.append(row)
    groups = sorted({g for rr in s.response_rates for g in rr.groups})
    rates = [{"organisation": rr.organisation, **{g: rr.groups.get(g, "") for g in groups}, "invited": rr.invited,
              "respondents": rr.respondents, "response_rate": rr.response_rate, "flags": ";".join(rr.flags)}
             for rr in [*s.response_rates, *s.group_rates]]
    diffs = [{"item": d.item, "by": d.by, "group_a": d.group_a, "group_b": d.group_b, "n_a": d.n_a, "n_b": d.n_b,
              "share_a": d.share_a, "share_b": d.share_b, "diff": d.diff.estimate if d.diff else None,
              "ci_lo": d.diff.lo if d.diff else None, "ci_hi": d.diff.hi if d.diff else None,
              "net_diff": d.net_diff.estimate if d.net_diff else None,
              "net_ci_lo": d.net_diff.lo if d.net_diff else None, "net_ci_hi": d.net_diff.hi if d.net_diff else None,
              "resamples": d.resamples, "seed": d.seed, "flags": ";".join(d.flags)} for d in s.differences]
    return {"survey_items": items, "survey_response_rates": rates, "survey_group_differences": diffs}


def _interview_tables(r: Results) -> dict[str, list[dict[str, Any]]]:
    iv = r.interviews
    if iv is None:
        return {}
    matrix = []
    for code, label in iv.codes:
        row: dict[str, Any] = {"code": code, "label": label}
        row.update({a: iv.matrix[code][a] for a in iv.activities})
        row.update({"total": sum(iv.matrix[code].values()), "interviews": iv.coverage[code],
                    "coverage": iv.coverage[code] / iv.n_interviews if iv.n_interviews else None})
        matrix.append(row)
    agreement = [{"scope": a.scope, "n_excerpts": a.n_excerpts, "p_o": a.p_o, "p_e": a.p_e, "kappa": a.kappa,
                  "label": a.label} for a in iv.agreement]
    return {"interview_theme_activity": matrix, "interview_agreement": agreement}


def to_json(r: Results) -> str:
    t = tables(r)
    doc = {
        "meta": r.meta,
        "programme": {"id": r.plan.settings.id, "name": r.plan.settings.name, "summary": t["programme_summary"],
                      "headline_scenario": r.headline, "scopes": {k: _plain(v) for k, v in r.central.scopes.items()}},
        "activities": t["activities"],
        "scenarios": {sid: {"description": sc.description, "scopes": _plain(sc.scopes)} for sid, sc in
                      r.scenarios.items()},
        "cashflows": t["cashflows"],
        "who_pays_who_benefits": t["who_pays_who_benefits"],
        "switching_values": t["switching_values"],
        "monte_carlo": None if r.monte_carlo is None else {
            "scenario": r.monte_carlo.scenario, "draws": r.monte_carlo.draws, "seed": r.monte_carlo.seed,
            "parameters": r.monte_carlo.parameters, "summaries": _plain(r.monte_carlo.summaries)},
        "tornado": t["tornado"],
        "parameter_log": {"parameters": r.parameter_log, "tables": r.table_log},
        "survey": _survey_json(r),
        "interviews": None if r.interviews is None else _plain(
            {k: v for k, v in dataclasses.asdict(r.interviews).items() if k != "warnings"}),
        "warnings": [dataclasses.asdict(w) for w in r.warnings],
    }
    return json.dumps(_plain(doc), sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False)


def _survey_json(r: Results) -> Any:
    if r.survey is None:
        return None
    doc = _plain({k: v for k, v in dataclasses.asdict(r.survey).items() if k != "warnings"})
    for item in doc["items"]:
        item["suppressed"] = "suppressed" in item["flags"]
        if item["suppressed"]:
            for k in ("top2", "net", "fpc", "n_eff"):
                item.pop(k, None)
    return doc


def _csv_cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        places = 2 if column in MONEY_COLUMNS or column.startswith("pv_paid_") else 6
        return f"{round_half_away(value, places):.{places}f}"
    text = str(value)
    # A text cell that a spreadsheet would run as a formula is neutralised on the way out too.
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


def to_csv(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(c, row.get(c)) for c in columns])
    return buf.getvalue()
