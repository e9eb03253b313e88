"""What is run: the validated plan the engine computes from (spec §3, resolved).

A :class:`Plan` holds only checked values: years are year indices, price bases are resolved,
``$parameter`` references point at declared parameters. It is built by
:func:`boroughhub.evaluation.validate.load_spec`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from boroughhub.evaluation.spec import Programme, SpecIssue
from boroughhub.evaluation.tables import Deflator, DiscountSchedule, EvidenceScale, Table, VfmBands

Z95 = 1.6448536269514722
Values = Mapping[str, NDArray[np.float64]]


@dataclass(frozen=True)
class Basis:
    """Price basis of one money figure: real, nominal in a fixed year, or nominal in the flow year."""

    nominal: bool = False
    price_year: int | None = None
    flow_year: bool = False

    def describe(self, basis: str) -> str:
        from boroughhub.evaluation.money import year_label

        if not self.nominal:
            return "real"
        return "nominal, flow year" if self.flow_year else f"nominal, {year_label(self.price_year or 0, basis)} prices"


REAL = Basis()


@dataclass(frozen=True)
class Amount:
    """A number in the spec: a literal, or a parameter; money carries its price basis."""

    const: float = 0.0
    param: str | None = None
    money: Basis | None = None

    def value(self, values: Values) -> NDArray[np.float64] | float:
        return values[self.param] if self.param is not None else self.const


@dataclass(frozen=True)
class Distribution:
    type: str
    a: float = 0.0
    c: float = 0.0
    b: float = 0.0
    mu: float = 0.0
    sigma: float = 0.0

    @property
    def alpha_beta(self) -> tuple[float, float]:
        return 1 + 4 * (self.c - self.a) / (self.b - self.a), 1 + 4 * (self.b - self.c) / (self.b - self.a)

    @property
    def support(self) -> tuple[float, float]:
        return (0.0, math.inf) if self.type == "lognormal" else (self.a, self.b)

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """The NumPy calls of spec §5.13 step 2, in that form so that streams are comparable."""
        if self.type == "triangular":
            return rng.triangular(self.a, self.c, self.b, n)
        if self.type == "pert":
            al, be = self.alpha_beta
            return self.a + (self.b - self.a) * rng.beta(al, be, n)
        if self.type == "lognormal":
            return rng.lognormal(self.mu, self.sigma, n)
        return rng.uniform(self.a, self.b, n)

    def quantile(self, q: float) -> float:
        a, b, c = self.a, self.b, self.c
        if self.type == "triangular":
            fc = (c - a) / (b - a)
            return a + math.sqrt(q * (b - a) * (c - a)) if q < fc else b - math.sqrt((1 - q) * (b - a) * (b - c))
        if self.type == "pert":
            al, be = self.alpha_beta
            return a + (b - a) * float(stats.beta.ppf(q, al, be))
        if self.type == "lognormal":
            return math.exp(self.mu + self.sigma * float(stats.norm.ppf(q)))
        return a + q * (b - a)

    def describe(self) -> str:
        if self.type == "lognormal":
            return f"lognormal(mu={self.mu:.6g}, sigma={self.sigma:.6g}; median {math.exp(self.mu):,.6g})"
        if self.type == "uniform":
            return f"uniform({self.a:,.6g}, {self.b:,.6g})"
        return f"{self.type}({self.a:,.6g}, {self.c:,.6g}, {self.b:,.6g})"


@dataclass(frozen=True)
class Parameter:
    id: str
    value: float
    unit: str
    status: str
    source: str | None
    vintage: str | None
    note: str | None
    basis: Basis | None
    domain: tuple[float, float]
    distribution: Distribution | None
    prices: str | None = None
    price_year: str | None = None


@dataclass(frozen=True)
class Scenario:
    id: str
    description: str
    values: dict[str, float]
    distributions: dict[str, Distribution | None]
    overridden: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    sector: str
    income: Amount | None


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    grade: str
    indicative: bool
    description: str
    logic_model: dict[str, Any] | None


@dataclass(frozen=True)
class CostLine:
    id: str
    funder: str
    target: str  # "core", an activity id, or "programme"
    status: str
    amounts: dict[int, Amount] | None  # year index -> amount
    quantities: dict[int, Amount] | None
    unit_amount: Amount | None
    ob_uplift: Amount | None
    ob_mitigation: Amount | None
    source: str | None
    note: str | None


@dataclass(frozen=True)
class Counterfactual:
    id: str
    kind: str
    activity: str | None
    quantities: dict[int, Amount]  # year index -> q(y), e(y); for avoided_transactions: {y*: 1}
    factors: tuple[Amount, ...]  # multiplied together (money factors are deflated at the flow year)
    parties: Amount | None = None
    shape: str | None = None
    unit_value_code: str | None = None


@dataclass(frozen=True)
class Benefit:
    id: str
    activity: str
    type: str
    beneficiaries: tuple[tuple[str, Amount], ...]
    counterfactual: str | None
    gross: dict[int, Amount] | None
    additionality: dict[str, Amount]
    monetised: bool
    description: str


@dataclass
class Plan:
    spec_file: Path
    spec_sha256: str
    file_sha256: dict[str, str]
    settings: Programme
    basis: str
    base_year: int
    years: list[int]  # numeric years of the appraisal period, ascending
    year_zero: int
    discount: DiscountSchedule
    deflator: Deflator | None
    vfm_bands: VfmBands
    evidence_scale: EvidenceScale
    tables: dict[str, Table]
    used_tables: list[str]
    organisations: dict[str, Organisation]
    activities: dict[str, Activity]
    costs: list[CostLine]
    allocations: dict[str, dict[int, list[Amount]]]
    counterfactuals: dict[str, Counterfactual]
    benefits: list[Benefit]
    parameters: dict[str, Parameter]
    scenarios: dict[str, Scenario]
    used_by: dict[str, list[str]]
    warnings: list[SpecIssue]
    survey: Any = None  # survey.SurveyInput
    interviews: Any = None  # interviews.InterviewInput
    df: NDArray[np.float64] = field(default_factory=lambda: np.ones(0))

    def label(self, year_index: int) -> str:
        from boroughhub.evaluation.money import year_label

        return year_label(self.years[year_index], self.basis)

    def scenario_values(self, scenario: str) -> dict[str, float]:
        values = {k: p.value for k, p in self.parameters.items()}
        if scenario != "central":
            values.update(self.scenarios[scenario].values)
        return values

    def scenario_distributions(self, scenario: str) -> dict[str, Distribution]:
        dists = {k: p.distribution for k, p in self.parameters.items()}
        if scenario != "central":
            dists.update(self.scenarios[scenario].distributions)
        return {k: d for k, d in sorted(dists.items()) if d is not None}

    def deflate(self, basis: Basis | None, year_index: int) -> float:
        """D(B)/D(p) for a money figure used in the given flow year."""
        if basis is None or not basis.nominal:
            return 1.0
        p = self.years[year_index] if basis.flow_year else basis.price_year
        assert self.deflator is not None and p is not None
        return self.deflator.values[self.base_year] / self.deflator.values[p]
