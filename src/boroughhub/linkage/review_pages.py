"""What the clerical review pages show: pairs by an opaque token, and each record's linkage keys.

Record keys are personal data that never appear in an output (sources.md §1.4), so a pair is named in
URLs by a keyed token, not by its records' keys.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import Any

import duckdb

from boroughhub.linkage.explain import FINAL, PRIOR, explain_pair, waterfall_chart_spec
from boroughhub.linkage.records import PERSON_TABLES, split_unique_id
from boroughhub.linkage.report import render_svg
from boroughhub.linkage.train import TrainedModel

SHOWN_FIELDS = ("first_name", "last_name", "other_names", "date_of_birth", "ni_number", "gender")
FIELD_LABELS = {"first_name": "First name", "last_name": "Last name", "other_names": "Other names",
                "date_of_birth": "Date of birth", "ni_number": "NI number", "gender": "Gender"}
SOURCE_LABELS = {"chain": "CHAIN", "inform": "InForm", "hclic": "H-CLIC"}


@dataclass(frozen=True)
class ShownRecord:
    source: str
    supplier_code: str
    record_key: str
    values: dict[str, str]
    person_id: str
    first_date: str = ""
    last_date: str = ""

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)


def pair_token(key: str, left: str, right: str) -> str:
    return hmac.new(key.encode(), f"{left}|{right}".encode(), hashlib.sha256).hexdigest()[:20]


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
    first, last = record_dates(con, source, supplier, key)
    return ShownRecord(source, supplier, key, values, str(row[-1] or ""), first, last)


# Where each source records when it saw a person: (table, how it reaches the person, date columns).
# H-CLIC events hang off the case, which the person row names.
_EVENT_DATES: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "chain": (
        ("chain_contacts", "chain_person_id", ("contact_date",)),
        ("chain_stays", "chain_person_id", ("arrival_date", "departure_date")),
    ),
    "inform": (
        ("inform_referrals", "inform_client_id", ("referral_date", "decision_date")),
        ("inform_stays", "inform_client_id", ("move_in_date", "move_out_date")),
    ),
    "hclic": (
        ("hclic_cases", "case_ref", ("application_date", "assessment_date")),
        ("hclic_prevention", "case_ref", ("prevention_start_date", "prevention_end_date")),
        ("hclic_relief", "case_ref", ("relief_start_date", "relief_end_date")),
        ("hclic_main_duty", "case_ref", ("decision_date", "main_duty_end_date")),
        ("hclic_temporary_accommodation", "case_ref", ("placement_start_date", "placement_end_date")),
    ),
}


def record_dates(con: duckdb.DuckDBPyConnection, source: str, supplier: str, key: str) -> tuple[str, str]:
    """The first and last date the source has any event for this record ("" when it has none)."""
    selects: list[str] = []
    params: list[str] = []
    for table, link, columns in _EVENT_DATES.get(source, ()):
        present = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema='main' AND table_name=?",
            [table]).fetchall()}
        for column in (c for c in columns if c in present and link in present):
            if link == "case_ref":
                selects.append(
                    f"SELECT e.{column} AS d FROM main.{table} AS e JOIN main.hclic_people AS p "
                    "ON p.supplier_code = e.supplier_code AND p.case_ref = e.case_ref "
                    "WHERE e.supplier_code = ? AND CAST(p.person_ref AS VARCHAR) = ?")
            else:
                selects.append(f"SELECT {column} AS d FROM main.{table} WHERE supplier_code = ? "
                               f"AND CAST({link} AS VARCHAR) = ?")
            params += [supplier, key]
    if not selects:
        return "", ""
    row = con.execute(f"SELECT min(d), max(d) FROM ({' UNION ALL '.join(selects)})", params).fetchone()
    return ("", "") if row is None else ("" if row[0] is None else str(row[0]), "" if row[1] is None else str(row[1]))


def differing_fields(records: list[ShownRecord]) -> set[str]:
    """Fields both records hold with different values (compared as a reviewer reads them: case and
    spacing aside); a value missing on one side is not a difference, it is shown as missing."""
    def norm(value: str) -> str:
        return " ".join(value.split()).casefold()

    left, right = records
    return {f for f in SHOWN_FIELDS
            if left.values.get(f) and right.values.get(f) and norm(left.values[f]) != norm(right.values[f])}


COMPARISON_LABELS = {"Prior": "Starting point: how rare a match is between two records",
                     "Final score": "Total match weight", "name": "Names", "dob": "Date of birth",
                     "ni_number": "NI number", "chain_ref": "CHAIN reference", "gender": "Gender",
                     "nationality": "Nationality", "postcode": "Postcode", "address": "Address",
                     "activity": "Where and when services met them", "application": "How the household applied"}


def comparison_label(comparison: str) -> str:
    """What a reviewer reads for a waterfall step (``tf_name`` is the name's term-frequency adjustment)."""
    if comparison.startswith("tf_"):
        return f"{COMPARISON_LABELS.get(comparison[3:], comparison[3:])}: how common the value is"
    return COMPARISON_LABELS.get(comparison, comparison)


def explanation_context(scores: dict[str, Any] | None, model: TrainedModel | None) -> dict[str, Any]:
    """The waterfall of a pair for the review page: rows for the table and Splink's chart as SVG.

    Pairs queued before explanations were stored have none until the next linkage run rescores them.
    """
    if scores is None or model is None:
        return {"explanation_rows": [], "waterfall_svg": None}
    explanation = explain_pair(scores, model)
    rows = [{"label": comparison_label(s.comparison), "level": "" if s.comparison in (PRIOR, FINAL) else s.level,
             "weight": s.match_weight, "total": s.comparison == FINAL}
            for s in explanation.steps if s.comparison == FINAL or s.match_weight != 0 or not s.comparison.startswith("tf_")]
    try:
        svg: str | None = render_svg(waterfall_chart_spec(explanation))
    except Exception:  # noqa: BLE001 - the table beside it says the same; a chart failure must not hide the pair
        logging.getLogger(__name__).warning("waterfall chart could not be rendered")
        svg = None
    return {"explanation_rows": rows, "waterfall_svg": svg}
