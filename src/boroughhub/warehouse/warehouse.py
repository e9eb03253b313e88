"""``Warehouse``: the one DuckDB executor every capability uses.

Capabilities build SQL (pure functions) and hand it here; nothing else opens the warehouse file.
The layout of the tables is in :mod:`boroughhub.warehouse.tables`; loads are in
:mod:`boroughhub.warehouse.load`. DuckDB allows one writing process per file: the web app reads
with ``read_only=True`` while the background worker loads. Writers take turns, in the order they
asked (:mod:`boroughhub.warehouse.writer_queue`): the second one waits, it does not fail.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from boroughhub.sources import PERSON_TABLES, TABLES, tables_of
from boroughhub.warehouse.tables import (
    CURRENT,
    HISTORY_SCHEMA,
    IDENTITY_SCHEMA,
    SUBMISSIONS_TABLE,
    SUPERSEDED,
    analytic_columns,
    identity_columns,
    schema_statements,
    stamp_upgrade_statements,
)
from boroughhub.warehouse.writer_queue import (
    DEFAULT_WAIT_SECONDS,
    WAITING_FOR_THE_WAREHOUSE,
    Turn,
    WaitReport,
    WarehouseHeld,
    Work,
    WriterQueue,
)


@dataclass(frozen=True)
class SubmissionRecord:
    """One row of ``main.submissions``."""

    submission_id: str
    source: str
    supplier_code: str
    version: int
    status: str
    extract_period_start: Any
    extract_period_end: Any
    extracted_on: Any
    loaded_at: Any
    files_sha256: str
    file_hashes: dict[str, str]
    row_counts: dict[str, int]


_SUBMISSION_COLUMNS = (
    "submission_id, source, supplier_code, version, status, extract_period_start, extract_period_end, "
    "extracted_on, loaded_at, files_sha256, file_hashes, row_counts"
)


def _record(row: Sequence[Any]) -> SubmissionRecord:
    return SubmissionRecord(
        submission_id=row[0],
        source=row[1],
        supplier_code=row[2],
        version=int(row[3]),
        status=row[4],
        extract_period_start=row[5],
        extract_period_end=row[6],
        extracted_on=row[7],
        loaded_at=row[8],
        files_sha256=row[9],
        file_hashes=json.loads(row[10] or "{}"),
        row_counts=json.loads(row[11] or "{}"),
    )


class Warehouse:
    """A DuckDB warehouse file (or ``":memory:"``) with the hub's schema."""

    def __init__(self, path: str | Path, *, read_only: bool = False, threads: int | None = None,
                 work: Work | None = None, wait_seconds: float = DEFAULT_WAIT_SECONDS,
                 on_wait: WaitReport | None = None, with_person: bool = True) -> None:
        """Open the warehouse; a writer first waits its turn (``work`` says what it is, ``on_wait`` hears
        what it waits for, ``with_person`` names the people ahead rather than their organisations) and
        raises :class:`WarehouseHeld` if ``wait_seconds`` run out. Readers never wait."""
        self.path = str(path)
        self._turn: Turn | None = None
        self._config: dict[str, str | bool | int | float | list[str]] = {}
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        config: dict[str, str | bool | int | float | list[str]] = {}
        if threads is not None:
            config["threads"] = threads
        self._config = config
        if read_only or self.path == ":memory:":
            self.connection = duckdb.connect(self.path, read_only=read_only, config=config)
        else:
            self._turn = WriterQueue(self.path).take_turn(
                work or Work("work on the warehouse"), wait_seconds=wait_seconds, on_wait=on_wait,
                with_person=with_person)
            try:
                self.connection = _connect_in_turn(self.path, config, self._turn, on_wait)
            except BaseException:
                self._turn.release()
                raise
        # No progress bar on stdout: callers report progress themselves (CLI bars, job status pages).
        self.connection.execute("SET enable_progress_bar = false")
        if not read_only:
            self.ensure_schema()

    # --- the executor -------------------------------------------------------------------------

    def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> duckdb.DuckDBPyConnection:
        return self.connection.execute(sql, parameters)

    def fetchall(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, parameters).fetchall()

    def fetch_dicts(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        cursor = self.connection.execute(sql, parameters)
        names = [d[0] for d in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def sql(self, query: str) -> duckdb.DuckDBPyRelation:
        return self.connection.sql(query)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection of its own on the same database, for another thread."""
        return self.connection.cursor()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        self.connection.execute("BEGIN TRANSACTION")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def rewrite_file(self) -> None:
        """Copy every schema and table into a fresh file and put it in the place of this one.

        Deleted rows leave their bytes in the file's free blocks until DuckDB reuses them; the copy holds
        only what is live, so after this nothing deleted can be read from the file (the retention job's
        crypto-erase). Only a writer in its turn may do it; a reader elsewhere keeps the old file open
        until it closes, as with any replaced file."""
        if self._turn is None:
            raise RuntimeError("Only the writer whose turn it is may rewrite the warehouse file.")
        fresh = Path(self.path + ".rewrite")
        fresh.unlink(missing_ok=True)
        row = self.connection.execute("SELECT current_database()").fetchone()
        database = str(row[0]) if row else ""
        self.connection.execute("CHECKPOINT")
        quoted = str(fresh).replace("'", "''")
        self.connection.execute(f"ATTACH '{quoted}' AS bh_rewrite")
        try:
            self.connection.execute(f'COPY FROM DATABASE "{database}" TO bh_rewrite')
        finally:
            self.connection.execute("DETACH bh_rewrite")
        self.connection.close()
        os.replace(fresh, self.path)
        self.connection = duckdb.connect(self.path, config=self._config)
        self.connection.execute("SET enable_progress_bar = false")

    def close(self) -> None:
        self.connection.close()
        if self._turn is not None:
            turn, self._turn = self._turn, None
            turn.release()

    def __del__(self) -> None:
        # A writer dropped without close() must not keep every other writer waiting until its process ends.
        turn = getattr(self, "_turn", None)
        if turn is not None:
            self.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure_schema(self) -> None:
        with self.transaction() as con:
            for statement in schema_statements():
                con.execute(statement)
            # A warehouse made before the stamp columns gains them (decision 0161); asked once, not per table.
            stamped = {f"{schema}.{name}" for schema, name in con.execute(
                "SELECT table_schema, table_name FROM information_schema.columns "
                "WHERE column_name = 'stamp_agreement_version'").fetchall()}
            for statement in stamp_upgrade_statements(stamped):
                con.execute(statement)

    # --- submissions and versions --------------------------------------------------------------

    def submissions(
        self, source: str | None = None, supplier_code: str | None = None
    ) -> list[SubmissionRecord]:
        rows = self.fetchall(
            f"SELECT {_SUBMISSION_COLUMNS} FROM {SUBMISSIONS_TABLE} "
            "WHERE (? IS NULL OR source = ?) AND (? IS NULL OR supplier_code = ?) "
            "ORDER BY source, supplier_code, version",
            [source, source, supplier_code, supplier_code],
        )
        return [_record(row) for row in rows]

    def current_submission(self, source: str, supplier_code: str) -> SubmissionRecord | None:
        rows = self.fetchall(
            f"SELECT {_SUBMISSION_COLUMNS} FROM {SUBMISSIONS_TABLE} "
            "WHERE source = ? AND supplier_code = ? AND status = ?",
            [source, supplier_code, CURRENT],
        )
        return _record(rows[0]) if rows else None

    def counts(self) -> list[dict[str, Any]]:
        """Rows per table, supplier and version, current and superseded (``warehouse counts --json``)."""
        selects = []
        for table in TABLES.values():
            for schema, status in (("main", CURRENT), (HISTORY_SCHEMA, SUPERSEDED)):
                selects.append(
                    f"SELECT '{table.name}' AS table_name, t.supplier_code, s.version, t.submission_id, "
                    f"'{status}' AS status, count(*) AS rows FROM {schema}.{table.name} t "
                    f"LEFT JOIN {SUBMISSIONS_TABLE} s USING (submission_id) GROUP BY ALL"
                )
        rows = self.fetch_dicts(" UNION ALL ".join(selects) + " ORDER BY table_name, supplier_code, version")
        return [
            {
                "table": r["table_name"],
                "supplier_code": r["supplier_code"],
                "version": r["version"],
                "submission_id": r["submission_id"],
                "status": r["status"],
                "rows": int(r["rows"]),
            }
            for r in rows
        ]

    def table_counts(self) -> dict[str, int]:
        """Rows of every ``main`` and ``identity`` table: a quick fingerprint of the current state."""
        names = [f"main.{t}" for t in TABLES] + [f"{IDENTITY_SCHEMA}.{t}" for t in PERSON_TABLES]
        names += [f"{HISTORY_SCHEMA}.{t}" for t in TABLES] + [SUBMISSIONS_TABLE]
        row = self.fetchall("SELECT " + ", ".join(f"(SELECT count(*) FROM {n})" for n in names))[0]
        return dict(zip(names, (int(v) for v in row), strict=True))

    def restore(self, source: str, supplier_code: str, version: int) -> SubmissionRecord:
        """Make an earlier version current again, in one transaction; the current one becomes history."""
        wanted = [r for r in self.submissions(source, supplier_code) if r.version == version]
        if not wanted:
            raise LookupError(f"No version {version} of {source} from {supplier_code}")
        target = wanted[0]
        current = self.current_submission(source, supplier_code)
        if current is not None and current.submission_id == target.submission_id:
            return target
        with self.transaction() as con:
            if current is not None:
                move_version(con, source, current.submission_id, to_history=True)
                con.execute(
                    f"UPDATE {SUBMISSIONS_TABLE} SET status = ? WHERE submission_id = ?",
                    [SUPERSEDED, current.submission_id],
                )
            move_version(con, source, target.submission_id, to_history=False)
            con.execute(
                f"UPDATE {SUBMISSIONS_TABLE} SET status = ?, restored_at = now() WHERE submission_id = ?",
                [CURRENT, target.submission_id],
            )
        restored = self.current_submission(source, supplier_code)
        assert restored is not None
        return restored


#: DuckDB's words when another process has the file open (a reader, or a writer outside the queue).
_LOCKED_BY_ANOTHER_PROCESS = "Could not set lock on file"


def _connect_in_turn(path: str, config: dict[str, str | bool | int | float | list[str]], turn: Turn,
                     on_wait: WaitReport | None) -> duckdb.DuckDBPyConnection:
    """Connect for writing once it is this writer's turn. A reader in another process (the review page,
    ``warehouse counts``) may still have the file open for a moment: wait for it too, within the turn's
    time, and never take it for a failure."""
    said = False
    while True:
        try:
            return duckdb.connect(path, config=config)
        except duckdb.IOException as error:
            if _LOCKED_BY_ANOTHER_PROCESS not in str(error):
                raise
            if time.monotonic() >= turn.deadline:
                raise WarehouseHeld("The warehouse is still open in another process.") from error
        if not said and on_wait is not None:
            on_wait(f"{WAITING_FOR_THE_WAREHOUSE}: another process is reading it")
            said = True
        time.sleep(turn.queue.poll_seconds)


def move_version(
    con: duckdb.DuckDBPyConnection, source: str, submission_id: str, *, to_history: bool
) -> None:
    """Move one version's rows between ``main``/``identity`` and ``history`` (inside the caller's transaction)."""
    for table in tables_of(source):
        pairs = [(f"main.{table.name}", f"{HISTORY_SCHEMA}.{table.name}", analytic_columns(table))]
        if table.name in PERSON_TABLES:
            pairs.append(
                (
                    f"{IDENTITY_SCHEMA}.{table.name}",
                    f"{HISTORY_SCHEMA}.identity_{table.name}",
                    identity_columns(table),
                )
            )
        for live, history, columns in pairs:
            origin, destination = (live, history) if to_history else (history, live)
            names = ", ".join(f'"{c}"' for c, _ in columns)
            con.execute(
                f"INSERT INTO {destination} ({names}) SELECT {names} FROM {origin} WHERE submission_id = ?",
                [submission_id],
            )
            con.execute(f"DELETE FROM {origin} WHERE submission_id = ?", [submission_id])
