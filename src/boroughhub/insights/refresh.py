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


def compute(con: duckdb.DuckDBPyConnection, params: Parameters) -> ResolvedParameters:
    """Build every working table (temporary, this connection only); ``ins_metric_values`` is the result."""
    resolved = resolve(con, params)
    statements = build_statements(
        resolved,
        has_population=table_exists(con, "main", "population_estimates"),
        submissions_in_use=submissions_in_use(con) if table_exists(con, "main", "submissions") else None,
    )
    run(con, statements)
    return resolved


def refresh(con: duckdb.DuckDBPyConnection, params: Parameters | None = None) -> ResolvedParameters:
    """Recompute every metric and replace ``main.metric_values`` and ``main.metric_run`` atomically.

    A failure leaves both tables as they were.
    """
    params = params or Parameters()
    con.execute("BEGIN TRANSACTION")
    try:
        resolved = compute(con, params)
        con.execute("CREATE OR REPLACE TABLE main.metric_values AS SELECT * FROM ins_metric_values")
        con.execute(
            "CREATE OR REPLACE TABLE main.metric_run AS SELECT ? AS computed_at, ? AS as_at, ? AS history_start, "
            "? AS parameters",
            [dt.datetime.now(dt.UTC), resolved.as_at, resolved.history_start, json.dumps(dict(resolved.as_rows()))],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return resolved
