"""A linkage run writes all or nothing: one that dies while writing leaves the warehouse as the previous
run left it, so running it again starts from the same state (docs/decisions/0023-worker-recovers-killed-tasks.md;
benchmarks/worker_fault.py kills real workers and compares the persons)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb
import pytest

from boroughhub.linkage import link as link_module
from boroughhub.linkage.link import link_persons
from boroughhub.linkage.train import TrainedModel

from .conftest import NOW

LATER = datetime(2026, 7, 1)
TABLES = ("person_link", "linkage_person_link_history", "linkage_run", "linkage_model", "linkage_review_queue")


def _state(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    return {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in TABLES}


def _partition(con: duckdb.DuckDBPyConnection) -> set[frozenset[str]]:
    members: dict[str, set[str]] = {}
    for record, person in con.execute(
        "SELECT source || ':' || supplier_code || ':' || record_key, person_id FROM person_link"
    ).fetchall():
        members.setdefault(person, set()).add(record)
    return {frozenset(m) for m in members.values()}


def test_a_run_that_dies_while_writing_leaves_the_previous_run_as_it_was(
    warehouse: duckdb.DuckDBPyConnection, trained_model: TrainedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    link_persons(warehouse, mode="full", now=NOW)
    before, persons = _state(warehouse), _partition(warehouse)
    real_queue = link_module.queue_uncertain_pairs

    def queue_then_die(*args: Any, **kwargs: Any) -> int:
        real_queue(*args, **kwargs)  # the review queue and a newly trained model are written by now
        raise RuntimeError("killed while writing")

    monkeypatch.setattr(link_module, "train", lambda _engine, _records: trained_model)
    monkeypatch.setattr(link_module, "queue_uncertain_pairs", queue_then_die)
    with pytest.raises(RuntimeError, match="killed while writing"):
        link_persons(warehouse, mode="full", retrain=True, now=LATER)
    assert _state(warehouse) == before
    assert _partition(warehouse) == persons


def test_each_step_is_reported(warehouse: duckdb.DuckDBPyConnection) -> None:
    steps: list[str] = []
    link_persons(warehouse, mode="full", now=NOW, progress=steps.append)
    assert steps == ["Reading and standardising the person records", "Scoring record pairs",
                     "Explaining the pairs for clerical review",
                     "Clustering records into persons", "Writing person_link"]
