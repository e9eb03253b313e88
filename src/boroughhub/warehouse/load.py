"""Load a validated submission: one transaction that swaps the supplier's new version in.

Validation leaves typed staging tables on the warehouse connection; the load copies them into
``main`` and ``identity`` after moving the supplier's current version to ``history``, and records the
version in ``main.submissions`` — all in one DuckDB transaction. DuckDB writes a transaction to its
log only at commit, so a crash at any point before it (even ``kill -9``) leaves the warehouse as it
was. The same files sent twice (same SHA-256 of every file) do not make a new version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from boroughhub.sources import PERSON_TABLES, ValidatedSubmission, tables_of
from boroughhub.warehouse.pseudonym import PSEUDONYM_FUNCTION, register_pseudonym_function
from boroughhub.warehouse.stamp import RowStamp
from boroughhub.warehouse.tables import (
    CURRENT,
    IDENTITY_SCHEMA,
    STAMP_COLUMNS,
    SUBMISSIONS_TABLE,
    SUPERSEDED,
    analytic_columns,
    identity_columns,
)
from boroughhub.warehouse.warehouse import Warehouse, move_version

LoadProgress = Callable[[str, float], None]


@dataclass(frozen=True)
class LoadOutcome:
    submission_id: str
    version: int
    unchanged: bool
    rows_loaded: dict[str, int]


def files_fingerprint(file_hashes: dict[str, str]) -> str:
    """One SHA-256 over every file's name and SHA-256: equal exactly when the same files are sent."""
    text = "\n".join(f"{name}:{digest}" for name, digest in sorted(file_hashes.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _quoted(columns: list[tuple[str, str]]) -> str:
    return ", ".join(f'"{name}"' for name, _ in columns)


def load_submission(
    warehouse: Warehouse,
    validated: ValidatedSubmission,
    *,
    submission_id: str,
    hash_key: str | bytes,
    progress: LoadProgress | None = None,
    stamp: RowStamp | None = None,
) -> LoadOutcome:
    """Load a submission that passed validation on ``warehouse.connection``; refuse anything else.

    ``stamp`` (the permit's ``stamp`` obligation) is written on every row loaded; without one (a load
    outside the agreements, in tests of the warehouse alone) the stamp columns stay empty."""
    manifest = validated.manifest
    if manifest is None or not validated.passed:
        raise ValueError("Only a submission that passed validation can be loaded.")
    source, supplier = manifest.source, manifest.supplier_code
    fingerprint = files_fingerprint(validated.file_hashes)
    current = warehouse.current_submission(source, supplier)
    if current is not None and current.files_sha256 == fingerprint:
        # This very submission already loaded them: a re-run after its worker was killed between the
        # commit and recording the outcome. It was accepted, not "unchanged".
        return LoadOutcome(current.submission_id, current.version, current.submission_id != submission_id,
                           current.row_counts)
    con = warehouse.connection
    register_pseudonym_function(con, hash_key)
    tables = tables_of(source)
    stamped = (stamp.values() if stamp is not None else [None] * len(STAMP_COLUMNS))
    placeholders = ", ".join("?" for _ in STAMP_COLUMNS)
    rows_loaded: dict[str, int] = {}
    with warehouse.transaction():
        latest = con.execute(
            f"SELECT coalesce(max(version), 0) FROM {SUBMISSIONS_TABLE} WHERE source = ? AND supplier_code = ?",
            [source, supplier],
        ).fetchone()
        version = int(latest[0] if latest else 0) + 1
        if current is not None:
            move_version(con, source, current.submission_id, to_history=True)
            con.execute(
                f"UPDATE {SUBMISSIONS_TABLE} SET status = ? WHERE submission_id = ?",
                [SUPERSEDED, current.submission_id],
            )
        for index, table in enumerate(tables):
            if progress is not None:
                progress(f"Loading {table.name}", index / len(tables))
            staged = validated.typed_tables[table.name]
            columns = analytic_columns(table)
            canonical = columns[: -2 - len(STAMP_COLUMNS)]
            values = _quoted(canonical) + f", ?, ?, {placeholders}"
            con.execute(
                f"INSERT INTO main.{table.name} ({_quoted(columns)}) SELECT {values} FROM {staged}",
                [supplier, submission_id, *stamped],
            )
            if table.name in PERSON_TABLES:
                identity = identity_columns(table)
                key = " || '|' || ".join(f'"{k}"' for k in table.primary_key)
                middle = _quoted(identity[1 : -2 - len(STAMP_COLUMNS)])
                con.execute(
                    f"INSERT INTO {IDENTITY_SCHEMA}.{table.name} ({_quoted(identity)}) "
                    f"SELECT ?, {middle}, {PSEUDONYM_FUNCTION}(? || {key}), ?, {placeholders} FROM {staged}",
                    [supplier, f"{source}|{supplier}|", submission_id, *stamped],
                )
            counted = con.execute(f"SELECT count(*) FROM {staged}").fetchone()
            rows_loaded[table.file_name] = int(counted[0]) if counted else 0
        con.execute(
            f"INSERT INTO {SUBMISSIONS_TABLE} (submission_id, source, supplier_code, version, status, "
            "extract_period_start, extract_period_end, extracted_on, encoding, loaded_at, files_sha256, "
            "file_hashes, row_counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?, ?)",
            [
                submission_id,
                source,
                supplier,
                version,
                CURRENT,
                manifest.extract_period_start,
                manifest.extract_period_end,
                manifest.extracted_on,
                manifest.encoding,
                fingerprint,
                json.dumps(validated.file_hashes, sort_keys=True),
                json.dumps(rows_loaded, sort_keys=True),
            ],
        )
        if progress is not None:
            progress("Committing", 1.0)
    return LoadOutcome(submission_id, version, False, rows_loaded)


def drop_staging(warehouse: Warehouse) -> None:
    """Drop the temp tables validation left on the connection (they vanish on close anyway)."""
    rows = warehouse.fetchall(
        "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'bh\\_%' ESCAPE '\\' "
        "AND table_name NOT LIKE 'bh\\_ref\\_%' ESCAPE '\\'"
    )
    for (name,) in rows:
        warehouse.execute(f'DROP TABLE IF EXISTS temp."{name}"')
