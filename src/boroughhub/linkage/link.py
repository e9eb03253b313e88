"""Linking the warehouse's person records into persons: full relink or incremental.

``link_persons(con, mode=...)`` is the one entry point the warehouse and the web app call:

- ``full``: score all blocked pairs and recluster everything; person ids carry over wherever a
  cluster persists (``stable_ids.py``).
- ``incremental``: score only pairs touching records that are new or whose compared values changed,
  reuse the pairs the last run stored for the rest, and recluster: existing persons merge or split
  where the new records demand it, as a full relink would (``incremental.py``). Falls back to
  scoring everything when the last run's pairs were scored by another model version.

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
from boroughhub.linkage.cluster import cluster_records, household_pairs
from boroughhub.linkage.explain import score_components, term_frequency_columns
from boroughhub.linkage.incremental import pairs_after_changes, record_fingerprints
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


def _previous_links(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[str, int]]:
    rows = con.execute(
        "SELECT source || ':' || supplier_code || ':' || record_key, person_id FROM person_link"
    ).fetchall()
    ages = con.execute(
        "SELECT person_id, min(linked_at) AS first FROM linkage_person_link_history GROUP BY person_id ORDER BY first, person_id"
    ).fetchall()
    return {r[0]: r[1] for r in rows}, {pid: rank for rank, (pid, _) in enumerate(ages)}


def _stored_state(con: duckdb.DuckDBPyConnection, model_version: int) -> tuple[pa.Table, pa.Table] | None:
    """The last run's record fingerprints and scored pairs, if that run used ``model_version``."""
    used = con.execute("SELECT DISTINCT model_version FROM linkage_record_state").fetchall()
    if used != [(model_version,)]:
        return None
    state = con.sql("SELECT unique_id, fingerprint, value_hashes FROM linkage_record_state").to_arrow_table()
    pairs = con.sql(
        "SELECT unique_id_l, unique_id_r, match_probability, match_weight FROM linkage_scored_pairs"
    ).to_arrow_table()
    return state, pairs


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
        previous, id_age = _previous_links(con)
        ids = records.column("unique_id").to_pylist()
        is_new = [0 if uid in previous else 1 for uid in ids]
        fingerprints = record_fingerprints(records, term_frequency_columns(model))
        state = _stored_state(con, stored.version) if stored is not None and mode == "incremental" else None
        incremental = state is not None
        if state is not None:
            say("Scoring pairs that involve new or changed records")
            pairs, scored_now, _ = pairs_after_changes(engine, records, model, threshold, fingerprints, *state)
        else:
            say("Scoring record pairs")
            pairs = scored_now = predict_pairs(engine, records, model)
    finally:
        if isinstance(backend, str):
            engine.close()

    # Explained now, while the records are at hand: the review page shows why each pair scored what it did.
    say("Explaining the pairs for clerical review")
    band_scores = score_components(records, model, pairs_in_band(scored_now, review_lower, review_upper))

    say("Clustering records into persons")
    decisions = current_decisions(con)
    same = [p for p, d in decisions.items() if d == "same"]
    not_same = [p for p, d in decisions.items() if d == "not_same"]
    not_same += household_pairs(ids, records.column("household").to_pylist())
    clusters = cluster_records(ids, pairs, threshold, same, not_same)
    person_ids = assign_person_ids(clusters, previous, id_age, make_id)
    best = _best_probability_within_person(pairs, person_ids, threshold, same)

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
    con.register("linkage_tmp_pairs", pairs)
    con.register("linkage_tmp_fingerprints", fingerprints)
    con.execute("BEGIN TRANSACTION")
    try:
        version = stored.version if stored is not None else _store_trained_model(con, trained, now)
        queued = queue_uncertain_pairs(
            con, scored_now, review_lower, review_upper, run_id, now, supersede=not incremental
        )
        # What the next incremental run starts from: every pair as scored, and what each record held.
        con.execute("DELETE FROM linkage_scored_pairs")
        con.execute(
            "INSERT INTO linkage_scored_pairs SELECT unique_id_l, unique_id_r, match_probability, match_weight, ? "
            "FROM linkage_tmp_pairs", [run_id]
        )
        con.execute("DELETE FROM linkage_record_state")
        con.execute("INSERT INTO linkage_record_state SELECT unique_id, fingerprint, value_hashes, ? FROM linkage_tmp_fingerprints",
                    [version])
        store_pair_scores(con, band_scores, run_id)
        con.execute("DELETE FROM person_link")
        con.execute("INSERT INTO person_link SELECT * FROM linkage_tmp_link_rows")
        con.execute("INSERT INTO linkage_person_link_history SELECT * FROM person_link")
        persons = len(set(person_ids.values()))
        con.execute(
            "INSERT INTO linkage_run VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, now, datetime.now(UTC).replace(tzinfo=None), mode, engine.name, version, threshold,
             review_lower, len(ids), sum(is_new), persons, scored_now.num_rows, queued],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in ("linkage_tmp_link_rows", "linkage_tmp_pairs", "linkage_tmp_fingerprints"):
            con.unregister(name)
    return LinkRun(run_id, mode, version, len(ids), sum(is_new), persons, scored_now.num_rows, queued)


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
