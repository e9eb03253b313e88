"""``load_spec``: read a spec and its CSV files, check everything, and build the plan (spec §4).

All errors are collected before anything is computed; any error raises
:class:`~boroughhub.evaluation.spec.SpecValidationError` with the whole report.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

import yaml

from boroughhub.evaluation import checks, lines, tables
from boroughhub.evaluation import plan as p
from boroughhub.evaluation import spec as s
from boroughhub.evaluation.interviews import read_interviews
from boroughhub.evaluation.money import discount_factors
from boroughhub.evaluation.survey_input import read_survey


def load_spec(path: str | Path) -> p.Plan:
    """Parse and validate a spec file and its CSVs into a plan, or raise ``SpecValidationError``."""
    path = Path(path)
    report = s.SpecReport()
    issues = s.IssueCollector(report, path.name)
    try:
        text = path.read_bytes()
        # The C loader is the same safe loader, about twenty times faster than the Python one.
        raw = yaml.load(text.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        issues.error("schema_error", "", f"cannot read the spec file: {exc}")
        raise s.SpecValidationError(report) from None
    plan = build_plan(raw, path, hashlib.sha256(text).hexdigest(), report)
    if report.errors or plan is None:
        raise s.SpecValidationError(report)
    return plan


def build_plan(raw: Any, path: Path, sha: str, report: s.SpecReport) -> p.Plan | None:
    issues = s.IssueCollector(report, path.name)
    sections = _parse_sections(raw, issues)
    if sections is None:
        return None
    prog: s.Programme | None = sections["programme"]
    if prog is None:
        return None
    ctx = _context(prog, issues)
    if ctx is None:
        return None

    # Parameters first: everything else may refer to them.
    _parameters(ctx, sections["parameters"], issues)
    tabs = _spec_tables(sections["parameter_tables"], ctx.basis, issues)
    chosen = _programme_tables(prog, tabs, issues)
    orgs_list = sections["organisations"]
    orgs = _organisations(ctx, orgs_list)
    acts = _activities(sections["activities"], chosen[2], issues)

    cost_lines: list[p.CostLine] = []
    checks.check_ids(sections["costs"], "costs", issues)
    for i, c in enumerate(sections["costs"]):
        if c is not None:
            line = lines.cost_line(ctx, c, f"costs[{i}]", set(orgs), set(acts), tabs, prog.tables.optimism_bias)
            if line is not None:
                cost_lines.append(line)
    alloc = lines.allocations(ctx, sections["core_allocation"], set(acts))
    checks.check_ids(sections["counterfactuals"], "counterfactuals", issues)
    cfs: dict[str, p.Counterfactual] = {}
    for i, cf in enumerate(sections["counterfactuals"]):
        if cf is not None:
            built_cf = lines.counterfactual(ctx, cf, f"counterfactuals[{i}]", set(acts), tabs)
            if built_cf is not None:
                cfs[cf.id] = built_cf
    cf_ids = {cf.id for cf in sections["counterfactuals"] if cf is not None}
    checks.check_ids(sections["benefits"], "benefits", issues)
    org_models = {o.id: o for o in orgs_list if o is not None}
    bens = [b for i, bm in enumerate(sections["benefits"]) if bm is not None
            and (b := lines.benefit(ctx, bm, f"benefits[{i}]", org_models, set(acts), cf_ids)) is not None]

    scenarios = _scenarios(ctx, sections["scenarios"])
    _check_allocation_sums(ctx, alloc, scenarios)
    _programme_settings(ctx, prog, scenarios)
    deflator = chosen[0]
    _check_deflator(ctx, prog, deflator, issues)

    survey = read_survey(sections["survey"], path.parent, report, path.name) if sections["survey"] else None
    interviews = read_interviews(sections["interviews"], path.parent, report, set(acts), path.name) \
        if sections["interviews"] else None
    if report.errors:
        return None
    ts = [y - ctx.year_zero for y in ctx.years]
    discount = chosen[3]
    plan = p.Plan(
        spec_file=path, spec_sha256=sha, file_sha256=_csv_hashes(sections, path.parent), settings=prog,
        basis=ctx.basis, base_year=ctx.base_year, years=ctx.years, year_zero=ctx.year_zero, discount=discount,
        deflator=deflator, vfm_bands=chosen[1], evidence_scale=chosen[2], tables=tabs,
        used_tables=sorted({prog.tables.discount, prog.tables.vfm_bands, prog.tables.evidence_scale,
                            *([prog.tables.deflator] if prog.tables.deflator else []),
                            *(k for k, t in tabs.items() if isinstance(t, tables.UnitValues)),
                            *([prog.tables.optimism_bias] if any(c.ob_uplift for c in cost_lines) else [])}),
        organisations=orgs, activities=acts, costs=cost_lines, allocations=alloc, counterfactuals=cfs,
        benefits=bens, parameters=ctx.params, scenarios=scenarios, used_by=ctx.used_by,
        warnings=list(report.warnings), survey=survey, interviews=interviews,
        df=discount_factors(discount.rate, ts, ctx.compound_pre_zero))
    return plan


def _parse_sections(raw: Any, issues: s.IssueCollector) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        issues.error("schema_error", "", "the spec must be a YAML mapping")
        return None
    for key in sorted(set(raw) - s.TOP_LEVEL, key=str):
        issues.error("schema_error", str(key), f"unknown field {key!r}")
    if str(raw.get("schema_version")) != "1.0":
        issues.error("schema_error", "schema_version", "schema_version must be \"1.0\"", raw.get("schema_version"))
    sections: dict[str, Any] = {"parameters": raw.get("parameters") or {}}
    for name, (model, is_list) in s.SECTIONS.items():
        value = raw.get(name)
        if value is None:
            sections[name] = [] if is_list else None
            if name == "programme":
                issues.error("schema_error", name, "programme is required")
        elif is_list and not isinstance(value, list):
            issues.error("schema_error", name, f"{name} must be a list")
            sections[name] = []
        elif is_list:
            sections[name] = [s.parse_item(model, item, (name, i), issues) for i, item in enumerate(value)]
        else:
            sections[name] = s.parse_item(model, value, (name,), issues)
    return sections


def _parameters(ctx: checks.Context, raw_params: Any, issues: s.IssueCollector) -> None:
    if not isinstance(raw_params, dict):
        issues.error("schema_error", "parameters", "parameters must be a mapping")
        return
    for pid, body in raw_params.items():
        ppath = f"parameters.{pid}"
        if not isinstance(pid, str) or not s.ID_PATTERN.match(pid) or pid in s.RESERVED_IDS:
            issues.error("invalid_id", ppath, f"{pid!r} is not a valid identifier", pid)
            continue
        model = s.parse_item(s.Parameter, body, ("parameters", pid), issues)
        param = checks.parameter(ctx, pid, model, ppath) if model is not None else None
        if param is not None:
            ctx.params[pid] = param
        elif model is not None:
            # Keep a placeholder so references to a broken parameter are not also "unknown".
            ctx.params[pid] = p.Parameter(pid, model.value, model.unit, model.status, None, None, None,
                                          None, checks.ANY, None)


def _spec_tables(raw: list[s.ParameterTable | None], basis: str, issues: s.IssueCollector) -> dict[str, tables.Table]:
    tabs = tables.builtin_tables()
    builtin = set(tabs)
    for i, t in enumerate(raw):
        if t is None:
            continue
        tpath = f"parameter_tables[{i}]"
        if t.id in tabs:
            issues.error("duplicate_id", f"{tpath}.id", f"table id {t.id!r} is already used"
                         + (" by a built-in table" if t.id in builtin else ""), t.id)
            continue
        built = tables.build_table(t, tpath, basis, issues)
        if built is not None:
            tabs[t.id] = built
    return tabs


def _organisations(ctx: checks.Context, raw: list[s.Organisation | None]) -> dict[str, p.Organisation]:
    checks.check_ids(raw, "organisations", ctx.issues)
    orgs: dict[str, p.Organisation] = {}
    for i, o in enumerate(raw):
        if o is not None:
            income = checks.amount(ctx, o.income, f"organisations[{i}].income", domain=(1e-300, math.inf),
                                   line_basis=p.REAL, money=True, used_by=f"organisation {o.id} (income)")
            orgs[o.id] = p.Organisation(o.id, o.name, o.sector, income)
    return orgs


def _context(prog: s.Programme, issues: s.IssueCollector) -> checks.Context | None:
    ctx = checks.Context(issues, prog.year_basis, 0, 0, 0, 0, prog.appraisal.pre_zero_flows == "compound", {})
    start = checks.parse_year(ctx, prog.appraisal.start_year, "programme.appraisal.start_year")
    end = checks.parse_year(ctx, prog.appraisal.end_year, "programme.appraisal.end_year")
    base = checks.parse_year(ctx, prog.price_base_year, "programme.price_base_year")
    zero = start if prog.appraisal.year_zero is None else checks.parse_year(
        ctx, prog.appraisal.year_zero, "programme.appraisal.year_zero")
    if start is None or end is None or base is None or zero is None:
        return None
    if end < start:
        issues.error("schema_error", "programme.appraisal.end_year", "end_year is before start_year")
        return None
    ctx.start, ctx.end, ctx.base_year, ctx.year_zero = start, end, base, zero
    return ctx


def _programme_tables(prog: s.Programme, tabs: dict[str, tables.Table], issues: s.IssueCollector) -> tuple[
        tables.Deflator | None, tables.VfmBands, tables.EvidenceScale, tables.DiscountSchedule]:
    builtin = tables.builtin_tables()
    wanted: list[tuple[str, str | None, type, tables.Table | None]] = [
        ("deflator", prog.tables.deflator, tables.Deflator, None),
        ("vfm_bands", prog.tables.vfm_bands, tables.VfmBands, builtin["dft_vfm_bands"]),
        ("evidence_scale", prog.tables.evidence_scale, tables.EvidenceScale, builtin["boroughhub_evidence_abcd"]),
        ("discount", prog.tables.discount, tables.DiscountSchedule, builtin["green_book_2022_stpr_standard"]),
    ]
    chosen: list[Any] = []
    for key, table_id, kind, fallback in wanted:
        table = tabs.get(table_id) if table_id else None
        if table_id is not None and not isinstance(table, kind):
            issues.error("unknown_reference", f"programme.tables.{key}", f"table {table_id!r} is not defined "
                         f"as a {kind.__name__}", table_id)
            table = fallback
        chosen.append(table)
    return chosen[0], chosen[1], chosen[2], chosen[3]


def _activities(raw: list[s.Activity | None], scale: tables.EvidenceScale,
                issues: s.IssueCollector) -> dict[str, p.Activity]:
    checks.check_ids(raw, "activities", issues)
    acts: dict[str, p.Activity] = {}
    for i, a in enumerate(raw):
        if a is None:
            continue
        grade = str(a.evidence_grade)
        if grade not in scale.grades:
            issues.error("unknown_reference", f"activities[{i}].evidence_grade",
                         f"grade {grade!r} is not in the evidence scale {scale.info.id}", grade)
            continue
        indicative = scale.grades[grade][1]
        if indicative:
            issues.warning("indicative_evidence", f"activities[{i}].evidence_grade",
                           f"{a.name}: grade {grade} is indicative (break-even / illustrative)")
        acts[a.id] = p.Activity(a.id, a.name, grade, indicative, (a.description or "").strip(), a.logic_model)
    return acts


def _scenarios(ctx: checks.Context, raw: list[s.Scenario | None]) -> dict[str, p.Scenario]:
    checks.check_ids(raw, "scenarios", ctx.issues)
    out: dict[str, p.Scenario] = {}
    for i, sc in enumerate(raw):
        if sc is None:
            continue
        values: dict[str, float] = {}
        dists: dict[str, p.Distribution | None] = {}
        for pid, ov in sc.overrides.items():
            opath = f"scenarios[{i}].overrides.{pid}"
            param = ctx.params.get(pid)
            if param is None:
                ctx.issues.error("unknown_reference", opath, f"parameter {pid!r} is not defined", pid)
                continue
            body = ov if isinstance(ov, dict) else {"value": ov}
            extra = set(body) - {"value", "distribution"}
            value = body.get("value")
            if extra or isinstance(value, bool) or not isinstance(value, int | float):
                ctx.issues.error("schema_error", opath, "an override is a number or {value, distribution}", ov)
                continue
            vpath = f"{opath}.value" if isinstance(ov, dict) else opath
            if not checks._in_domain(ctx.issues, float(value), param.domain, vpath):
                continue
            values[pid] = float(value)
            if "distribution" in body:
                dists[pid] = checks.distribution(ctx, body["distribution"], float(value), param.domain,
                                                 param.unit, opath, vpath)
        out[sc.id] = p.Scenario(sc.id, sc.description or "", values, dists, frozenset(sc.overrides))
    return out


def _check_allocation_sums(ctx: checks.Context, alloc: dict[str, dict[int, list[p.Amount]]],
                           scenarios: dict[str, p.Scenario]) -> None:
    used = {a.param for by in alloc.values() for amounts in by.values() for a in amounts if a.param}
    for name, overrides in [("central", {}), *((k, sc.values) for k, sc in scenarios.items())]:
        if name != "central" and not used & set(overrides):
            continue  # the scenario does not change any allocation share
        values = {k: q.value for k, q in ctx.params.items()} | overrides
        for yi in range(len(ctx.years)):
            total = sum(values[a.param] if a.param else a.const for by in alloc.values() for a in by.get(yi, []))
            if total > 1 + 1e-9:
                where = "" if name == "central" else f" in scenario {name}"
                ctx.issues.error("allocation_exceeds_pool", "core_allocation",
                                 f"core allocation shares for {ctx.years[yi]} sum to {total:g} (> 1){where}", total)


def _programme_settings(ctx: checks.Context, prog: s.Programme, scenarios: dict[str, p.Scenario]) -> None:
    issues = ctx.issues
    mc = prog.monte_carlo
    if mc.scenario != "central" and mc.scenario not in scenarios:
        issues.error("unknown_reference", "programme.monte_carlo.scenario", f"scenario {mc.scenario!r} is not defined",
                     mc.scenario)
    if mc.draws < 100:
        issues.error("schema_error", "programme.monte_carlo.draws", "draws must be at least 100", mc.draws)
    has_dist = any(q.distribution for q in ctx.params.values()) or any(
        d for sc in scenarios.values() for d in sc.distributions.values())
    if mc.enabled and has_dist and mc.seed is None:
        issues.error("schema_error", "programme.monte_carlo.seed", "seed is required when Monte Carlo runs")
    for q in ("low_quantile", "high_quantile"):
        checks.amount(ctx, getattr(prog.tornado, q), f"programme.tornado.{q}", domain=checks.FRACTION)
    if isinstance(prog.switching_values, list):
        for i, pid in enumerate(prog.switching_values):
            if pid not in ctx.params:
                issues.error("unknown_reference", f"programme.switching_values[{i}]",
                             f"parameter {pid!r} is not defined", pid)
    dw = prog.distributional_weights
    if dw.enabled:
        checks.amount(ctx, dw.elasticity, "programme.distributional_weights.elasticity", domain=checks.ANY,
                      used_by="distributional weights")
        if dw.reference_income is None:
            issues.error("schema_error", "programme.distributional_weights.reference_income",
                         "reference_income is required when distributional weights are enabled")
        checks.amount(ctx, dw.reference_income, "programme.distributional_weights.reference_income",
                      domain=(1e-300, math.inf), line_basis=p.REAL, money=True, used_by="distributional weights")


def _check_deflator(ctx: checks.Context, prog: s.Programme, deflator: tables.Deflator | None,
                    issues: s.IssueCollector) -> None:
    if not ctx.needed_deflator_years:
        return
    if deflator is None:
        if prog.tables.deflator is None:
            issues.error("schema_error", "programme.tables.deflator",
                         "tables.deflator is required because the spec has nominal money figures")
        return
    for year, where in sorted(ctx.needed_deflator_years.items()):
        if year not in deflator.values:
            issues.error("deflator_missing_year", where, f"the deflator {deflator.info.id} has no value for {year}",
                         year)


def _csv_hashes(sections: dict[str, Any], base: Path) -> dict[str, str]:
    names: list[str] = []
    if sections["survey"] is not None:
        names += [sections["survey"].responses_file, *([sections["survey"].population_file]
                                                       if sections["survey"].population_file else [])]
    if sections["interviews"] is not None:
        names.append(sections["interviews"].excerpts_file)
    return {n: hashlib.sha256((base / n).read_bytes()).hexdigest() for n in names}
