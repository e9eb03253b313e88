"""Clerical review: uncertain pairs are queued; people decide; every later clustering obeys.

A pair whose match probability falls in ``[REVIEW_LOWER, REVIEW_UPPER)`` (either side of the threshold) goes to
``linkage_review_queue`` unless a decision already covers it. A reviewer records "same" or
"not_same" in ``linkage_review_decision`` (append-only; the latest decision on a pair wins).
Decisions are keyed by record (``unique_id`` = source:supplier_code:record_key), not by person,
so they survive relinks, retraining and new extracts (``cluster.py`` enforces them).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from boroughhub.linkage.link_tables import ensure_link_tables

Decision = Literal["same", "not_same"]


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def record_decision(
    con: duckdb.DuckDBPyConnection,
    unique_id_a: str,
    unique_id_b: str,
    decision: Decision,
    decided_by: str,
    decided_at: datetime,
    note: str | None = None,
) -> None:
    """Store a reviewer's decision and close the pair in the queue."""
    if decision not in ("same", "not_same"):
        raise ValueError(f"A review decision is 'same' or 'not_same', not {decision!r}.")
    if unique_id_a == unique_id_b:
        raise ValueError("A review decision needs two different records.")
    ensure_link_tables(con)
    left, right = _ordered(unique_id_a, unique_id_b)
    con.execute(
        "INSERT INTO linkage_review_decision VALUES (?, ?, ?, ?, ?, ?)",
        [left, right, decision, decided_by, decided_at, note],
    )
    con.execute(
        "UPDATE linkage_review_queue SET status = 'decided' WHERE unique_id_l = ? AND unique_id_r = ?",
        [left, right],
    )


def current_decisions(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], Decision]:
    """The latest decision for every reviewed pair."""
    ensure_link_tables(con)
    rows = con.execute(
        """
        SELECT unique_id_l, unique_id_r, arg_max(decision, decided_at) AS decision
        FROM linkage_review_decision GROUP BY unique_id_l, unique_id_r
        """
    ).fetchall()
    return {(left, right): decision for left, right, decision in rows}


def pairs_in_band(pairs: pa.Table, lower: float, upper: float) -> pa.Table:
    probability = pairs.column("match_probability")
    return pairs.filter(pc.and_(pc.greater_equal(probability, lower), pc.less(probability, upper)))


def queue_uncertain_pairs(
    con: duckdb.DuckDBPyConnection,
    pairs: pa.Table,
    lower: float,
    upper: float,
    run_id: str,
    now: datetime,
    supersede: bool = True,
) -> int:
    """Queue undecided pairs with lower <= probability < upper; returns how many are open for this run.

    With ``supersede`` (full runs, which score every pair), open pairs from earlier runs that are no
    longer in the band are marked ``superseded``; incremental runs score only new pairs and leave
    the rest of the queue alone.
    """
    ensure_link_tables(con)
    band = pairs_in_band(pairs, lower, upper)
    decided = current_decisions(con)
    keep = [
        (left, right) not in decided
        for left, right in zip(band.column("unique_id_l").to_pylist(), band.column("unique_id_r").to_pylist(), strict=True)
    ]
    undecided = band.filter(pa.array(keep, pa.bool_())) if band.num_rows else band
    con.register(
        "linkage_tmp_band_arrow",
        pa.table(
            {
                "l": undecided.column("unique_id_l"),
                "r": undecided.column("unique_id_r"),
                "p": undecided.column("match_probability"),
                "w": undecided.column("match_weight"),
            }
        ),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE linkage_tmp_band AS SELECT * FROM linkage_tmp_band_arrow")
    con.unregister("linkage_tmp_band_arrow")
    if supersede:
        con.execute(
            """
            UPDATE linkage_review_queue AS q SET status = 'superseded'
            WHERE q.status = 'open'
              AND NOT EXISTS (SELECT 1 FROM linkage_tmp_band b WHERE b.l = q.unique_id_l AND b.r = q.unique_id_r)
            """
        )
    con.execute(
        """
        INSERT INTO linkage_review_queue
        SELECT b.l, b.r, b.p, b.w, ?, ?, 'open' FROM linkage_tmp_band AS b
        WHERE NOT EXISTS (
            SELECT 1 FROM linkage_review_queue q WHERE q.unique_id_l = b.l AND q.unique_id_r = b.r
        )
        """,
        [run_id, now],
    )
    con.execute(
        """
        UPDATE linkage_review_queue AS q SET status = 'open', match_probability = b.p, match_weight = b.w
        FROM linkage_tmp_band AS b
        WHERE b.l = q.unique_id_l AND b.r = q.unique_id_r AND q.status = 'superseded'
        """
    )
    con.execute("DROP TABLE linkage_tmp_band")
    return int(undecided.num_rows)


def open_review_pairs(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, float]]:
    """Open pairs, most uncertain first (probability closest to 0.5), then by ids."""
    ensure_link_tables(con)
    rows = con.execute(
        """
        SELECT unique_id_l, unique_id_r, match_probability FROM linkage_review_queue
        WHERE status = 'open' ORDER BY abs(match_probability - 0.5), unique_id_l, unique_id_r
        """
    ).fetchall()
    return [(a, b, float(p)) for a, b, p in rows]


def store_pair_scores(con: duckdb.DuckDBPyConnection, scores: pa.Table, run_id: str) -> None:
    """Keep each band pair's comparison-by-comparison scores (``explain.score_components``), replacing
    what an earlier run stored for the same pair."""
    ensure_link_tables(con)
    rows = [(row["unique_id_l"], row["unique_id_r"], run_id, json.dumps(row)) for row in scores.to_pylist()]
    if not rows:
        return
    con.executemany("INSERT OR REPLACE INTO linkage_pair_scores VALUES (?, ?, ?, ?)", rows)


def stored_pair_scores(con: duckdb.DuckDBPyConnection, unique_id_l: str, unique_id_r: str) -> tuple[dict[str, Any], int] | None:
    """A pair's stored scores and the version of the model that produced them, if a run stored them."""
    ensure_link_tables(con)
    row = con.execute(
        """
        SELECT s.scores_json, r.model_version FROM linkage_pair_scores AS s
        JOIN linkage_run AS r ON r.run_id = s.run_id
        WHERE s.unique_id_l = ? AND s.unique_id_r = ?
        """,
        [unique_id_l, unique_id_r],
    ).fetchone()
    return None if row is None or row[1] is None else (json.loads(row[0]), int(row[1]))
