"""What the clerical review pages show: pairs by an opaque token, and each record's linkage keys.

Record keys are personal data that never appear in an output (sources.md §1.4), so a pair is named in
URLs by a keyed token, not by its records' keys.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import duckdb

from boroughhub.linkage.records import PERSON_TABLES, split_unique_id

SHOWN_FIELDS = ("first_name", "last_name", "other_names", "date_of_birth", "ni_number", "gender")
FIELD_LABELS = {"first_name": "First name", "last_name": "Last name", "other_names": "Other names",
                "date_of_birth": "Date of birth", "ni_number": "NI number", "gender": "Gender"}
SOURCE_LABELS = {"chain": "CHAIN", "inform": "InForm", "hclic": "H-CLIC"}


@dataclass(frozen=True)
class ReviewPair:
    token: str
    left: str
    right: str
    probability: float


@dataclass(frozen=True)
class ShownRecord:
    source: str
    supplier_code: str
    record_key: str
    values: dict[str, str]
    person_id: str

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)


def pair_token(key: str, left: str, right: str) -> str:
    return hmac.new(key.encode(), f"{left}|{right}".encode(), hashlib.sha256).hexdigest()[:20]


def review_pairs(open_pairs: list[tuple[str, str, float]], key: str) -> list[ReviewPair]:
    return [ReviewPair(pair_token(key, a, b), a, b, p) for a, b, p in open_pairs]


def displayed_fields(source: str) -> frozenset[str]:
    """The columns a record of ``source`` shows (what the view_record / link decision must cover)."""
    spec = next(s for s in PERSON_TABLES if s.source == source)
    return frozenset([spec.key, *(spec.columns[f] for f in SHOWN_FIELDS if f in spec.columns)])


def shown_record(con: duckdb.DuckDBPyConnection, unique_id: str) -> ShownRecord | None:
    source, supplier, key = split_unique_id(unique_id)
    spec = next((s for s in PERSON_TABLES if s.source == source), None)
    if spec is None:
        return None
    identity = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema='identity' AND table_name=?",
        [spec.table]).fetchall()}
    main = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema='main' AND table_name=?",
        [spec.table]).fetchall()}
    selects = []
    for field in SHOWN_FIELDS:
        column = spec.columns.get(field)
        where = "i" if column in identity else "m" if column in main else None
        selects.append(f"CAST({where}.{column} AS VARCHAR)" if where else "NULL")
    row = con.execute(
        f"SELECT {', '.join(selects)}, p.person_id FROM identity.{spec.table} AS i "
        f"LEFT JOIN main.{spec.table} AS m ON m.supplier_code = i.supplier_code AND m.{spec.key} = i.{spec.key} "
        f"LEFT JOIN main.person_link AS p ON p.source = ? AND p.supplier_code = i.supplier_code "
        f"AND p.record_key = CAST(i.{spec.key} AS VARCHAR) "
        f"WHERE i.supplier_code = ? AND CAST(i.{spec.key} AS VARCHAR) = ?",
        [source, supplier, key]).fetchone()
    if row is None:
        return None
    values = {field: ("" if v is None else str(v)) for field, v in zip(SHOWN_FIELDS, row[:-1], strict=True)
              if field in spec.columns}
    return ShownRecord(source, supplier, key, values, str(row[-1] or ""))
