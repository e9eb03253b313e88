"""SQL text helpers shared by the metric builders, and the one function that runs their statements.

Builders are pure: they take parameters and return :class:`Statement` objects (a temporary table name and
the ``SELECT`` that fills it). :func:`run` is the only place that executes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb

from boroughhub.reference import code_list

SqlValue = str | int | float | bool | dt.date | None


@dataclass(frozen=True)
class Statement:
    """``CREATE OR REPLACE TEMP TABLE {table} AS {select}`` (or a temporary view)."""

    table: str
    select: str
    view: bool = False  # a temporary view: computed where it is read, never stored

    def sql(self) -> str:
        kind = "VIEW" if self.view else "TABLE"
        return f"CREATE OR REPLACE TEMP {kind} {self.table} AS\n{self.select}"


def literal(value: SqlValue) -> str:
    """A SQL literal for a Python value (strings quoted, dates typed)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + value.replace("'", "''") + "'"


def in_list(values: Iterable[str]) -> str:
    """``('a', 'b')`` for an ``IN`` test; ``(NULL)`` when empty, so the test is never true."""
    items = [literal(v) for v in values]
    return "(" + (", ".join(items) if items else "NULL") + ")"


def values_select(columns: Sequence[str], rows: Sequence[Sequence[SqlValue]]) -> str:
    """A ``SELECT`` of literal rows with named columns (an empty result if there are no rows)."""
    if not rows:
        nulls = ", ".join(f"NULL AS {c}" for c in columns)
        return f"SELECT {nulls} WHERE FALSE"
    body = ",\n  ".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows)
    return f"SELECT * FROM (VALUES\n  {body}) AS t({', '.join(columns)})"


def code_list_select(name: str, columns: Sequence[str]) -> str:
    """A code list of the package as a ``SELECT`` (all values as text, empty cells as NULL)."""
    rows = [[row[c] or None for c in columns] for row in code_list(name)]
    return values_select(columns, rows)


def run(con: duckdb.DuckDBPyConnection, statements: Iterable[Statement]) -> None:
    """Run the statements in order on ``con`` (the caller owns the transaction)."""
    for statement in statements:
        try:
            con.execute(statement.sql())
        except duckdb.Error as error:
            raise RuntimeError(f"building {statement.table} failed: {error}") from error
