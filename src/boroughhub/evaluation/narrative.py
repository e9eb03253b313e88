"""Words for the report: each counterfactual and cost stated in prose, with assumed inputs marked (A)."""

from __future__ import annotations

from markupsafe import Markup, escape

from boroughhub.evaluation.plan import Amount, Counterfactual, Plan
from boroughhub.evaluation.tables import UnitValues


def _number(x: float, money: bool) -> str:
    if money:
        return f"£{x:,.2f}".replace(".00", "")
    return f"{x:,.0f}" if x == int(x) and abs(x) >= 1 else f"{x:g}"


def amount_text(plan: Plan, a: Amount, money: bool = False, percent: bool = False) -> Markup:
    """A value with its status: "(A)" for assumed, a source link for published inputs."""
    value = a.const
    text = f"{value:.0%}" if percent and value * 100 == int(value * 100) else \
        f"{value:.1%}" if percent else _number(value, money)
    if a.param is None:
        return Markup("{} <span class='marker'>(A, in the spec)</span>").format(text)
    p = plan.parameters[a.param]
    if p.status == "published" and p.source:
        return Markup("{} <span class='marker'>(P: <a href='{}'>source</a>, {})</span>").format(
            text, p.source, p.vintage or "")
    return Markup("{} <span class='marker'>({})</span>").format(text, "A" if p.status == "assumed" else "derived")


def years_text(plan: Plan, quantities: dict[int, Amount]) -> str:
    labels = [plan.label(yi) for yi in sorted(quantities)]
    return labels[0] if len(labels) == 1 else f"{labels[0]}–{labels[-1]}"


def counterfactual_text(plan: Plan, cf: Counterfactual) -> Markup:
    q = next(iter(cf.quantities.values())) if cf.quantities else Amount(0.0)
    when = years_text(plan, cf.quantities)
    if cf.kind == "market_price":
        price, rate = cf.factors
        return Markup("Without the activity the same {} units a year ({}) would have been bought at market rates: "
                      "a unit price of {} × a rate of {}.").format(
            amount_text(plan, q), when, amount_text(plan, price, money=True), amount_text(plan, rate, percent=True))
    if cf.kind == "avoided_transactions":
        purposes, uptake, cost = cf.factors
        parties = cf.parties or Amount(0.0)
        shape = ("every pair of parties would have needed its own agreement (n(n − 1)/2)"
                 if cf.shape == "all_pairs" else "one central party would have needed an agreement with each other party")
        return Markup("Without the activity, with {} parties, {}, for {} purpose(s), with uptake {}, each agreement "
                      "costing {} ({}).").format(amount_text(plan, parties), shape, amount_text(plan, purposes),
                                                 amount_text(plan, uptake, percent=True),
                                                 amount_text(plan, cost, money=True), when)
    if cf.kind == "avoided_loss":
        prob, loss = cf.factors
        return Markup("Expected loss avoided: {} event(s) ({}) × probability {} that the activity prevented it × a "
                      "loss of {}.").format(amount_text(plan, q), when, amount_text(plan, prob, percent=True),
                                            amount_text(plan, loss, money=True))
    unit = cf.factors[0]
    entry = _unit_value_entry(plan, cf)
    label = escape(entry) if entry else "unit value"
    return Markup("{} units ({}) valued at {} each ({}, {} prices, A).").format(
        amount_text(plan, q), when, _number(unit.const, True), label,
        plan.label(plan.years.index(unit.money.price_year)) if unit.money and unit.money.price_year in plan.years
        else (unit.money.price_year if unit.money else ""))


def _unit_value_entry(plan: Plan, cf: Counterfactual) -> str | None:
    for t in plan.tables.values():
        if isinstance(t, UnitValues) and cf.unit_value_code in t.entries:
            return t.entries[cf.unit_value_code].description
    return None


def additionality_text(plan: Plan, add: dict[str, Amount]) -> Markup:
    parts = []
    defaults = {"deadweight": 0.0, "displacement": 0.0, "leakage": 0.0, "substitution": 0.0, "attribution": 1.0,
                "multiplier": 1.0, "drop_off": 0.0}
    for k, default in defaults.items():
        a = add.get(k)
        if a is not None and (a.param is not None or a.const != default):
            parts.append(Markup("{} {}").format(k.replace("_", "-"), amount_text(plan, a, percent=k != "multiplier")))
    return Markup("; ").join(parts) if parts else Markup("none (all outcomes credited to the activity)")
