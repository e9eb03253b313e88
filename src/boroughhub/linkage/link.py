"""Linking the warehouse's person records into persons: full relink or incremental.

``link_persons(con, mode=...)`` is the one entry point the warehouse and the web app call:

- ``full``: standardise every record, score all blocked pairs and recluster everything; person ids carry
  over wherever a cluster persists (``stable_ids.py``).
- ``incremental``: standardise only new and changed source rows (``standardised_store.py``), score only
  pairs touching records that are new or whose values changed and stored pairs whose weight term
  frequencies can have moved across the threshold, reuse the pairs the last run stored for the rest, and
  cluster again only the components those changes reach (``components.py``): existing persons merge or
  split where the new records demand it, as a full relink would (``incremental.py``, decision 0180). Falls
  back to scoring everything when the last run's pairs were scored by another model version.

Both obey clerical decisions and refresh the review queue. The model is the latest stored
version; one is trained (and stored with its report) if none exists or ``retrain`` is set.

Everything a run writes to the warehouse (a newly trained model, the review queue, ``person_link``,
its history, the state the next run starts from and the ``linkage_run`` row) is written in one DuckDB transaction at the end, so a run
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
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from boroughhub.linkage.backend_choice import LinkageBackend, make_backend
from boroughhub.linkage.cluster import cluster_persons
from boroughhub.linkage.components import records_to_recluster
from boroughhub.linkage.explain import score_components, term_frequency_columns
from boroughhub.linkage.incremental import (
    PairsNow,
    fingerprints_reusing,
    pairs_after_changes,
    record_fingerprints,
)
from boroughhub.linkage.label_training import learn_from_labels, training_labels
from boroughhub.linkage.link_tables import ensure_link_tables, load_model, save_model
from boroughhub.linkage.model_settings import MATCH_THRESHOLD, REVIEW_LOWER, REVIEW_UPPER
from boroughhub.linkage.predict import predict_pairs
from boroughhub.linkage.records import person_records_sql
from boroughhub.linkage.report import training_report_html
from boroughhub.linkage.review import (
    current_decisions,
    pairs_in_band,
    queue_uncertain_pairs,
    store_pair_scores,
)
from boroughhub.linkage.run_state import store_run_state, stored_state
from boroughhub.linkage.stable_ids import assign_person_ids, new_person_id
from boroughhub.linkage.standardise import standardise
from boroughhub.linkage.standardised_store import read_standardised, store_standardised
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


def _previous_links(con: duckdb.DuckDBPyConnection, ids: pa.Array) -> pa.Table:
    """``unique_id``, ``person_id``, ``match_probability`` of the last run, in the order of ``ids`` (nulls
    for new records), and the ids and persons of records that are gone (``gone``: true)."""
    links = con.sql(
        "SELECT source || ':' || supplier_code || ':' || record_key AS unique_id, person_id, match_probability "
        "FROM person_link"
    ).to_arrow_table()
    at = pc.index_in(ids, value_set=links.column("unique_id").combine_chunks())
    aligned = pa.table({"unique_id": ids, "person_id": pc.take(links.column("person_id"), at),
                        "match_probability": pc.take(links.column("match_probability"), at),
                        "gone": pa.array([False] * len(ids), pa.bool_())})
    gone = links.filter(pc.invert(pc.is_in(links.column("unique_id"), value_set=ids)))
    return pa.concat_tables([aligned, gone.append_column("gone", pa.array([True] * gone.num_rows, pa.bool_()))])


def _id_ages(con: duckdb.DuckDBPyConnection, person_ids: list[str]) -> dict[str, int]:
    """Rank of each of ``person_ids`` by when it was first given (older first; ties by id)."""
    con.register("linkage_tmp_aged", pa.table({"person_id": pa.array(sorted(set(person_ids)), pa.string())}))
    try:
        ages = con.execute(
            "SELECT h.person_id, min(h.linked_at) AS first FROM linkage_person_link_history AS h "
            "JOIN linkage_tmp_aged USING (person_id) GROUP BY h.person_id ORDER BY first, h.person_id"
        ).fetchall()
    finally:
        con.unregister("linkage_tmp_aged")
    return {pid: rank for rank, (pid, _) in enumerate(ages)}


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
    # A full relink standardises everything again (and so renews the store); an incremental run only
    # what is new or changed since the last run.
    standardised = read_standardised(con, reuse=mode == "incremental")
    records = standardised.records
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
        # Labels on the stratified sample move m; a model they changed is stored as a new version.
        labels = training_labels(con)
        if labels:
            say(f"Checking the model against {len(labels)} labelled sample pairs")
        relearnt = learn_from_labels(records, model, labels, threshold)
        if relearnt is not None:
            model = trained = relearnt
            stored = None
        ids = records.column("unique_id").combine_chunks()
        previous = _previous_links(con, ids)
        state = stored_state(con, stored.version) if stored is not None and mode == "incremental" else None
        columns = term_frequency_columns(model)
        fingerprints = (record_fingerprints(records, columns) if state is None or standardised.rebuilt
                        else fingerprints_reusing(records, standardised.fresh, state[0], columns))
        held: PairsNow | None = None
        if state is not None:
            say("Scoring pairs that involve new or changed records")
            held = pairs_after_changes(engine, records, model, threshold, fingerprints, *state)
            pairs, scored_now = held.pairs, held.scored
        else:
            say("Scoring record pairs")
            pairs = scored_now = predict_pairs(engine, records, model)
    finally:
        if isinstance(backend, str):
            engine.close()

    # Explained now, while the records are at hand: the review page shows why each pair scored what it did.
    say("Explaining the pairs for clerical review")
    band_scores = score_components(records, model, pairs_in_band(scored_now, review_lower, review_upper))

    decisions = current_decisions(con)
    same = [p for p, d in decisions.items() if d == "same"]
    not_same = [p for p, d in decisions.items() if d == "not_same"]
    current = previous.filter(pc.invert(previous.column("gone")))
    if held is not None:
        say("Finding the persons the changes reach")
        strong = scored_now.filter(pc.greater_equal(scored_now.column("match_probability"), threshold))
        touched = (set(held.rescored) | set(strong.column("unique_id_l").to_pylist())
                   | set(strong.column("unique_id_r").to_pylist()) | {uid for pair in decisions for uid in pair})
        gone = previous.filter(previous.column("gone"))
        again = records_to_recluster(ids, current.column("person_id"), pairs, threshold, touched,
                                     pc.drop_null(gone.column("person_id")).to_pylist(), same)
        say(f"Clustering again the {int(again.sum()):,} of {len(ids):,} records the changes reach")
    else:
        again = np.ones(len(ids), dtype=bool)
        say("Clustering records into persons")
    # What households say about their people (decisions 190, 191) comes with the records clustered again.
    person_id, best = _cluster_again(con, current, records.filter(pa.array(again)), pairs, again, threshold, same,
                                     not_same, make_id)

    link_rows = pa.table(
        {
            "source": records.column("source"),
            "supplier_code": records.column("supplier_code"),
            "record_key": records.column("record_key"),
            "person_id": person_id,
            "match_probability": best,
            "linked_at": pa.array([now] * len(ids), pa.timestamp("us")),
            "run_id": pa.array([run_id] * len(ids), pa.string()),
        }
    )
    say("Writing person_link")
    con.register("linkage_tmp_link_rows", link_rows)
    con.execute("BEGIN TRANSACTION")
    try:
        version = stored.version if stored is not None else _store_trained_model(con, trained, now)
        queued = queue_uncertain_pairs(
            con, scored_now, review_lower, review_upper, run_id, now, supersede=held is None
        )
        store_run_state(con, run_id, version, fingerprints, pairs, held)
        store_standardised(con, standardised)
        store_pair_scores(con, band_scores, run_id)
        _write_person_link(con)
        con.execute("INSERT INTO linkage_person_link_history SELECT * FROM person_link")
        persons = pc.count_distinct(person_id).as_py()
        new_records = current.column("person_id").null_count
        con.execute(
            "INSERT INTO linkage_run VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, now, datetime.now(UTC).replace(tzinfo=None), mode, engine.name, version, threshold,
             review_lower, len(ids), new_records, persons, scored_now.num_rows, queued],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("linkage_tmp_link_rows")
    return LinkRun(run_id, mode, version, len(ids), new_records, persons, scored_now.num_rows, queued)


# A link row is the same if its record has the same person and best probability.
_SAME_LINK = ("n.source = p.source AND n.supplier_code = p.supplier_code AND n.record_key = p.record_key "
              "AND n.person_id = p.person_id AND n.match_probability IS NOT DISTINCT FROM p.match_probability")


def _write_person_link(con: duckdb.DuckDBPyConnection) -> None:
    """Make ``person_link`` the run's rows (``linkage_tmp_link_rows``), changing only the rows that differ.

    Deleting and inserting all 850,000 rows of all London makes DuckDB rebuild the primary key's index at
    commit: measured 31 s, against well under a second for a month's changed rows and one update of the
    run's stamp on every row (decision 0180)."""
    con.execute(f"DELETE FROM person_link AS p WHERE NOT EXISTS (SELECT 1 FROM linkage_tmp_link_rows AS n "
                f"WHERE {_SAME_LINK})")
    con.execute(f"INSERT INTO person_link SELECT n.* FROM linkage_tmp_link_rows AS n WHERE NOT EXISTS ("
                f"SELECT 1 FROM person_link AS p WHERE {_SAME_LINK})")
    con.execute("UPDATE person_link SET linked_at = n.linked_at, run_id = n.run_id FROM "
                "(SELECT any_value(linked_at) AS linked_at, any_value(run_id) AS run_id FROM linkage_tmp_link_rows) AS n")


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


def _cluster_again(
    con: duckdb.DuckDBPyConnection, current: pa.Table, chosen_records: pa.Table, pairs: pa.Table, again: np.ndarray,
    threshold: float, same: list[tuple[str, str]], not_same: list[tuple[str, str]], make_id: Callable[[], str],
) -> tuple[pa.Array, pa.Array]:
    """(person id, best match probability within the person) of every record of ``current``: the records
    ``again`` marks clustered again (``chosen_records``, standardised) and given ids as a full relink gives them;
    the rest as they were."""
    chosen = current.filter(pa.array(again))
    chosen_ids = chosen.column("unique_id").combine_chunks()
    within = pairs.filter(pc.and_(pc.is_in(pairs.column("unique_id_l"), value_set=chosen_ids),
                                  pc.is_in(pairs.column("unique_id_r"), value_set=chosen_ids)))
    clusters = cluster_persons(chosen_records, within, threshold, same, not_same)
    previous = {uid: pid for uid, pid in zip(chosen_ids.to_pylist(), chosen.column("person_id").to_pylist(),
                                             strict=True) if pid is not None}
    person_ids = assign_person_ids(clusters, previous, _id_ages(con, list(previous.values())), make_id)
    best = _best_probability_within_person(within, person_ids, threshold, same)
    order = chosen_ids.to_pylist()
    mask = pa.array(again)
    person_id = pc.replace_with_mask(current.column("person_id").combine_chunks(), mask,
                                     pa.array([person_ids[uid] for uid in order], pa.string()))
    probability = pc.replace_with_mask(current.column("match_probability").combine_chunks(), mask,
                                       pa.array([best.get(uid) for uid in order], pa.float64()))
    return person_id, probability


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
