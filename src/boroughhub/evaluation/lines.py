"""Cost lines, core allocation, counterfactuals and benefits: spec §3.5–§3.8 into plan objects."""

from __future__ import annotations

from typing import Any

from boroughhub.evaluation import plan as p
from boroughhub.evaluation import spec as s
from boroughhub.evaluation.checks import (
    ANY,
    FRACTION,
    NONNEG,
    Context,
    amount,
    line_basis,
    parse_year,
    year_map,
)
from boroughhub.evaluation.tables import OptimismBiasTable, Table, UnitValues

MONEY_FIELDS = {
    "cost": ("amount_by_year", "unit_amount"),
    "market_price": ("unit_price",),
    "avoided_transactions": ("unit_cost",),
    "avoided_loss": ("loss",),
    "unit_cost_lookup": (),
    "benefit": ("gross_by_year",),
}
KIND_FIELDS = {
    "market_price": ({"quantity_by_year", "unit_price"}, {"rate"}),
    "avoided_transactions": ({"year", "parties", "shape", "unit_cost"}, {"purposes", "uptake"}),
    "avoided_loss": ({"events_by_year", "probability", "loss"}, set()),
    "unit_cost_lookup": ({"quantity_by_year", "unit_value"}, set()),
}
ALL_KIND_FIELDS = set().union(*(r | o for r, o in KIND_FIELDS.values()))


def _has_literal(values: list[Any]) -> bool:
    for v in values:
        if isinstance(v, dict):
            if _has_literal(list(v.values())):
                return True
        elif isinstance(v, float):
            return True
    return False


def cost_line(ctx: Context, c: s.CostLine, path: str, orgs: set[str], activities: set[str],
              tables: dict[str, Table], default_ob: str) -> p.CostLine | None:
    issues = ctx.issues
    ok = True
    if (c.pool is None) == (c.activity is None):
        issues.error("cost_target_ambiguous", path, f"cost line {c.id} needs exactly one of pool and activity")
        ok = False
    if c.activity is not None and c.activity not in activities and c.activity != "programme":
        issues.error("unknown_reference", f"{path}.activity", f"activity {c.activity!r} is not defined", c.activity)
        ok = False
    if c.funder not in orgs:
        issues.error("unknown_reference", f"{path}.funder", f"organisation {c.funder!r} is not defined", c.funder)
        ok = False
    amount_form = c.amount_by_year is not None
    quantity_form = c.quantity_by_year is not None or c.unit_amount is not None
    if amount_form == quantity_form or (quantity_form and (c.quantity_by_year is None or c.unit_amount is None)):
        issues.error("schema_error", path, "give either amount_by_year, or quantity_by_year with unit_amount")
        return None
    basis = line_basis(ctx, c, _has_literal([c.amount_by_year, c.unit_amount]), path)
    money_domain = ANY if c.allow_negative else NONNEG
    amounts = quantities = None
    unit = None
    if amount_form:
        amounts = year_map(ctx, c.amount_by_year, f"{path}.amount_by_year", domain=money_domain,
                           line_basis=basis, money=True, used_by=f"cost {c.id}")
    else:
        quantities = year_map(ctx, c.quantity_by_year, f"{path}.quantity_by_year", domain=money_domain,
                              used_by=f"cost {c.id}")
        unit = amount(ctx, c.unit_amount, f"{path}.unit_amount", domain=money_domain, line_basis=basis,
                      money=True, flow=True, used_by=f"cost {c.id}")
        for yi in quantities:
            if unit is not None:
                ctx.need_deflator(unit.money, ctx.start + yi, f"{path}.unit_amount")
    uplift = mitigation = None
    ob = c.optimism_bias
    if ob is not None and c.status == "outturn":
        issues.warning("optimism_bias_on_outturn", f"{path}.optimism_bias",
                       f"cost line {c.id} is outturn: its optimism bias block is ignored")
    elif ob is not None:
        mitigation = amount(ctx, ob.mitigation, f"{path}.optimism_bias.mitigation", domain=FRACTION,
                            used_by=f"cost {c.id} (optimism bias)")
        uplift = _ob_uplift(ctx, ob, f"{path}.optimism_bias", tables, default_ob, c.id)
        ok = ok and uplift is not None and mitigation is not None
    target = "core" if c.pool == "core" else str(c.activity)
    if not ok or (basis is None and _has_literal([c.amount_by_year, c.unit_amount])):
        return None
    return p.CostLine(c.id, c.funder, target, c.status, amounts, quantities, unit, uplift, mitigation,
                      c.source, c.note)


def _ob_uplift(ctx: Context, ob: s.OptimismBias, path: str, tables: dict[str, Table], default_table: str,
               line: str) -> p.Amount | None:
    if ob.uplift is not None:
        return amount(ctx, ob.uplift, f"{path}.uplift", domain=NONNEG, used_by=f"cost {line} (optimism bias)")
    table_id = ob.table or default_table
    table = tables.get(table_id)
    if not isinstance(table, OptimismBiasTable):
        ctx.issues.error("unknown_reference", f"{path}.table", f"optimism bias table {table_id!r} is not defined",
                         table_id)
        return None
    if ob.measure not in ("capex", "opex"):
        ctx.issues.error("optimism_bias_measure_invalid", f"{path}.measure",
                         "optimism bias measure must be capex or opex", ob.measure)
        return None
    cell = table.categories.get(ob.category or "", {}).get(ob.measure)
    if cell is None:
        ctx.issues.error("unknown_reference", f"{path}.category",
                         f"table {table_id} has no {ob.measure} uplift for category {ob.category!r}", ob.category)
        return None
    return p.Amount(cell)


def allocations(ctx: Context, raw: list[s.CoreAllocation | None], activities: set[str]) -> dict[str, dict[int, list[p.Amount]]]:
    out: dict[str, dict[int, list[p.Amount]]] = {}
    for i, a in enumerate(raw):
        if a is None:
            continue
        path = f"core_allocation[{i}]"
        if a.activity not in activities:
            ctx.issues.error("unknown_reference", f"{path}.activity", f"activity {a.activity!r} is not defined",
                             a.activity)
            continue
        shares = year_map(ctx, a.share_by_year, f"{path}.share_by_year", domain=FRACTION,
                          used_by=f"core allocation {a.activity}")
        for yi, amt in shares.items():
            out.setdefault(a.activity, {}).setdefault(yi, []).append(amt)
    return out


def counterfactual(ctx: Context, cf: s.Counterfactual, path: str, activities: set[str],
                   tables: dict[str, Table]) -> p.Counterfactual | None:
    issues = ctx.issues
    required, optional = KIND_FIELDS[cf.kind]
    ok = True
    for f in sorted(required):
        if getattr(cf, f) is None:
            issues.error("schema_error", f"{path}.{f}", f"{f} is required for kind {cf.kind}")
            ok = False
    for f in sorted(ALL_KIND_FIELDS - required - optional):
        if getattr(cf, f) is not None:
            issues.error("schema_error", f"{path}.{f}", f"{f} is not a field of kind {cf.kind}")
            ok = False
    if cf.activity is not None and cf.activity not in activities and cf.activity != "programme":
        issues.error("unknown_reference", f"{path}.activity", f"activity {cf.activity!r} is not defined", cf.activity)
    if not ok:
        return None
    money = [getattr(cf, f) for f in MONEY_FIELDS[cf.kind]]
    basis = line_basis(ctx, cf, _has_literal(money), path)
    if basis is None and _has_literal(money):
        return None
    use = f"counterfactual {cf.id}"
    if cf.kind in ("market_price", "unit_cost_lookup", "avoided_loss"):
        qfield = "events_by_year" if cf.kind == "avoided_loss" else "quantity_by_year"
        quantities = year_map(ctx, getattr(cf, qfield), f"{path}.{qfield}", domain=NONNEG, used_by=use)
        years = [ctx.start + yi for yi in quantities]
        if cf.kind == "market_price":
            factors = [_flow_money(ctx, cf.unit_price, f"{path}.unit_price", basis, years, use),
                       amount(ctx, cf.rate if cf.rate is not None else 1.0, f"{path}.rate", domain=NONNEG,
                              used_by=use)]
        elif cf.kind == "avoided_loss":
            factors = [amount(ctx, cf.probability, f"{path}.probability", domain=FRACTION, used_by=use),
                       _flow_money(ctx, cf.loss, f"{path}.loss", basis, years, use)]
        else:
            factors = [_unit_value(ctx, cf, path, tables, years)]
        if any(f is None for f in factors):
            return None
        return p.Counterfactual(cf.id, cf.kind, cf.activity, quantities, tuple(f for f in factors if f),
                                unit_value_code=cf.unit_value.code if cf.unit_value else None)
    # avoided_transactions
    y = parse_year(ctx, cf.year, f"{path}.year", flow=True)
    parties = _parties(ctx, cf.parties, f"{path}.parties", use)
    factors = [amount(ctx, cf.purposes if cf.purposes is not None else 1.0, f"{path}.purposes", domain=NONNEG,
                      used_by=use),
               amount(ctx, cf.uptake if cf.uptake is not None else 1.0, f"{path}.uptake", domain=FRACTION,
                      used_by=use),
               _flow_money(ctx, cf.unit_cost, f"{path}.unit_cost", basis, [] if y is None else [y], use)]
    if y is None or parties is None or any(f is None for f in factors):
        return None
    return p.Counterfactual(cf.id, cf.kind, cf.activity, {y - ctx.start: p.Amount(1.0)},
                            tuple(f for f in factors if f), parties=parties, shape=cf.shape)


def _flow_money(ctx: Context, raw: float | str | None, path: str, basis: p.Basis | None, years: list[int],
                use: str) -> p.Amount | None:
    a = amount(ctx, raw, path, domain=NONNEG, line_basis=basis, money=True, flow=True, used_by=use)
    for y in years:
        if a is not None:
            ctx.need_deflator(a.money, y, path)
    return a


def _parties(ctx: Context, raw: float | str | None, path: str, use: str) -> p.Amount | None:
    a = amount(ctx, raw, path, domain=(2.0, float("inf")), used_by=use)
    if a is None:
        return None
    if a.param is not None:
        param = ctx.params[a.param]
        if param.distribution is not None:
            ctx.issues.error("distribution_not_allowed", f"parameters.{a.param}.distribution",
                             f"parties is a structural integer: {a.param} must not have a distribution")
            return None
    if a.const != int(a.const) or a.const < 2:
        ctx.issues.error("schema_error", path, "parties must be an integer of at least 2", a.const)
        return None
    return a


def _unit_value(ctx: Context, cf: s.Counterfactual, path: str, tables: dict[str, Table],
                years: list[int]) -> p.Amount | None:
    ref = cf.unit_value
    assert ref is not None
    table = tables.get(ref.table)
    if not isinstance(table, UnitValues):
        ctx.issues.error("unknown_reference", f"{path}.unit_value.table", f"unit value table {ref.table!r} is not defined",
                         ref.table)
        return None
    entry = table.entries.get(ref.code)
    if entry is None:
        ctx.issues.error("unknown_reference", f"{path}.unit_value.code", f"table {ref.table} has no entry {ref.code!r}",
                         ref.code)
        return None
    basis = p.Basis(nominal=True, price_year=entry.price_year)
    ctx.need_deflator(basis, None, f"{path}.unit_value")
    return p.Amount(entry.value, None, basis)


def _beneficiaries(ctx: Context, b: s.Benefit, path: str, orgs: dict[str, s.Organisation],
                   use: str) -> tuple[list[tuple[str, p.Amount]], bool]:
    issues = ctx.issues
    shares: list[tuple[str, p.Amount]] = []
    if (b.beneficiary is None) == (b.beneficiaries is None):
        issues.error("schema_error", path, "give exactly one of beneficiary and beneficiaries")
        return shares, False
    if b.beneficiary is not None:
        if b.beneficiary not in orgs:
            issues.error("unknown_reference", f"{path}.beneficiary", f"organisation {b.beneficiary!r} is not defined",
                         b.beneficiary)
            return shares, False
        return [(b.beneficiary, p.Amount(1.0))], True
    ok = True
    for j, bs in enumerate(b.beneficiaries or []):
        if bs.organisation not in orgs:
            issues.error("unknown_reference", f"{path}.beneficiaries[{j}].organisation",
                         f"organisation {bs.organisation!r} is not defined", bs.organisation)
            ok = False
        a = amount(ctx, bs.share, f"{path}.beneficiaries[{j}].share", domain=FRACTION, used_by=use)
        if a is not None:
            shares.append((bs.organisation, a))
        else:
            ok = False
    total = sum(a.const for _, a in shares)
    if ok and abs(total - 1) > 1e-9:
        issues.error("shares_do_not_sum_to_one", f"{path}.beneficiaries",
                     f"beneficiary shares sum to {total:g}, not 1", total)
        ok = False
    return shares, ok


def benefit(ctx: Context, b: s.Benefit, path: str, orgs: dict[str, s.Organisation], activities: set[str],
            counterfactuals: set[str]) -> p.Benefit | None:
    issues = ctx.issues
    ok = True
    use = f"benefit {b.id}"
    if b.activity not in activities and b.activity != "programme":
        issues.error("unknown_reference", f"{path}.activity", f"activity {b.activity!r} is not defined", b.activity)
        ok = False
    shares, shares_ok = _beneficiaries(ctx, b, path, orgs, use)
    ok = ok and shares_ok
    if b.type.endswith("_fiscal"):
        for org, _ in shares:
            if org in orgs and orgs[org].sector != "public":
                issues.warning("fiscal_benefit_to_non_public", f"{path}.type",
                               f"{b.type} benefit {b.id} goes to {org}, which is not a public body")
    gross = None
    if b.monetised and (b.counterfactual is None) == (b.gross_by_year is None):
        issues.error("schema_error", path, "give exactly one of counterfactual and gross_by_year")
        ok = False
    if b.counterfactual is not None and b.counterfactual not in counterfactuals:
        issues.error("unknown_reference", f"{path}.counterfactual",
                     f"counterfactual {b.counterfactual!r} is not defined", b.counterfactual)
        ok = False
    basis = line_basis(ctx, b, _has_literal([b.gross_by_year]), path)
    if b.gross_by_year is not None:
        gross = year_map(ctx, b.gross_by_year, f"{path}.gross_by_year", domain=ANY if b.allow_negative else NONNEG,
                         line_basis=basis, money=True, used_by=use)
    add: dict[str, p.Amount] = {}
    for f in ("deadweight", "displacement", "leakage", "substitution", "attribution", "drop_off", "multiplier"):
        dom = (1e-300, float("inf")) if f == "multiplier" else FRACTION
        a = amount(ctx, getattr(b.additionality, f), f"{path}.additionality.{f}", domain=dom, used_by=use)
        if a is None:
            ok = False
        else:
            add[f] = a
    if "multiplier" in add and add["multiplier"].const > 1:
        issues.warning("multiplier_above_one", f"{path}.additionality.multiplier",
                       f"benefit {b.id} has a multiplier above 1", add["multiplier"].const)
    if not ok:
        return None
    return p.Benefit(b.id, b.activity, b.type, tuple(shares), b.counterfactual, gross, add, b.monetised,
                     b.description or "")
