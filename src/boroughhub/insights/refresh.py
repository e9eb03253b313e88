"""``refresh``: rebuild ``main.metric_values`` from the current warehouse tables in one transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import duckdb

from boroughhub.insights import cohorts, events, framework, linked, output, pathways, records
from boroughhub.insights.facts import FACT_COLUMNS
from boroughhub.insights.params import (
    Parameters,
    ResolvedParameters,
    resolve,
    submissions_in_use,
    table_exists,
)
from boroughhub.insights.sql import Statement, run


def fact_statement(params: ResolvedParameters) -> Statement:
    selects = [
        *cohorts.chain_fact_selects(params),
        *framework.framework_fact_selects(params),
        *framework.t1_fact_selects(),
        *linked.prevention_fact_selects(),
        *linked.brief_fact_selects(),
        *linked.nonrec_fact_selects(),
        *pathways.pathway_fact_selects(),
    ]
    union = "\nUNION ALL\n".join(f"SELECT {', '.join(FACT_COLUMNS)} FROM ({s})" for s in selects)
    return Statement("ins_facts", union)


def build_statements(
    params: ResolvedParameters, *, has_population: bool = False, submissions_in_use: str | None = None
) -> Iterator[Statement]:
    """Every statement of a run, in order: pure, so a test or a reader can print the SQL."""
    yield from records.reference_statements()
    yield from records.record_statements()
    yield from events.night_statements(params)
    yield from records.attribute_statements(params)
    yield from events.event_statements(params)
    yield from cohorts.period_statements(params)
    yield from cohorts.person_period_statements()
    yield from framework.framework_statements(params)
    yield from framework.t1_statements(params)
    yield from linked.new60_statements(params)
    yield from linked.prevention_statements(params)
    yield from linked.brief_statements(params)
    yield from linked.nonrec_statements(params)
    yield from pathways.pathway_statements(params)
    yield fact_statement(params)
    yield from output.setup_statements(params)
    yield from output.block_statements()
    yield from output.count_statements(params)
    yield from output.value_statements(params, has_population=has_population, submissions_in_use=submissions_in_use)


def _statements(con: duckdb.DuckDBPyConnection, resolved: ResolvedParameters) -> list[Statement]:
    return list(
        build_statements(
            resolved,
            has_population=table_exists(con, "main", "population_estimates"),
            submissions_in_use=submissions_in_use(con) if table_exists(con, "main", "submissions") else None,
        )
    )


def compute(con: duckdb.DuckDBPyConnection, params: Parameters) -> ResolvedParameters:
    """Build every working table (temporary, this connection only); ``ins_metric_values`` is the result.

    The working tables stay on the connection for inspection; ``refresh`` drops them when done.
    """
    resolved = resolve(con, params)
    run(con, _statements(con, resolved))
    return resolved


def drop_working_tables(con: duckdb.DuckDBPyConnection, statements: list[Statement]) -> None:
    """Drop the temporary tables and views of a run (views first: they read the tables)."""
    for statement in sorted(reversed(statements), key=lambda s: not s.view):
        kind = "VIEW" if statement.view else "TABLE"
        con.execute(f"DROP {kind} IF EXISTS temp.{statement.table}")


def refresh(con: duckdb.DuckDBPyConnection, params: Parameters | None = None) -> ResolvedParameters:
    """Recompute every metric and replace ``main.metric_values`` and ``main.metric_run`` atomically.

    The working tables are temporary (this connection only) and built outside the transaction; only the
    replacement of the two output tables is one transaction. A failure leaves both as they were.
    """
    resolved = resolve(con, params or Parameters())
    statements = _statements(con, resolved)
    try:
        run(con, statements)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("CREATE OR REPLACE TABLE main.metric_values AS SELECT * FROM ins_metric_values")
            con.execute(
                "CREATE OR REPLACE TABLE main.metric_run AS SELECT ? AS computed_at, ? AS as_at, "
                "? AS history_start, ? AS parameters",
                [dt.datetime.now(dt.UTC), resolved.as_at, resolved.history_start,
                 json.dumps(dict(resolved.as_rows()))],
            )  # fmt: skip
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        drop_working_tables(con, statements)
    return resolved
