"""Shared semantic checks used while turning the spec into a plan: ids, years, amounts, parameters."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from boroughhub.evaluation import spec as s
from boroughhub.evaluation.money import YearLabelError, year_value
from boroughhub.evaluation.plan import Amount, Basis, Distribution, Parameter
from boroughhub.evaluation.spec import ID_PATTERN, RESERVED_IDS, IssueCollector

FRACTION = (0.0, 1.0)
NONNEG = (0.0, math.inf)
ANY = (-math.inf, math.inf)


@dataclass
class Context:
    """What the checks need to know about the programme while the rest of the spec is read."""

    issues: IssueCollector
    basis: str
    start: int
    end: int
    year_zero: int
    base_year: int
    compound_pre_zero: bool
    params: dict[str, Parameter]
    used_by: dict[str, list[str]] = field(default_factory=dict)
    needed_deflator_years: dict[int, str] = field(default_factory=dict)  # year -> first path needing it

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))

    def need_deflator(self, basis: Basis | None, year: int | None, path: str) -> None:
        if basis is None or not basis.nominal:
            return
        p = year if basis.flow_year else basis.price_year
        for y in (self.base_year, p):
            if y is not None:
                self.needed_deflator_years.setdefault(y, path)


def check_ids(items: list[Any], section: str, issues: IssueCollector, reserved: bool = True) -> set[str]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item is None:
            continue
        ident = item.id
        path = f"{section}[{i}].id"
        if not ID_PATTERN.match(ident) or (reserved and ident in RESERVED_IDS):
            issues.error("invalid_id", path, f"{ident!r} is not a valid identifier "
                         "(lower-case letters, digits and _, not a reserved word)", ident)
        elif ident in seen:
            issues.error("duplicate_id", path, f"{ident!r} is used twice in {section}", ident)
        seen.add(ident)
    return seen


def parse_year(ctx: Context, label: Any, path: str, flow: bool = False) -> int | None:
    """Numeric year of a label; for flows also checks the appraisal period and year zero."""
    try:
        y = year_value(label, ctx.basis)
    except YearLabelError as exc:
        ctx.issues.error(exc.code, path, str(exc), label)
        return None
    if flow and not ctx.start <= y <= ctx.end:
        ctx.issues.error("year_out_of_range", path, f"year {label} is outside the appraisal period", label)
        return None
    if flow and y < ctx.year_zero and not ctx.compound_pre_zero:
        ctx.issues.error("pre_zero_flow", path, f"year {label} is before year zero "
                         "(set appraisal.pre_zero_flows: compound to allow it)", label)
        return None
    return y


def amount(ctx: Context, raw: float | str | None, path: str, *, domain: tuple[float, float],
           line_basis: Basis | None = None, money: bool = False, flow: bool = False,
           used_by: str = "", year: int | None = None) -> Amount | None:
    """Check one numeric field (literal or ``$parameter``) against its domain and price basis."""
    if raw is None:
        return None
    if isinstance(raw, str):
        pid = raw[1:]
        param = ctx.params.get(pid)
        if param is None:
            ctx.issues.error("unknown_reference", path, f"parameter {pid!r} is not defined", raw)
            return None
        ctx.used_by.setdefault(pid, []).append(used_by or path)
        if money and param.unit != "GBP":
            ctx.issues.error("schema_error", path, f"{path} is money but parameter {pid} has unit {param.unit}", raw)
        if not money and param.unit == "GBP":
            ctx.issues.error("schema_error", path, f"{path} is not money but parameter {pid} is in GBP", raw)
        if param.basis is not None and param.basis.flow_year and not flow:
            ctx.issues.error("flow_year_not_allowed", path,
                             f"parameter {pid} has price_year: flow_year but {path} has no flow year", raw)
        if domain == FRACTION and param.unit != "fraction" and not 0 <= param.value <= 1:
            ctx.issues.error("probability_out_of_range", path, f"{path} must be between 0 and 1", param.value)
        basis = param.basis if money else None
        ctx.need_deflator(basis, year, path)
        return Amount(param.value, pid, basis)
    _in_domain(ctx.issues, raw, domain, path)
    if money:
        ctx.need_deflator(line_basis, year, path)
    return Amount(raw, None, line_basis if money else None)


def _in_domain(issues: IssueCollector, value: float, domain: tuple[float, float], path: str) -> bool:
    lo, hi = domain
    if lo <= value <= hi:
        return True
    if domain == FRACTION:
        issues.error("probability_out_of_range", path, f"{path} must be between 0 and 1 (got {value:g})", value)
    elif value < 0 <= lo:
        issues.error("negative_not_allowed", path, f"{path} must not be negative (got {value:g})", value)
    else:
        issues.error("schema_error", path, f"{path} must be within [{lo:g}, {hi:g}] (got {value:g})", value)
    return False


def year_map(ctx: Context, raw: dict[Any, float | str] | None, path: str, *, domain: tuple[float, float],
             line_basis: Basis | None = None, money: bool = False, used_by: str = "") -> dict[int, Amount]:
    out: dict[int, Amount] = {}
    for label, value in (raw or {}).items():
        p = f"{path}.{label}"
        y = parse_year(ctx, label, p, flow=True)
        a = amount(ctx, value, p, domain=domain, line_basis=line_basis, money=money, flow=True,
                   used_by=used_by, year=y)
        if y is not None and a is not None:
            out[y - ctx.start] = a
    return out


def line_basis(ctx: Context, line: s.PricedLine, literal_money: bool, path: str) -> Basis | None:
    """Price basis of a line's literal money figures (spec §3.1.1)."""
    if not literal_money:
        if line.prices is not None:
            ctx.issues.error("price_basis_conflict", f"{path}.prices",
                             "prices must not be stated on a line whose money figures are all $parameters",
                             line.prices)
        return None
    if line.prices is None:
        ctx.issues.error("schema_error", f"{path}.prices", "prices is required")
        return None
    return price_basis(ctx, line.prices, line.price_year, path)


def price_basis(ctx: Context, prices: str, price_year: Any, path: str) -> Basis | None:
    if prices == "real":
        if price_year is not None:
            y = None if price_year == "flow_year" else parse_year(ctx, price_year, f"{path}.price_year")
            if y != ctx.base_year:
                ctx.issues.error("price_basis_conflict", f"{path}.price_year",
                                 "prices: real must not state a price_year other than the price base year",
                                 price_year)
        return Basis()
    if price_year is None:
        ctx.issues.error("price_year_missing", f"{path}.price_year", "prices: nominal needs a price_year")
        return None
    if price_year == "flow_year":
        return Basis(nominal=True, flow_year=True)
    y = parse_year(ctx, price_year, f"{path}.price_year")
    return None if y is None else Basis(nominal=True, price_year=y)


def parameter(ctx: Context, pid: str, p: s.Parameter, path: str) -> Parameter | None:
    issues = ctx.issues
    domain = FRACTION if p.unit == "fraction" else NONNEG if p.unit in ("GBP", "count") else ANY
    if p.allow_negative and p.unit != "fraction":
        domain = ANY
    if p.domain is not None:
        lo, hi = p.domain
        if lo >= hi:
            issues.error("schema_error", f"{path}.domain", "domain must be [lo, hi] with lo < hi")
        elif lo < domain[0] or hi > domain[1]:
            _in_domain(issues, lo if lo < domain[0] else hi, domain, f"{path}.domain")
        else:
            domain = (lo, hi)
    ok = _in_domain(issues, p.value, domain, f"{path}.value")
    basis: Basis | None = None
    if p.unit == "GBP":
        if p.prices is None:
            issues.error("schema_error", f"{path}.prices", "prices is required")
            ok = False
        else:
            basis = price_basis(ctx, p.prices, p.price_year, path)
            ok = ok and basis is not None
    elif p.prices is not None or p.price_year is not None:
        issues.error("schema_error", f"{path}.prices", "prices and price_year apply only to unit: GBP")
    if p.status == "published":
        for key in ("source", "vintage"):
            if not getattr(p, key):
                issues.error("schema_error", f"{path}.{key}", f"{key} is required for a published parameter")
    dist = distribution(ctx, p.distribution, p.value, domain, p.unit, path) if p.distribution else None
    if not ok:
        return None
    return Parameter(pid, p.value, p.unit, p.status, p.source, p.vintage, p.note, basis, domain, dist,
                     p.prices, None if p.price_year is None else str(p.price_year))


def distribution(ctx: Context, raw: dict[str, Any], central: float, domain: tuple[float, float], unit: str,
                 path: str, value_path: str | None = None) -> Distribution | None:
    issues = ctx.issues
    d = s.parse_item(s.Distribution, raw, tuple(f"{path}.distribution".split(".")), issues)
    if d is None:
        return None
    dpath = f"{path}.distribution"
    required = {"triangular": ("min", "mode", "max"), "pert": ("min", "mode", "max"), "uniform": ("min", "max")}
    dist: Distribution | None = None
    if d.type in required:
        fields = required[d.type]
        if any(getattr(d, f) is None for f in fields):
            issues.error("distribution_invalid", dpath, f"{d.type} needs {', '.join(fields)}")
            return None
        a, b = float(d.min or 0.0), float(d.max or 0.0)
        c = float(d.mode) if d.mode is not None else a
        if d.type == "uniform" and a >= b:
            issues.error("distribution_invalid", dpath, "uniform needs min < max")
        elif d.type != "uniform" and not (a <= c <= b and a < b):
            issues.error("distribution_invalid", dpath, f"{d.type} needs min <= mode <= max and min < max")
        else:
            dist = Distribution(d.type, a=a, c=c, b=b)
    elif d.median is not None and d.p95 is not None:
        if d.median <= 0 or d.p95 <= d.median:
            issues.error("distribution_invalid", dpath, "lognormal needs median > 0 and p95 > median")
        else:
            dist = Distribution("lognormal", mu=math.log(d.median),
                                sigma=(math.log(d.p95) - math.log(d.median)) / 1.6448536269514722)
    elif d.mu is not None and d.sigma is not None:
        if d.sigma <= 0:
            issues.error("distribution_invalid", dpath, "lognormal needs sigma > 0")
        else:
            dist = Distribution("lognormal", mu=d.mu, sigma=d.sigma)
    else:
        issues.error("distribution_invalid", dpath, "lognormal needs median and p95, or mu and sigma")
    if dist is None:
        return None
    lo, hi = dist.support
    if not (lo <= central <= hi) or (dist.type == "lognormal" and central <= 0):
        issues.error("distribution_support", value_path or f"{path}.value",
                     f"the central value {central:g} lies outside the distribution's support", central)
        return None
    if lo < domain[0] or hi > domain[1]:
        code = "probability_out_of_range" if unit == "fraction" else "negative_not_allowed" if lo < 0 else "schema_error"
        issues.error(code, dpath, f"the distribution's support [{lo:g}, {hi:g}] lies outside the parameter's domain")
        return None
    return dist
