"""Importing a person mapping instead of running the model (``boroughhub link --mapping FILE.csv``).

For organisations that already hold a master person index, and for checking the metrics against a
known truth: the file has the synthetic generator's truth format,
``source,supplier_code,table,record_key,person_id``. Every person record in the warehouse must be
mapped; the whole file is refused, with the row and the rule, if any row is wrong.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from boroughhub.linkage.link_tables import ensure_link_tables
from boroughhub.linkage.records import PERSON_TABLES

REQUIRED_COLUMNS = ("source", "supplier_code", "table", "record_key", "person_id")
TABLE_OF_SOURCE = {spec.source: spec.table for spec in PERSON_TABLES}


@dataclass(frozen=True)
class MappingProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class MappingRefused(Exception):
    def __init__(self, problems: list[MappingProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:20]))
        self.problems = problems


def read_mapping(path: Path) -> list[tuple[str, str, str, str]]:
    """(source, supplier_code, record_key, person_id) rows of the person tables; other tables are skipped."""
    problems: list[MappingProblem] = []
    rows: list[tuple[str, str, str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise MappingRefused([MappingProblem(1, ", ".join(missing), "required column missing")])
        for number, row in enumerate(reader, start=2):
            source, table = row["source"].strip(), row["table"].strip()
            if TABLE_OF_SOURCE.get(source) != table:
                continue  # not a person table (the truth file also maps nothing else today)
            key = (source, row["supplier_code"].strip(), row["record_key"].strip())
            person = row["person_id"].strip()
            if not all(key) or not person:
                problems.append(MappingProblem(number, "person_id" if all(key) else "record_key", "empty value"))
            elif key in seen:
                problems.append(MappingProblem(number, "record_key", "the same record is mapped twice"))
            else:
                seen.add(key)
                rows.append((*key, person))
    if problems:
        raise MappingRefused(problems)
    return rows


def import_mapping(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, str, str]], run_id: str,
                   now: datetime) -> int:
    """Replace ``person_link`` with the mapping, in one transaction; every warehouse record must be mapped."""
    ensure_link_tables(con)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE linkage_mapping (source VARCHAR, supplier_code VARCHAR, "
                    "record_key VARCHAR, person_id VARCHAR)")
        con.executemany("INSERT INTO linkage_mapping VALUES (?, ?, ?, ?)", rows)
        unmapped = 0
        for spec in PERSON_TABLES:
            exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                                 "AND table_name = ?", [spec.table]).fetchone()
            if not exists or not exists[0]:
                continue
            result = con.execute(
                f"SELECT count(*) FROM main.{spec.table} AS t LEFT JOIN linkage_mapping AS m ON m.source = ? "
                f"AND m.supplier_code = t.supplier_code AND m.record_key = CAST(t.{spec.key} AS VARCHAR) "
                "WHERE m.person_id IS NULL", [spec.source]).fetchone()
            unmapped += int(result[0]) if result else 0
        if unmapped:
            raise MappingRefused([MappingProblem(0, "record_key",
                                                 f"{unmapped} person records in the warehouse are not in the mapping")])
        con.execute("DELETE FROM person_link")
        con.execute("INSERT INTO person_link SELECT source, supplier_code, record_key, person_id, 1.0, ?, ? "
                    "FROM linkage_mapping", [now, run_id])
        con.execute("INSERT INTO linkage_person_link_history SELECT * FROM person_link WHERE run_id = ?", [run_id])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(rows)
