"""Delete what a retention clause says has expired, in the warehouse (plain SQL, one executor).

Each holding goes in one DuckDB transaction: the caller's ``before_commit`` (the audit entry) runs
inside it, so a deletion the audit log cannot record is rolled back, and nothing is recorded that
did not happen. Where the clause asks for crypto-erase, the identifiers are overwritten before the
rows are deleted, and once everything due is deleted the warehouse file is rewritten into a fresh one
(:meth:`Warehouse.rewrite_file`): DuckDB leaves deleted rows' bytes in free blocks of the file until
they are reused, so only a rewrite makes them unreadable there
(docs/decisions/0160-retention-crypto-erase-by-rewrite.md). A marker file beside the warehouse says a
rewrite is owed, so a job killed between the deletion and the rewrite rewrites on its next run.

A source submission's rows go from ``main``, ``identity`` and ``history`` (every file of the source),
with its ``main.submissions`` row; so do the linkage rows that refer to a source record no version
holds any more (``person_link`` and its history, the review queue, decisions and pair scores).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from boroughhub.retention.due import LINKAGE_RUN, METRIC_VALUES, SUBMISSION, Holding, table_exists
from boroughhub.sources import PERSON_TABLES, tables_of
from boroughhub.warehouse import Warehouse

#: Beside the warehouse: present while a crypto-erase's rewrite of the file is owed.
REWRITE_OWED_SUFFIX = ".erase-pending"
#: The linkage tables that name a source record, and how (the Splink unique id is "source:supplier:key").
_RECORD_TABLES = ("person_link", "linkage_person_link_history")
_PAIR_TABLES = ("linkage_review_queue", "linkage_review_decision", "linkage_pair_scores")
#: In ``identity``: linkage's standardised copy of each current person record (``linkage/standardised_store.py``).
_STANDARDISED = "linkage_standardised_records"


@dataclass
class Deleted:
    """What one holding's deletion removed: rows by table (names of tables, counts only)."""

    holding: Holding
    rows_by_table: dict[str, int] = field(default_factory=dict)
    identifiers_overwritten: int = 0

    @property
    def rows(self) -> int:
        return sum(self.rows_by_table.values())


BeforeCommit = Callable[[Deleted], None]


def rewrite_owed_marker(warehouse: Warehouse) -> Path:
    return Path(warehouse.path + REWRITE_OWED_SUFFIX)


def delete_holding(warehouse: Warehouse, holding: Holding, before_commit: BeforeCommit | None = None) -> Deleted:
    """Delete one expired holding in one transaction; ``before_commit`` sees what went, inside it."""
    deleted = Deleted(holding)
    if holding.rule.crypto_erase and warehouse.path != ":memory:":
        rewrite_owed_marker(warehouse).touch()
    with warehouse.transaction() as con:
        if holding.kind == SUBMISSION:
            _forget_standardised(warehouse, con, holding, deleted)
            _delete_submission(con, holding, deleted)
            _delete_orphaned_links(warehouse, con, holding.dataset, deleted)
        elif holding.kind == LINKAGE_RUN:
            _count_and_delete(con, "main.linkage_person_link_history", "run_id = ?", [holding.key], deleted)
        elif holding.kind == METRIC_VALUES:
            _count_and_delete(con, "main.metric_values", "true", [], deleted)
        else:
            raise ValueError(f"Unknown kind of holding: {holding.kind}")
        if before_commit is not None:
            before_commit(deleted)
    return deleted


def _count_and_delete(con: duckdb.DuckDBPyConnection, table: str, where: str, parameters: list[object],
                      deleted: Deleted) -> None:
    counted = con.execute(f"SELECT count(*) FROM {table} WHERE {where}", parameters).fetchone()
    rows = int(counted[0]) if counted else 0
    if rows:
        con.execute(f"DELETE FROM {table} WHERE {where}", parameters)
        deleted.rows_by_table[table] = deleted.rows_by_table.get(table, 0) + rows


def _delete_submission(con: duckdb.DuckDBPyConnection, holding: Holding, deleted: Deleted) -> None:
    for table in tables_of(holding.dataset):
        if table.name in PERSON_TABLES:
            for name in (f"identity.{table.name}", f"history.identity_{table.name}"):
                if holding.rule.crypto_erase:
                    # Overwritten first: what the delete leaves in the file's free blocks is then no identifier.
                    wiped = ", ".join(f'"{c}" = NULL' for c in (*table.direct_identifiers, "person_pseudonym"))
                    counted = con.execute(f"SELECT count(*) FROM {name} WHERE submission_id = ?",
                                          [holding.key]).fetchone()
                    con.execute(f"UPDATE {name} SET {wiped} WHERE submission_id = ?", [holding.key])
                    deleted.identifiers_overwritten += int(counted[0]) if counted else 0
                _count_and_delete(con, name, "submission_id = ?", [holding.key], deleted)
        for name in (f"main.{table.name}", f"history.{table.name}"):
            _count_and_delete(con, name, "submission_id = ?", [holding.key], deleted)
    con.execute("DELETE FROM main.submissions WHERE submission_id = ?", [holding.key])


def _forget_standardised(warehouse: Warehouse, con: duckdb.DuckDBPyConnection, holding: Holding,
                         deleted: Deleted) -> None:
    """Linkage's standardised copy of the submission's current people (names, dates of birth): the next
    linkage run standardises again whatever another version still holds (decision 0180)."""
    if not table_exists(warehouse, "identity", _STANDARDISED):
        return
    for table in tables_of(holding.dataset):
        if table.name in PERSON_TABLES:
            copy = f"identity.{_STANDARDISED}"
            people = (f"SELECT 1 FROM identity.{table.name} AS p WHERE p.submission_id = ? AND p.supplier_code = "
                      f"{copy}.supplier_code AND CAST(p.\"{table.primary_key[0]}\" AS VARCHAR) = {copy}.record_key")
            _count_and_delete(con, copy, f"source = ? AND EXISTS ({people})", [holding.dataset, holding.key], deleted)


def _delete_orphaned_links(warehouse: Warehouse, con: duckdb.DuckDBPyConnection, source: str,
                           deleted: Deleted) -> None:
    """Linkage rows of ``source`` whose record no version holds any more: they refer to erased people."""
    people = next((t for t in tables_of(source) if t.name in PERSON_TABLES), None)
    if people is None:
        return
    key = people.primary_key[0]
    held = (f"SELECT supplier_code, CAST(\"{key}\" AS VARCHAR) AS record_key FROM main.{people.name} "
            f"UNION SELECT supplier_code, CAST(\"{key}\" AS VARCHAR) FROM history.{people.name}")
    for name in _RECORD_TABLES:
        if table_exists(warehouse, "main", name):
            gone = (f"source = '{source}' AND NOT EXISTS (SELECT 1 FROM ({held}) h WHERE "
                    f"h.supplier_code = {name}.supplier_code AND h.record_key = {name}.record_key)")
            _count_and_delete(con, f"main.{name}", gone, [], deleted)
    unique_ids = f"SELECT '{source}:' || supplier_code || ':' || record_key FROM ({held})"
    for name in _PAIR_TABLES:
        if not table_exists(warehouse, "main", name):
            continue
        orphan = " OR ".join(f"(starts_with({side}, '{source}:') AND {side} NOT IN ({unique_ids}))"
                             for side in ("unique_id_l", "unique_id_r"))
        _count_and_delete(con, f"main.{name}", orphan, [], deleted)


def finish_crypto_erase(warehouse: Warehouse) -> bool:
    """Rewrite the warehouse file if a crypto-erase owes it (this run's or an interrupted one's)."""
    marker = rewrite_owed_marker(warehouse)
    if warehouse.path == ":memory:" or not marker.exists():
        return False
    warehouse.rewrite_file()
    marker.unlink(missing_ok=True)
    return True
