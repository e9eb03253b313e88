"""Data coverage and freshness: which suppliers' extracts each measure rests on, up to which date, and
which are missing or late.

The refresh writes the submissions it computed from beside the figures (``SUPPLY_FILE``), so this page
reads what the published figures were made of, not what has been uploaded since. An extract is *late*
when its period ends before the date the figures are computed as at; a supplier is *missing* when the
register (``suppliers.csv``) expects a source from it and no extract of that source was used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from boroughhub.insights.published import SUPPLY_FILE
from boroughhub.reference import code_list

SOURCE_NAMES = {row["code"]: row["label"] for row in code_list("source_system")}

#: Which sources each group of measures reads (metrics.md §1 and §4–6): linked measures follow people across
#: CHAIN, the providers' InForm stays and the councils' H-CLIC cases.
MEASURE_SOURCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("People seen each year and quarter (new, stock, returners, one night only)", ("chain",)),
    ("Framework indicators R1, P1, B1 (long-term) and NR1", ("chain",)),
    ("Framework indicator P2 (recently left an institution)", ("chain", "hclic")),
    ("Time to long-term accommodation (T1)", ("chain", "inform", "hclic")),
    ("Prevention: contact with a council before sleeping rough", ("chain", "hclic")),
    ("Brief: how quickly people are accommodated", ("chain", "inform", "hclic")),
    ("Non-recurrent: returns to the streets", ("chain", "inform", "hclic")),
)


@dataclass(frozen=True)
class SupplierData:
    source: str
    supplier_code: str
    supplier_name: str
    start: dt.date | None
    end: dt.date | None
    status: str  # up_to_date | late | missing

    @property
    def status_text(self) -> str:
        return {"up_to_date": "Up to date", "late": "Late", "missing": "Missing"}[self.status]


def supplier_names() -> dict[str, str]:
    return {row["code"]: row["label"] for row in code_list("suppliers")}


#: Sources a supplier of this type *may* send but is not expected to: a council sends InForm only for the
#: services it runs itself (agreements.md, the `inform` dataset), so its absence is not a gap.
OPTIONAL_SOURCES: dict[str, frozenset[str]] = {"local_authority": frozenset({"inform"})}


def expected_suppliers() -> dict[str, list[str]]:
    """Source → supplier codes the register expects extracts from (an optional source's extract, once
    used, is listed like any other; it is never called missing)."""
    expected: dict[str, list[str]] = {}
    for row in code_list("suppliers"):
        optional = OPTIONAL_SOURCES.get(row["supplier_type"], frozenset())
        for source in row["sources"].split("|"):
            if source not in optional:
                expected.setdefault(source, []).append(row["code"])
    return expected


def read_supply(directory: Path) -> list[tuple[str, str, dt.date | None, dt.date | None]] | None:
    """The extracts the published figures were computed from; None for a snapshot published before the
    refresh recorded them (nothing can then be said about coverage, rather than calling everything missing)."""
    path = directory / SUPPLY_FILE
    if not path.exists():
        return None
    with duckdb.connect() as con:
        rows = con.execute("SELECT source, supplier_code, extract_period_start, extract_period_end "
                           "FROM read_parquet(?) ORDER BY source, supplier_code", [str(path)]).fetchall()
    return [(str(r[0]), str(r[1]), r[2], r[3]) for r in rows]


def supplier_data(supplied: list[tuple[str, str, dt.date | None, dt.date | None]],
                  as_at: dt.date) -> dict[str, list[SupplierData]]:
    """Per source: every supplier used or expected, used ones first (by name), then the missing ones."""
    names = supplier_names()
    result: dict[str, list[SupplierData]] = {source: [] for source in SOURCE_NAMES}
    seen: set[tuple[str, str]] = set()
    for source, code, start, end in supplied:
        status = "up_to_date" if end is not None and end >= as_at else "late"
        result.setdefault(source, []).append(SupplierData(source, code, names.get(code, code), start, end, status))
        seen.add((source, code))
    for source in result:
        result[source].sort(key=lambda s: s.supplier_name)
    for source, codes in expected_suppliers().items():
        missing = [SupplierData(source, code, names.get(code, code), None, None, "missing")
                   for code in codes if (source, code) not in seen]
        result.setdefault(source, []).extend(sorted(missing, key=lambda s: s.supplier_name))
    return result


@dataclass(frozen=True)
class MeasureCoverage:
    measures: str
    sources: tuple[str, ...]
    up_to: dt.date | None  # the earliest end among the extracts used: the figures are complete up to here
    late: int
    missing: int

    @property
    def source_names(self) -> str:
        return ", ".join(SOURCE_NAMES.get(s, s) for s in self.sources)


def measure_coverage(by_source: dict[str, list[SupplierData]]) -> list[MeasureCoverage]:
    rows = []
    for measures, sources in MEASURE_SOURCES:
        used = [s for source in sources for s in by_source.get(source, []) if s.end is not None]
        ends = [s.end for s in used if s.end is not None]
        rows.append(MeasureCoverage(
            measures, sources, min(ends) if ends else None,
            late=sum(1 for s in used if s.status == "late"),
            missing=sum(1 for source in sources for s in by_source.get(source, []) if s.status == "missing"),
        ))
    return rows
