"""Parameter tables (spec §3.11): the built-in ones and the checks on tables a spec adds."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from boroughhub.evaluation.money import YearLabelError, year_value
from boroughhub.evaluation.spec import IssueCollector, ParameterTable


@dataclass(frozen=True)
class TableInfo:
    id: str
    kind: str
    source: str
    vintage: str
    note: str | None = None


@dataclass(frozen=True)
class DiscountSchedule:
    info: TableInfo
    bands: tuple[tuple[int, int | None, float], ...]  # (from t, to t or None, rate)

    def rate(self, s: int) -> float:
        for lo, hi, r in self.bands:
            if s >= lo and (hi is None or s <= hi):
                return r
        raise ValueError(f"no discount band covers year {s}")


@dataclass(frozen=True)
class Deflator:
    info: TableInfo
    year_basis: str
    index_base: str
    values: dict[int, float]  # numeric year -> index


@dataclass(frozen=True)
class OptimismBiasTable:
    info: TableInfo
    categories: dict[str, dict[str, float | None]]


@dataclass(frozen=True)
class EvidenceScale:
    info: TableInfo
    grades: dict[str, tuple[str, bool]]  # grade -> (meaning, indicative)


@dataclass(frozen=True)
class VfmBands:
    info: TableInfo
    bands: tuple[tuple[str, float, float], ...]  # (label, lower inclusive, upper exclusive)

    def band(self, bcr: float | None) -> str:
        if bcr is None or math.isnan(bcr):
            return "not defined"
        for label, lower, upper in self.bands:
            if lower <= bcr < upper:
                return label
        return self.bands[-1][0]


@dataclass(frozen=True)
class UnitValue:
    code: str
    description: str
    value: float
    unit: str
    price_year: int
    status: str
    source: str | None
    vintage: str | None


@dataclass(frozen=True)
class UnitValues:
    info: TableInfo
    entries: dict[str, UnitValue] = field(default_factory=dict)


Table = DiscountSchedule | Deflator | OptimismBiasTable | EvidenceScale | VfmBands | UnitValues

GREEN_BOOK = "https://www.gov.uk/government/publications/the-green-book-appraisal-and-evaluation-in-central-government"


def builtin_tables() -> dict[str, Table]:
    stpr = DiscountSchedule(
        TableInfo("green_book_2022_stpr_standard", "discount_schedule", f"{GREEN_BOOK} (Annex A6)",
                  "Green Book 2022"),
        ((0, 30, 0.035), (31, 75, 0.03), (76, 125, 0.025), (126, 200, 0.02), (201, 300, 0.015),
         (301, None, 0.01)),
    )
    ob = OptimismBiasTable(
        TableInfo("mott_macdonald_2002_upper_bounds", "optimism_bias",
                  "https://www.gov.uk/government/publications/green-book-supplementary-guidance-optimism-bias",
                  "Mott MacDonald 2002"),
        {
            "standard_buildings": {"duration": 0.04, "capex": 0.24, "opex": None},
            "non_standard_buildings": {"duration": 0.39, "capex": 0.51, "opex": None},
            "standard_civil_engineering": {"duration": 0.20, "capex": 0.44, "opex": None},
            "non_standard_civil_engineering": {"duration": 0.25, "capex": 0.66, "opex": None},
            "equipment_development": {"duration": 0.54, "capex": 2.00, "opex": None},
            "outsourcing": {"duration": None, "capex": None, "opex": 0.41},
        },
    )
    abcd = EvidenceScale(
        TableInfo("boroughhub_evidence_abcd", "evidence_scale", "boroughhub evaluation spec §3.11.4", "1.0"),
        {
            "A": ("Outcome measured against a credible comparison (Maryland SMS ≥ 3); unit values from "
                  "published sources.", False),
            "B": ("Outputs and costs from programme records; counterfactual price from a published "
                  "market benchmark.", False),
            "C": ("Outputs from programme records; counterfactual volumes or unit values assumed within "
                  "a cited range.", False),
            "D": ("Break-even or scenario analysis only; the outcome itself is not observed.", True),
        },
    )
    sms = EvidenceScale(
        TableInfo("maryland_sms", "evidence_scale",
                  "https://whatworksgrowth.org/resource-library/guide-to-scoring-the-evidence/",
                  "What Works Centre for Local Economic Growth"),
        {
            "1": ("Cross-sectional or before-and-after without comparison.", True),
            "2": ("Before-and-after with a comparison group, or cross-sectional with controls.", True),
            "3": ("Before-and-after with a comparison group (difference in differences).", False),
            "4": ("Quasi-random variation or matched comparison.", False),
            "5": ("Randomised control trial.", False),
        },
    )
    bands = VfmBands(
        TableInfo("dft_vfm_bands", "vfm_bands", "https://www.gov.uk/government/publications/dft-value-for-money-framework",
                  "DfT Value for Money Framework"),
        (("Poor", -math.inf, 1.0), ("Low", 1.0, 1.5), ("Medium", 1.5, 2.0), ("High", 2.0, 4.0),
         ("Very high", 4.0, math.inf)),
    )
    return {t.info.id: t for t in (stpr, ob, abcd, sms, bands)}


def _num(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and value.strip().lower() in {".inf", "inf", "+.inf"}:
        return math.inf
    if isinstance(value, str) and value.strip().lower() in {"-.inf", "-inf"}:
        return -math.inf
    return None


def build_table(t: ParameterTable, path: str, basis: str, issues: IssueCollector) -> Table | None:
    """Turn a spec table into a typed table, recording errors under ``path``."""
    info = TableInfo(t.id, t.kind, t.source, t.vintage, t.note)
    if t.kind == "discount_schedule":
        return _discount(info, t.bands or [], path, issues)
    if t.kind == "vfm_bands":
        return _vfm_bands(info, t.bands or [], path, issues)
    if t.kind == "gdp_deflator":
        if t.year_basis is None or t.values is None:
            issues.error("schema_error", f"{path}.values", "a gdp_deflator needs year_basis and values")
            return None
        if t.year_basis != basis:
            issues.error("year_basis_mismatch", f"{path}.year_basis",
                         f"table {t.id} uses {t.year_basis} years but the programme uses {basis} years",
                         t.year_basis)
            return None
        values: dict[int, float] = {}
        for key, v in t.values.items():
            try:
                values[year_value(key, basis)] = v
            except YearLabelError as exc:
                issues.error(exc.code, f"{path}.values.{key}", str(exc), key)
            if v <= 0:
                issues.error("schema_error", f"{path}.values.{key}", "deflator index must be positive", v)
        return Deflator(info, basis, t.index_base or "", values)
    if t.kind == "unit_values":
        return _unit_values(info, t.entries or [], path, basis, issues)
    if t.kind == "optimism_bias":
        return OptimismBiasTable(info, t.categories or {})
    if t.kind == "evidence_scale":
        grades: dict[str, tuple[str, bool]] = {}
        for i, g in enumerate(t.grades or []):
            if "grade" not in g:
                issues.error("schema_error", f"{path}.grades[{i}].grade", "grade is required")
                continue
            grades[str(g["grade"])] = (str(g.get("meaning", "")), bool(g.get("indicative", False)))
        return EvidenceScale(info, grades)
    return None


def _discount(info: TableInfo, raw: list[dict[str, Any]], path: str,
              issues: IssueCollector) -> DiscountSchedule | None:
    bands: list[tuple[int, int | None, float]] = []
    expected = 0
    ok = bool(raw)
    for i, b in enumerate(raw):
        lo, hi, rate = b.get("from"), b.get("to"), _num(b.get("rate"))
        last = i == len(raw) - 1
        if (not isinstance(lo, int) or lo != expected or rate is None or rate <= -1
                or (hi is None) != last or (hi is not None and (not isinstance(hi, int) or hi < lo))):
            ok = False
            break
        bands.append((lo, hi, rate))
        expected = (hi or 0) + 1
    if not ok:
        issues.error("discount_schedule_invalid", f"{path}.bands",
                     "discount bands must be contiguous from 0, non-overlapping, the last open-ended, "
                     "and every rate > -1")
        return None
    return DiscountSchedule(info, tuple(bands))


def _vfm_bands(info: TableInfo, raw: list[dict[str, Any]], path: str,
               issues: IssueCollector) -> VfmBands | None:
    bands: list[tuple[str, float, float]] = []
    for b in raw:
        lo, hi = _num(b.get("lower")), _num(b.get("upper"))
        if lo is None or hi is None or not isinstance(b.get("label"), str):
            bands = []
            break
        bands.append((str(b["label"]), lo, hi))
    ok = (bool(bands) and bands[0][1] == -math.inf and bands[-1][2] == math.inf
          and all(bands[i][2] == bands[i + 1][1] for i in range(len(bands) - 1))
          and all(lo < hi for _, lo, hi in bands))
    if not ok:
        issues.error("vfm_bands_invalid", f"{path}.bands",
                     "VfM bands must start at -.inf, end at .inf, and each upper must equal the next lower")
        return None
    return VfmBands(info, tuple(bands))


def _unit_values(info: TableInfo, raw: list[dict[str, Any]], path: str, basis: str,
                 issues: IssueCollector) -> UnitValues:
    entries: dict[str, UnitValue] = {}
    allowed = {"code", "description", "value", "unit", "price_year", "status", "source", "vintage"}
    for i, e in enumerate(raw):
        p = f"{path}.entries[{i}]"
        for key in set(e) - allowed:
            issues.error("schema_error", f"{p}.{key}", f"unknown field {key!r}")
        value = _num(e.get("value"))
        if not isinstance(e.get("code"), str) or value is None:
            issues.error("schema_error", p, "a unit value needs a code and a numeric value")
            continue
        if e.get("price_year") is None:
            issues.error("price_year_missing", f"{p}.price_year", f"unit value {e['code']} needs a price_year")
            continue
        if e["price_year"] == "flow_year":
            issues.error("flow_year_not_allowed", f"{p}.price_year",
                         "flow_year is not allowed in a table entry", "flow_year")
            continue
        try:
            year = year_value(e["price_year"], basis)
        except YearLabelError as exc:
            issues.error(exc.code, f"{p}.price_year", str(exc), e["price_year"])
            continue
        entries[e["code"]] = UnitValue(e["code"], str(e.get("description", "")), value, str(e.get("unit", "")),
                                       year, str(e.get("status", "assumed")), e.get("source"), e.get("vintage"))
    return UnitValues(info, entries)
