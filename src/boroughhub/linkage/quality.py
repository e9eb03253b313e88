"""How good the linkage is, for the data manager: figures about pairs and persons, never about a person.

- Precision and recall estimated from clerical labels: precision is the share of reviewed pairs the model
  linked that people judged the same person; recall the share of pairs people judged the same that the
  model linked. Reviewed pairs come from the uncertain band, where the model errs most, so these are
  estimates for the hard cases, not the whole population of pairs (the page says so).
- Person sizes (records per person) and persons found across each pair of sources.
- What changed since the previous model version: parameters, and the persons its runs produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations_with_replacement
from typing import Any

import duckdb
from statsmodels.stats.proportion import proportion_confint

from boroughhub.linkage.link_tables import ensure_link_tables, load_model
from boroughhub.linkage.model_settings import MATCH_THRESHOLD
from boroughhub.linkage.train import parameter_rows

SIZE_BUCKETS = ("1", "2", "3", "4", "5", "6 to 10", "11 or more")


@dataclass(frozen=True)
class Estimate:
    """A proportion from labels with its 95% Wilson interval; ``value`` is None without labels."""

    agreeing: int
    labelled: int
    value: float | None
    lower: float | None
    upper: float | None


def _estimate(agreeing: int, labelled: int) -> Estimate:
    if labelled == 0:
        return Estimate(0, 0, None, None, None)
    lower, upper = proportion_confint(agreeing, labelled, alpha=0.05, method="wilson")
    return Estimate(agreeing, labelled, agreeing / labelled, float(lower), float(upper))


def label_estimates(con: duckdb.DuckDBPyConnection, threshold: float = MATCH_THRESHOLD) -> tuple[Estimate, Estimate]:
    """(precision, recall) of the model's decision at ``threshold`` against people's latest labels."""
    ensure_link_tables(con)
    rows = con.execute(
        """
        WITH latest AS (
            SELECT unique_id_l, unique_id_r, arg_max(decision, decided_at) AS decision
            FROM linkage_review_decision GROUP BY unique_id_l, unique_id_r
        )
        SELECT l.decision, q.match_probability >= ? AS linked
        FROM latest AS l JOIN linkage_review_queue AS q USING (unique_id_l, unique_id_r)
        """,
        [threshold],
    ).fetchall()
    linked = [decision for decision, was_linked in rows if was_linked]
    same = [was_linked for decision, was_linked in rows if decision == "same"]
    return _estimate(linked.count("same"), len(linked)), _estimate(sum(same), len(same))


def person_sizes(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """How many persons have 1, 2, ... records (every bucket, zeros included)."""
    ensure_link_tables(con)
    rows = dict(con.execute(
        """
        SELECT CASE WHEN records >= 11 THEN '11 or more' WHEN records >= 6 THEN '6 to 10'
                    ELSE CAST(records AS VARCHAR) END, count(*)
        FROM (SELECT person_id, count(*) AS records FROM person_link GROUP BY person_id) GROUP BY 1
        """
    ).fetchall())
    return [(bucket, int(rows.get(bucket, 0))) for bucket in SIZE_BUCKETS]


@dataclass(frozen=True)
class SourcePair:
    source_a: str
    source_b: str
    persons: int
    records: int  # records of either source in those persons


def linked_by_source_pair(con: duckdb.DuckDBPyConnection) -> list[SourcePair]:
    """Persons holding records of both sources (for a source with itself: two or more of its records)."""
    ensure_link_tables(con)
    counts: dict[str, dict[str, int]] = {}
    for person, source, records in con.execute(
        "SELECT person_id, source, count(*) FROM person_link GROUP BY person_id, source"
    ).fetchall():
        counts.setdefault(person, {})[source] = int(records)
    sources = sorted({s for by_source in counts.values() for s in by_source})
    result = []
    for a, b in combinations_with_replacement(sources, 2):
        persons = records = 0
        for by_source in counts.values():
            both = by_source.get(a, 0) >= 2 if a == b else a in by_source and b in by_source
            if both:
                persons += 1
                records += by_source[a] + (by_source[b] if a != b else 0)
        result.append(SourcePair(a, b, persons, records))
    return result


@dataclass(frozen=True)
class ModelChange:
    current_version: int
    previous_version: int | None
    current: dict[str, Any]
    previous: dict[str, Any] | None
    # (comparison, level, previous weight, current weight), biggest change first
    weight_changes: list[tuple[str, str, float | None, float | None]]
    records_moved: int | None  # records whose person differs between the two versions' latest runs


def _run_summary(con: duckdb.DuckDBPyConnection, version: int) -> dict[str, Any]:
    row = con.execute(
        "SELECT run_id, started_at, records, persons, pairs_scored, review_pairs_queued FROM linkage_run "
        "WHERE model_version = ? ORDER BY started_at DESC LIMIT 1",
        [version],
    ).fetchone()
    keys = ("run_id", "started_at", "records", "persons", "pairs_scored", "review_pairs_queued")
    return dict(zip(keys, row, strict=True)) if row else {}


def _size_of_change(change: tuple[str, str, float | None, float | None]) -> float:
    """A level new to (or gone from) the model counts as the biggest change."""
    _, _, before, now = change
    return float("inf") if before is None or now is None else abs(now - before)


def model_change(con: duckdb.DuckDBPyConnection) -> ModelChange | None:
    """The latest model against the one before it; None before any model was trained."""
    current = load_model(con)
    if current is None:
        return None
    previous = load_model(con, current.version - 1) if current.version > 1 else None

    def summary(stored: Any) -> dict[str, Any]:
        return {"trained_at": stored.trained_at, "record_count": stored.model.record_count,
                "fields": ", ".join(stored.model.fields) or "none",
                "prior": stored.model.model.get("probability_two_random_records_match"),
                **_run_summary(con, stored.version)}

    now = {(r["comparison"], str(r["level"])): r["match_weight"] for r in parameter_rows(current.model)}
    before = {(r["comparison"], str(r["level"])): r["match_weight"] for r in parameter_rows(previous.model)} \
        if previous else {}
    changes = [(c, level, before.get((c, level)), now.get((c, level))) for c, level in {**before, **now}]
    changes.sort(key=_size_of_change, reverse=True)
    moved = None
    if previous is not None:
        runs = (_run_summary(con, previous.version).get("run_id"), _run_summary(con, current.version).get("run_id"))
        if None not in runs:
            row = con.execute(
                """
                SELECT count(*) FROM linkage_person_link_history AS a JOIN linkage_person_link_history AS b
                  ON a.source = b.source AND a.supplier_code = b.supplier_code AND a.record_key = b.record_key
                WHERE a.run_id = ? AND b.run_id = ? AND a.person_id <> b.person_id
                """,
                list(runs),
            ).fetchone()
            moved = int(row[0]) if row else 0
    return ModelChange(
        current_version=current.version,
        previous_version=previous.version if previous else None,
        current=summary(current),
        previous=summary(previous) if previous else None,
        weight_changes=changes if previous else [],
        records_moved=moved,
    )
