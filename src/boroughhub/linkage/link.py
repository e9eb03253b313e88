"""Linking the warehouse's person records into persons: full relink or incremental.

``link_persons(con, mode=...)`` is the one entry point the warehouse and the web app call:

- ``full``: score all blocked pairs and recluster everything; person ids carry over wherever a
  cluster persists (``stable_ids.py``).
- ``incremental``: score only pairs touching records that have no ``person_link`` row yet; each
  new record joins the existing person it matches best (existing persons are never merged
  here — that takes a full relink), or forms a new person.

Both obey clerical decisions and refresh the review queue. The model is the latest stored
version; one is trained (and stored with its report) if none exists or ``retrain`` is set.

Everything a run writes to the warehouse (a newly trained model, the review queue, ``person_link``,
its history and the ``linkage_run`` row) is written in one DuckDB transaction at the end, so a run
killed at any moment leaves the warehouse exactly as the previous run left it, and running it again
gives the same partition (docs/decisions/0023-worker-recovers-killed-tasks.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from boroughhub.linkage.backend_choice import LinkageBackend, make_backend
from boroughhub.linkage.cluster import cluster_records
from boroughhub.linkage.explain import score_components
from boroughhub.linkage.link_tables import ensure_link_tables, load_model, save_model
from boroughhub.linkage.model_settings import MATCH_THRESHOLD, REVIEW_LOWER, REVIEW_UPPER
from boroughhub.linkage.predict import predict_pairs
from boroughhub.linkage.records import person_records_sql, split_unique_id
from boroughhub.linkage.report import training_report_html
from boroughhub.linkage.review import (
    current_decisions,
    pairs_in_band,
    queue_uncertain_pairs,
    store_pair_scores,
)
from boroughhub.linkage.stable_ids import assign_person_ids, new_person_id
from boroughhub.linkage.standardise import standardise
from boroughhub.linkage.train import TrainedModel, fits_current_comparisons, train

Mode = Literal["full", "incremental"]


@dataclass(frozen=True)
class LinkRun:
    run_id: str
    mode: str
    model_version: int
    records: int
    new_records: int
    persons: int
    pairs_scored: int
    review_pairs_queued: int


def standardised_records(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The warehouse's person records, standardised (computed in a scratch DuckDB, not the warehouse)."""
    raw = con.sql(person_records_sql(con)).to_arrow_table()
    scratch = duckdb.connect()
    try:
        scratch.register("linkage_raw_arrow", raw)
        scratch.execute("CREATE TABLE linkage_raw AS SELECT * FROM linkage_raw_arrow")
        standardise(scratch, "linkage_raw", "linkage_std")
        return scratch.sql("SELECT * FROM linkage_std").to_arrow_table()
    finally:
        scratch.close()


def _previous_links(
    con: duckdb.DuckDBPyConnection,
) -> tuple[dict[str, str], dict[str, int], dict[str, float]]:
    rows = con.execute(
        "SELECT source || ':' || supplier_code || ':' || record_key, person_id, match_probability FROM person_link"
    ).fetchall()
    ages = con.execute(
        "SELECT person_id, min(linked_at) AS first FROM linkage_person_link_history GROUP BY person_id ORDER BY first, person_id"
    ).fetchall()
    return (
        {r[0]: r[1] for r in rows},
        {pid: rank for rank, (pid, _) in enumerate(ages)},
        {r[0]: r[2] for r in rows if r[2] is not None},
    )


def link_persons(
    con: duckdb.DuckDBPyConnection,
    mode: Mode = "full",
    backend: LinkageBackend | str = "duckdb",
    retrain: bool = False,
    threshold: float = MATCH_THRESHOLD,
    review_lower: float = REVIEW_LOWER,
    review_upper: float = REVIEW_UPPER,
    now: datetime | None = None,
    make_id: Callable[[], str] = new_person_id,
    progress: Callable[[str], None] | None = None,
) -> LinkRun:
    """Link the person records in the warehouse ``con`` and write ``person_link``.

    ``progress`` is told each step as it starts (the worker logs them).
    """
    say = progress or (lambda _step: None)
    now = now or datetime.now(UTC).replace(tzinfo=None)
    run_id = f"link-{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
    ensure_link_tables(con)
    say("Reading and standardising the person records")
    records = standardised_records(con)
    engine = make_backend(backend) if isinstance(backend, str) else backend
    try:
        stored = None if retrain else load_model(con)
        if stored is not None and not fits_current_comparisons(stored.model):
            say(f"Model version {stored.version} was trained on earlier comparisons: training a new one")
            stored = None
        trained: TrainedModel | None = None
        if stored is None:
            say("Training the model")
            model = trained = train(engine, records)
        else:
            model = stored.model
        previous, id_age, previous_probability = _previous_links(con)
        ids = records.column("unique_id").to_pylist()
        is_new = [0 if uid in previous else 1 for uid in ids]
        incremental = mode == "incremental" and bool(previous)
        if incremental:
            records = records.append_column("is_new", pa.array(is_new, pa.int8()))
            say("Scoring pairs that involve new records")
            pairs = predict_pairs(engine, records, model, new_only=True) if any(is_new) else _no_pairs()
        else:
            say("Scoring record pairs")
            pairs = predict_pairs(engine, records, model)
    finally:
        if isinstance(backend, str):
            engine.close()

    # Explained now, while the records are at hand: the review page shows why each pair scored what it did.
    say("Explaining the pairs for clerical review")
    band_scores = score_components(records, model, pairs_in_band(pairs, review_lower, review_upper))

    say("Clustering records into persons")
    decisions = current_decisions(con)
    same = [p for p, d in decisions.items() if d == "same"]
    not_same = [p for p, d in decisions.items() if d == "not_same"]
    keep_apart = {uid: previous[uid] for uid in ids if uid in previous} if incremental else None
    if incremental:
        pairs = _best_existing_match_only(pairs, set(previous), threshold)
    clusters = cluster_records(ids, pairs, threshold, same, not_same, keep_apart)
    person_ids = assign_person_ids(clusters, previous, id_age, make_id)
    best = _best_probability_within_person(pairs, person_ids, threshold, same)
    if incremental:
        for uid, p in previous_probability.items():
            if uid in person_ids and person_ids[uid] == previous[uid]:
                best[uid] = max(best.get(uid, 0.0), p)

    keys = [split_unique_id(uid) for uid in ids]
    link_rows = pa.table(
        {
            "source": [k[0] for k in keys],
            "supplier_code": [k[1] for k in keys],
            "record_key": [k[2] for k in keys],
            "person_id": [person_ids[uid] for uid in ids],
            "match_probability": pa.array([best.get(uid) for uid in ids], pa.float64()),
            "linked_at": pa.array([now] * len(ids), pa.timestamp("us")),
            "run_id": [run_id] * len(ids),
        }
    )
    say("Writing person_link")
    con.register("linkage_tmp_link_rows", link_rows)
    con.execute("BEGIN TRANSACTION")
    try:
        version = stored.version if stored is not None else _store_trained_model(con, trained, now)
        queued = queue_uncertain_pairs(
            con, pairs, review_lower, review_upper, run_id, now, supersede=not incremental
        )
        store_pair_scores(con, band_scores, run_id)
        con.execute("DELETE FROM person_link")
        con.execute("INSERT INTO person_link SELECT * FROM linkage_tmp_link_rows")
        con.execute("INSERT INTO linkage_person_link_history SELECT * FROM person_link")
        persons = len(set(person_ids.values()))
        con.execute(
            "INSERT INTO linkage_run VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, now, datetime.now(UTC).replace(tzinfo=None), mode, engine.name, version, threshold,
             review_lower, len(ids), sum(is_new), persons, pairs.num_rows, queued],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("linkage_tmp_link_rows")
    return LinkRun(run_id, mode, version, len(ids), sum(is_new), persons, pairs.num_rows, queued)


def _store_trained_model(con: duckdb.DuckDBPyConnection, model: TrainedModel | None, now: datetime) -> int:
    """Store a model trained by this run, with its report (inside the run's transaction)."""
    if model is None:
        raise ValueError("A run without a stored model must have trained one.")
    version = save_model(con, model, training_report_html(model, 0, now), now)
    con.execute(
        "UPDATE linkage_model SET report_html = ? WHERE version = ?",
        [training_report_html(model, version, now), version],
    )
    return version


def _no_pairs() -> pa.Table:
    from boroughhub.linkage.predict import PAIR_SCHEMA

    return PAIR_SCHEMA.empty_table()


def _best_existing_match_only(pairs: pa.Table, existing: set[str], threshold: float) -> pa.Table:
    """Keep, for each new record, only its strongest link into existing records (plus new-new links).

    So a new record joins one existing person and never bridges two of them.
    """
    best: dict[str, tuple[float, int]] = {}
    rows = pairs.to_pylist()
    keep = []
    for i, row in enumerate(rows):
        left_old, right_old = row["unique_id_l"] in existing, row["unique_id_r"] in existing
        if left_old and right_old:
            continue
        if left_old or right_old:
            new = row["unique_id_r"] if left_old else row["unique_id_l"]
            p = row["match_probability"]
            if p >= threshold and (new not in best or p > best[new][0]):
                best[new] = (p, i)
            if p < threshold:
                keep.append(i)  # below threshold: only for the review queue
        else:
            keep.append(i)
    keep += [i for _, i in best.values()]
    return pairs.take(pa.array(sorted(keep), pa.int64()))


def _best_probability_within_person(
    pairs: pa.Table, person_ids: dict[str, str], threshold: float, same: list[tuple[str, str]]
) -> dict[str, float]:
    """Each record's strongest link to another record of its person (``match_probability`` in person_link)."""
    best: dict[str, float] = {}
    strong = pairs.filter(pc.greater_equal(pairs.column("match_probability"), threshold))
    links = list(zip(strong.column("unique_id_l").to_pylist(), strong.column("unique_id_r").to_pylist(),
                     strong.column("match_probability").to_pylist(), strict=True))
    links += [(a, b, 1.0) for a, b in same]
    for a, b, p in links:
        if a in person_ids and b in person_ids and person_ids[a] == person_ids[b]:
            best[a] = max(best.get(a, 0.0), p)
            best[b] = max(best.get(b, 0.0), p)
    return best
