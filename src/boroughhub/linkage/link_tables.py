"""The linkage tables in the warehouse, and storing trained models as numbered versions.

- ``person_link``: the current person of every source person record (``metrics.md`` §1.1).
- ``linkage_person_link_history``: ``person_link`` as written by every run (subject access needs
  every person id a record has had, ``agreements.md`` §4.6).
- ``linkage_run``: one row per linkage run.
- ``linkage_model``: trained models, versioned, with their training report.
- ``linkage_review_queue`` / ``linkage_review_decision``: see ``review.py``.
- ``linkage_pair_scores``: how the model scored each pair in the review band, comparison by
  comparison (no record values), to explain it on the review page (``explain.py``).
- ``linkage_scored_pairs`` / ``linkage_record_state``: every pair the runs scored and hold now (no record
  values) and a fingerprint of each record's standardised values, so an incremental run scores only what
  changed (``incremental.py``); ``linkage_weight_drift``: how far term frequencies may have moved every
  stored pair's weight since it was scored (``weight_drift.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from boroughhub.linkage.train import TrainedModel

DDL = """
CREATE TABLE IF NOT EXISTS person_link (
    source VARCHAR NOT NULL,
    supplier_code VARCHAR NOT NULL,
    record_key VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    match_probability DOUBLE,
    linked_at TIMESTAMP NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (source, supplier_code, record_key)
);
CREATE TABLE IF NOT EXISTS linkage_person_link_history (
    source VARCHAR NOT NULL,
    supplier_code VARCHAR NOT NULL,
    record_key VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    match_probability DOUBLE,
    linked_at TIMESTAMP NOT NULL,
    run_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS linkage_run (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    mode VARCHAR NOT NULL,
    backend VARCHAR NOT NULL,
    model_version INTEGER,
    threshold DOUBLE NOT NULL,
    review_lower DOUBLE NOT NULL,
    records BIGINT,
    new_records BIGINT,
    persons BIGINT,
    pairs_scored BIGINT,
    review_pairs_queued BIGINT
);
CREATE TABLE IF NOT EXISTS linkage_model (
    version INTEGER PRIMARY KEY,
    trained_at TIMESTAMP NOT NULL,
    record_count BIGINT NOT NULL,
    fields VARCHAR NOT NULL,
    model_json VARCHAR NOT NULL,
    charts_json VARCHAR NOT NULL,
    report_html VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS linkage_review_queue (
    unique_id_l VARCHAR NOT NULL,
    unique_id_r VARCHAR NOT NULL,
    match_probability DOUBLE NOT NULL,
    match_weight DOUBLE,
    run_id VARCHAR NOT NULL,
    queued_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL,
    PRIMARY KEY (unique_id_l, unique_id_r)
);
CREATE TABLE IF NOT EXISTS linkage_review_decision (
    unique_id_l VARCHAR NOT NULL,
    unique_id_r VARCHAR NOT NULL,
    decision VARCHAR NOT NULL CHECK (decision IN ('same', 'not_same')),
    decided_by VARCHAR NOT NULL,
    decided_at TIMESTAMP NOT NULL,
    note VARCHAR
);
CREATE TABLE IF NOT EXISTS linkage_pair_scores (
    unique_id_l VARCHAR NOT NULL,
    unique_id_r VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    scores_json VARCHAR NOT NULL,
    PRIMARY KEY (unique_id_l, unique_id_r)
);
CREATE TABLE IF NOT EXISTS linkage_scored_pairs (
    unique_id_l VARCHAR NOT NULL,
    unique_id_r VARCHAR NOT NULL,
    match_probability DOUBLE NOT NULL,
    match_weight DOUBLE,
    run_id VARCHAR NOT NULL
);
-- How far term frequencies may have moved the pair's weight since it was scored (see weight_drift.py),
-- less the running drift all pairs share at the time it was scored. Added after the table first shipped.
ALTER TABLE linkage_scored_pairs ADD COLUMN IF NOT EXISTS drift_bits DOUBLE DEFAULT 0;
CREATE TABLE IF NOT EXISTS linkage_weight_drift (
    model_version INTEGER NOT NULL,
    shared_bits DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS linkage_record_state (
    unique_id VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,
    value_hashes VARCHAR[] NOT NULL,
    model_version INTEGER NOT NULL
);
"""


def ensure_link_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


@dataclass(frozen=True)
class StoredModel:
    version: int
    trained_at: datetime
    model: TrainedModel
    report_html: str


def save_model(con: duckdb.DuckDBPyConnection, model: TrainedModel, report_html: str, now: datetime) -> int:
    """Store ``model`` as the next version; returns the version number."""
    ensure_link_tables(con)
    row = con.execute("SELECT coalesce(max(version), 0) + 1 FROM linkage_model").fetchone()
    version = int(row[0]) if row else 1
    con.execute(
        "INSERT INTO linkage_model VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            version,
            now,
            model.record_count,
            json.dumps(list(model.fields)),
            json.dumps(model.model),
            json.dumps(model.charts),
            report_html,
        ],
    )
    return version


def load_model(con: duckdb.DuckDBPyConnection, version: int | None = None) -> StoredModel | None:
    """The given version, or the latest one; None if no model was ever trained."""
    ensure_link_tables(con)
    where = "WHERE version = ?" if version is not None else ""
    params = [version] if version is not None else []
    # fetchall, not fetchone: a result left unfinished would refuse the caller's next con.sql().
    rows = con.execute(
        "SELECT version, trained_at, record_count, fields, model_json, charts_json, report_html "
        f"FROM linkage_model {where} ORDER BY version DESC LIMIT 1",
        params,
    ).fetchall()
    if not rows:
        return None
    row = rows[0]
    model = TrainedModel(
        fields=tuple(json.loads(row[3])), model=json.loads(row[4]), charts=json.loads(row[5]), record_count=row[2]
    )
    return StoredModel(version=row[0], trained_at=row[1], model=model, report_html=row[6])
