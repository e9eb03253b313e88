"""Run parameters of the metrics (metrics.md table 0.1) and how their defaults are resolved."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

import duckdb

from boroughhub.reference import code_list

LONDON = "E12000007"
"""ONS code of the London region: the London row of every metric."""


def default_p2_institution_types() -> tuple[str, ...]:
    """Rows of ``institution_type.csv`` with ``p2_counts = true``."""
    return tuple(row["code"] for row in code_list("institution_type") if row["p2_counts"] == "true")


@dataclass(frozen=True)
class Parameters:
    """What the user may set; ``as_at`` and ``history_start`` default from the submissions (resolve)."""

    history_start: dt.date | None = None
    as_at: dt.date | None = None
    lots_min_nights: int = 5
    lots_min_span_days: int = 21
    p1_lookback_months: int = 60
    p1_scope: str = "london"
    p2_window_days: int = 85
    p2_institution_types: tuple[str, ...] = field(default_factory=default_p2_institution_types)
    p2_use_hclic_proxy: bool = True
    b1_window_months: int = 12
    b1_min_months: int = 3
    nr1_gap_days: int = 90
    t1_lookback_months: int = 60
    prevention_lookback_days: int = 365
    follow_up_days: int = 365
    episode_merge_days: int = 14
    ta_exit_match_days: int = 7
    nonrec_follow_up_days: int = 730
    nonrec_prior_rs_days: int = 365

    def __post_init__(self) -> None:
        if self.p1_scope not in ("london", "area"):
            raise ValueError(f"p1_scope must be 'london' or 'area', not {self.p1_scope!r}")
        unknown = set(self.p2_institution_types) - {row["code"] for row in code_list("institution_type")}
        if unknown:
            raise ValueError(f"p2_institution_types has codes not in institution_type.csv: {sorted(unknown)}")
        for name in ("lots_min_nights", "p2_window_days", "b1_window_months", "follow_up_days"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")


@dataclass(frozen=True)
class ResolvedParameters(Parameters):
    """Parameters with both dates known: what a run actually uses."""

    history_start: dt.date = dt.date(1900, 1, 1)
    as_at: dt.date = dt.date(1900, 1, 1)

    def as_rows(self) -> list[tuple[str, str]]:
        """(name, value) pairs for the notes sheet of an export."""
        rows = []
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            text = ", ".join(value) if isinstance(value, tuple) else str(value).lower() if isinstance(value, bool) else str(value)
            rows.append((item.name, text))
        return rows


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def submissions_in_use(con: duckdb.DuckDBPyConnection) -> str:
    """SQL condition on ``main.submissions`` (alias-free) selecting the submissions in use (1.1).

    In use: the current tables still carry the ``submission_id`` (the warehouse keeps only the latest
    accepted submission of each supplier and source there), or the warehouse marks it ``current``.
    """
    tests = [
        f"submission_id IN (SELECT submission_id FROM main.{t})"
        for t in ("chain_people", "inform_clients", "hclic_cases")
        if table_exists(con, "main", t)
    ]
    has_status = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_name = 'submissions' AND column_name = 'status'"
    ).fetchone()
    if has_status and has_status[0]:
        tests.append("status = 'current'")
    return "(" + (" OR ".join(tests) or "FALSE") + ")"


def submission_dates(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """(earliest CHAIN extract_period_start, latest extract_period_end) of the submissions in use."""
    if not table_exists(con, "main", "submissions"):
        return None, None
    row = con.execute(
        "SELECT min(extract_period_start) FILTER (WHERE source = 'chain'), max(extract_period_end) "
        f"FROM main.submissions WHERE {submissions_in_use(con)}"
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def resolve(con: duckdb.DuckDBPyConnection, params: Parameters) -> ResolvedParameters:
    """Fill ``as_at`` and ``history_start`` from the submissions when the caller left them empty."""
    history_start, as_at = params.history_start, params.as_at
    if history_start is None or as_at is None:
        first, last = submission_dates(con)
        history_start = history_start or first
        as_at = as_at or last
    if history_start is None or as_at is None:
        raise ValueError("as_at and history_start are not set and there are no submissions to take them from")
    if history_start > as_at:
        raise ValueError(f"history_start {history_start} is after as_at {as_at}")
    values = {f.name: getattr(params, f.name) for f in dataclasses.fields(params)}
    values.update(history_start=history_start, as_at=as_at)
    return ResolvedParameters(**values)
