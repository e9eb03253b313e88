"""What the user writes: pydantic models of the evaluation spec, and the validation report.

The models only check shape (required fields, unknown fields, types). Meaning (references,
domains, years, price bases) is checked in :mod:`boroughhub.evaluation.validate`, which turns
these models into a :class:`~boroughhub.evaluation.plan.Plan`. Every problem found anywhere
is an :class:`SpecIssue`; the engine computes nothing while any error is present (spec §4.1).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
REF_PATTERN = re.compile(r"^\$([a-z][a-z0-9_]{0,62})$")
RESERVED_IDS = frozenset({"programme", "core", "unallocated_core", "central"})


@dataclass(frozen=True)
class SpecIssue:
    """One entry of the SpecReport (spec §4.1)."""

    severity: Literal["error", "warning"]
    code: str
    file: str | None
    path: str | None
    row: int | None
    column: str | None
    value: Any
    message: str

    def location(self) -> str:
        if self.row is not None:
            return f"{self.file}, row {self.row}, column {self.column}"
        return f"{self.file}: {self.path}" if self.path else str(self.file)


@dataclass
class SpecReport:
    issues: list[SpecIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[SpecIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[SpecIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [asdict(i) for i in self.issues]


class SpecValidationError(Exception):
    """Raised by ``load_spec`` when the spec or one of its CSV files has errors."""

    def __init__(self, report: SpecReport) -> None:
        self.report = report
        n = len(report.errors)
        super().__init__(f"{n} validation error{'s' if n != 1 else ''} in the evaluation spec")


class IssueCollector:
    """Collects issues for one file; YAML locations use paths, CSV locations use row/column."""

    def __init__(self, report: SpecReport, file: str) -> None:
        self.report = report
        self.file = file

    def error(self, code: str, path: str, message: str, value: Any = None) -> None:
        self.report.issues.append(SpecIssue("error", code, self.file, path, None, None, _plain(value), message))

    def warning(self, code: str, path: str | None, message: str, value: Any = None) -> None:
        self.report.issues.append(SpecIssue("warning", code, self.file, path, None, None, _plain(value), message))

    def csv_error(self, code: str, file: str, row: int | None, column: str | None, message: str,
                  value: Any = None) -> None:
        self.report.issues.append(SpecIssue("error", code, file, None, row, column, _plain(value), message))


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# --------------------------------------------------------------------------- field types


def _number_or_ref(value: Any) -> float | str:
    if isinstance(value, bool):
        raise ValueError("expected a number or a $parameter reference, got a boolean")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and REF_PATTERN.match(value):
        return value
    raise ValueError(f"expected a number or a $parameter reference, got {value!r}")


def _plain_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {value!r}")
    return float(value)


def _year_key(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"expected a year, got {value!r}")
    return value


#: A number, or ``$parameter_id``.
Num = Annotated[float | str, PlainValidator(_number_or_ref)]
#: A literal number only.
Float = Annotated[float, PlainValidator(_plain_number)]
#: A year label: integer (calendar) or "YYYY/YY" (financial); checked later.
Year = Annotated[int | str, PlainValidator(_year_key)]
YearMap = dict[Year, Num]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Appraisal(Model):
    start_year: Year
    end_year: Year
    year_zero: Year | None = None
    pre_zero_flows: Literal["error", "compound"] = "error"


class Tables(Model):
    discount: str = "green_book_2022_stpr_standard"
    deflator: str | None = None
    vfm_bands: str = "dft_vfm_bands"
    evidence_scale: str = "boroughhub_evidence_abcd"
    optimism_bias: str = "mott_macdonald_2002_upper_bounds"


class DistributionalWeights(Model):
    enabled: bool = False
    elasticity: Num = 1.3
    reference_income: Num | None = None


class MonteCarloSettings(Model):
    draws: int = 10000
    seed: int | None = None
    scenario: str = "central"
    enabled: bool = True


class TornadoSettings(Model):
    low_quantile: Float = 0.10
    high_quantile: Float = 0.90


class Programme(Model):
    id: str
    name: str
    description: str | None = None
    currency: Literal["GBP"] = "GBP"
    year_basis: Literal["calendar", "financial"]
    price_base_year: Year
    appraisal: Appraisal
    perspective: Literal["fiscal", "economic", "social"] = "social"
    bcr_convention: Literal["benefits_gross", "net_fiscal_in_costs"] = "benefits_gross"
    tables: Tables = Tables()
    distributional_weights: DistributionalWeights = DistributionalWeights()
    monte_carlo: MonteCarloSettings = MonteCarloSettings()
    tornado: TornadoSettings = TornadoSettings()
    switching_values: Literal["all_with_distribution", "all"] | list[str] = "all_with_distribution"


class Organisation(Model):
    id: str
    name: str
    sector: Literal["public", "private", "third", "households"]
    income: Num | None = None


class Activity(Model):
    id: str
    name: str
    evidence_grade: str | int
    description: str | None = None
    logic_model: dict[str, str | list[str]] | None = None


class OptimismBias(Model):
    uplift: Num | None = None
    table: str | None = None
    category: str | None = None
    measure: str | None = None
    mitigation: Num = 0.0


class PricedLine(Model):
    prices: Literal["real", "nominal"] | None = None
    price_year: Year | None = None


class CostLine(PricedLine):
    id: str
    funder: str
    pool: Literal["core"] | None = None
    activity: str | None = None
    status: Literal["outturn", "estimate"]
    amount_by_year: YearMap | None = None
    quantity_by_year: YearMap | None = None
    unit_amount: Num | None = None
    optimism_bias: OptimismBias | None = None
    allow_negative: bool = False
    source: str | None = None
    note: str | None = None


class CoreAllocation(Model):
    activity: str
    share_by_year: YearMap


class UnitValueRef(Model):
    table: str
    code: str


class Counterfactual(PricedLine):
    id: str
    kind: Literal["market_price", "avoided_transactions", "avoided_loss", "unit_cost_lookup"]
    activity: str | None = None
    description: str | None = None
    quantity_by_year: YearMap | None = None
    unit_price: Num | None = None
    rate: Num | None = None
    year: Year | None = None
    parties: Num | None = None
    shape: Literal["all_pairs", "hub"] | None = None
    purposes: Num | None = None
    uptake: Num | None = None
    unit_cost: Num | None = None
    events_by_year: YearMap | None = None
    probability: Num | None = None
    loss: Num | None = None
    unit_value: UnitValueRef | None = None


class Additionality(Model):
    deadweight: Num = 0.0
    displacement: Num = 0.0
    leakage: Num = 0.0
    substitution: Num = 0.0
    attribution: Num = 1.0
    multiplier: Num = 1.0
    drop_off: Num = 0.0


class BeneficiaryShare(Model):
    organisation: str
    share: Num


class Benefit(PricedLine):
    id: str
    activity: str
    type: Literal["cashable_fiscal", "non_cashable_fiscal", "economic", "social"]
    beneficiary: str | None = None
    beneficiaries: list[BeneficiaryShare] | None = None
    counterfactual: str | None = None
    gross_by_year: YearMap | None = None
    additionality: Additionality = Additionality()
    monetised: bool = True
    allow_negative: bool = False
    description: str | None = None


class Distribution(BaseModel):
    """Shape checks for distributions are semantic (``distribution_invalid``), so fields are loose."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["triangular", "pert", "lognormal", "uniform"]
    min: Float | None = None
    mode: Float | None = None
    max: Float | None = None
    median: Float | None = None
    p95: Float | None = None
    mu: Float | None = None
    sigma: Float | None = None


class Parameter(Model):
    value: Float
    unit: Literal["GBP", "fraction", "count", "number"]
    prices: Literal["real", "nominal"] | None = None
    price_year: Year | None = None
    status: Literal["published", "assumed", "derived"]
    source: str | None = None
    vintage: str | None = None
    note: str | None = None
    domain: Annotated[list[Float], Field(min_length=2, max_length=2)] | None = None
    allow_negative: bool = False
    distribution: dict[str, Any] | None = None


class Scenario(Model):
    id: str
    description: str | None = None
    overrides: dict[str, Any] = {}


class ParameterTable(BaseModel):
    """Kind-specific content is checked in ``tables.py``; unknown top-level fields are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: str
    kind: Literal["discount_schedule", "gdp_deflator", "optimism_bias", "evidence_scale",
                  "vfm_bands", "unit_values"]
    source: str
    vintage: str
    note: str | None = None
    year_basis: Literal["calendar", "financial"] | None = None
    index_base: str | None = None
    values: dict[Year, Float] | None = None
    bands: list[dict[str, Any]] | None = None
    entries: list[dict[str, Any]] | None = None
    grades: list[dict[str, Any]] | None = None
    categories: dict[str, dict[str, Float | None]] | None = None


class SurveyScale(Model):
    type: Literal["likert5"]
    labels: dict[int, str] | None = None
    missing_codes: list[str] = []


class SurveyItem(Model):
    id: str
    column: str
    text: str


class Bootstrap(Model):
    resamples: int = 10000
    seed: int


class Comparison(Model):
    item: str
    by: str
    groups: Annotated[list[str], Field(min_length=2, max_length=2)]


class Survey(Model):
    responses_file: str
    population_file: str | None = None
    population_total: int | None = None
    respondent_id_column: str
    organisation_column: str
    group_columns: list[str] = []
    scale: SurveyScale
    items: list[SurveyItem]
    confidence: Float = 0.95
    finite_population_correction: bool = True
    small_n_warn: int = 10
    min_n_report: int = 5
    bootstrap: Bootstrap | None = None
    comparisons: list[Comparison] = []


class InterviewMeta(Model):
    id: str
    organisation_type: str
    role: str


class Code(Model):
    id: str
    label: str
    definition: str
    origin: Literal["deductive", "inductive"]
    parent: str | None = None


class Interviews(Model):
    excerpts_file: str
    primary_coder: str
    second_coder: str | None = None
    interviews: list[InterviewMeta]
    codebook: list[Code]


SECTIONS: dict[str, tuple[type[Model] | type[BaseModel], bool]] = {
    # name: (model of one item, is the section a list of items?)
    "programme": (Programme, False),
    "organisations": (Organisation, True),
    "activities": (Activity, True),
    "costs": (CostLine, True),
    "core_allocation": (CoreAllocation, True),
    "counterfactuals": (Counterfactual, True),
    "benefits": (Benefit, True),
    "scenarios": (Scenario, True),
    "parameter_tables": (ParameterTable, True),
    "survey": (Survey, False),
    "interviews": (Interviews, False),
}
TOP_LEVEL = {"schema_version", "parameters", *SECTIONS}


def loc_to_path(loc: tuple[Any, ...]) -> str:
    """('costs', 0, 'amount_by_year', 2023) -> 'costs[0].amount_by_year.2023'."""
    path = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool) and path and not path.endswith("_by_year"):
            path += f"[{part}]"
        elif path.endswith(("_by_year", "values")):
            path += f".{part}"
        else:
            path += f".{part}" if path else str(part)
    return path


def parse_item(model: type[BaseModel], raw: Any, prefix: tuple[Any, ...],
               issues: IssueCollector) -> Any:
    """Validate one item; on failure record ``schema_error``s and return None."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if p not in ("[key]",))
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = f"unknown field {loc[-1]!r}"
            elif err["type"] == "missing":
                message = f"{loc[-1]} is required"
            issues.error("schema_error", loc_to_path(prefix + loc), message, err.get("input")
                         if err["type"] != "missing" else None)
        return None
