"""The linkage-quality figures: estimates from labels, person sizes, sources linked, model changes."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from boroughhub.linkage.link_tables import ensure_link_tables, save_model
from boroughhub.linkage.quality import label_estimates, linked_by_source_pair, model_change, person_sizes
from boroughhub.linkage.review import record_decision
from boroughhub.linkage.train import TrainedModel

AT = dt.datetime(2026, 11, 1, 9, 0)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_link_tables(con)
    return con


def _queue(con: duckdb.DuckDBPyConnection, left: str, right: str, probability: float) -> None:
    con.execute("INSERT INTO linkage_review_queue VALUES (?, ?, ?, 0.0, 'run-1', ?, 'open')",
                [left, right, probability, AT])


def test_precision_and_recall_follow_the_latest_label_against_the_threshold(con: duckdb.DuckDBPyConnection) -> None:
    assert label_estimates(con)[0].value is None  # no labels: no estimate, not 0 or 100%
    for i, (probability, decision) in enumerate([(0.7, "same"), (0.6, "same"), (0.55, "not_same"),
                                                 (0.4, "same"), (0.3, "not_same")]):
        _queue(con, f"a:s:{i}", f"b:s:{i}", probability)
        record_decision(con, f"a:s:{i}", f"b:s:{i}", decision, "reviewer", AT)
    precision, recall = label_estimates(con, threshold=0.5)
    assert (precision.agreeing, precision.labelled) == (2, 3)  # linked: 0.7, 0.6, 0.55; same: two of them
    assert (recall.agreeing, recall.labelled) == (2, 3)  # same: 0.7, 0.6, 0.4; linked: two of them
    assert precision.lower < 2 / 3 < precision.upper and precision.lower >= 0 and precision.upper <= 1
    # A later decision on a pair replaces the earlier one.
    record_decision(con, "a:s:2", "b:s:2", "same", "reviewer", AT + dt.timedelta(hours=1))
    assert label_estimates(con, threshold=0.5)[0].value == 1.0
    # The threshold decides what the model linked.
    assert label_estimates(con, threshold=0.65)[1].labelled == 4 and label_estimates(con, threshold=0.65)[1].agreeing == 1


def _link(con: duckdb.DuckDBPyConnection, run_id: str, rows: list[tuple[str, str, str]]) -> None:
    """What a run writes: person_link replaced, its rows added to the history."""
    con.execute("DELETE FROM person_link")
    for source, key, person in rows:
        for table in ("person_link", "linkage_person_link_history"):
            con.execute(f"INSERT INTO {table} VALUES (?, 'sup', ?, ?, NULL, ?, ?)", [source, key, person, AT, run_id])


def test_person_sizes_and_sources_linked(con: duckdb.DuckDBPyConnection) -> None:
    _link(con, "run-1", [("chain", "c1", "P1"), ("chain", "c2", "P1"), ("inform", "i1", "P1"),
                         ("hclic", "h1", "P2"), ("inform", "i2", "P2"), ("chain", "c3", "P3")]
          + [("hclic", f"h{n}", "P4") for n in range(10, 22)])
    assert dict(person_sizes(con)) == {"1": 1, "2": 1, "3": 1, "4": 0, "5": 0, "6 to 10": 0, "11 or more": 1}
    pairs = {(p.source_a, p.source_b): (p.persons, p.records) for p in linked_by_source_pair(con)}
    assert pairs[("chain", "inform")] == (1, 3)
    assert pairs[("hclic", "inform")] == (1, 2)
    assert pairs[("chain", "chain")] == (1, 2)
    assert pairs[("hclic", "hclic")] == (1, 12)
    assert pairs[("chain", "hclic")] == (0, 0)


def _model(weight_m: float, records: int) -> TrainedModel:
    levels = [{"sql_condition": "null", "is_null_level": True},
              {"sql_condition": "exact", "label_for_charts": "exact", "m_probability": weight_m, "u_probability": 0.01},
              {"sql_condition": "else", "label_for_charts": "else", "m_probability": 1 - weight_m, "u_probability": 0.99}]
    return TrainedModel(fields=(), model={"probability_two_random_records_match": 0.001,
                                          "comparisons": [{"output_column_name": "dob", "comparison_levels": levels}]},
                        record_count=records)


def _run(con: duckdb.DuckDBPyConnection, run_id: str, version: int, started: dt.datetime, persons: int) -> None:
    con.execute("INSERT INTO linkage_run VALUES (?, ?, ?, 'full', 'duckdb', ?, 0.5, 0.2, 4, 0, ?, 10, 2)",
                [run_id, started, started, version, persons])


def test_what_changed_since_the_previous_model(con: duckdb.DuckDBPyConnection) -> None:
    assert model_change(con) is None
    first = save_model(con, _model(0.9, 100), "<html></html>", AT)
    _run(con, "run-1", first, AT, 3)
    _link(con, "run-1", [("chain", "c1", "P1"), ("chain", "c2", "P1"), ("inform", "i1", "P2"), ("hclic", "h1", "P3")])
    only = model_change(con)
    assert only is not None and only.previous is None and only.weight_changes == []
    second = save_model(con, _model(0.5, 120), "<html></html>", AT + dt.timedelta(days=30))
    _run(con, "run-2", second, AT + dt.timedelta(days=30), 2)
    _link(con, "run-2", [("chain", "c1", "P1"), ("chain", "c2", "P1"), ("inform", "i1", "P1"), ("hclic", "h1", "P3")])
    change = model_change(con)
    assert change is not None and (change.previous_version, change.current_version) == (1, 2)
    assert change.previous["record_count"] == 100 and change.current["record_count"] == 120
    assert (change.previous["persons"], change.current["persons"]) == (3, 2)
    assert change.records_moved == 1  # i1 joined P1
    # m of "exact" fell from 0.9 to 0.5 (weight -0.85) and of "else" rose from 0.1 to 0.5 (+2.3): biggest first.
    assert [(c, level) for c, level, _, _ in change.weight_changes] == [("dob", "else"), ("dob", "exact")]
    (_, _, else_before, else_now), (_, _, exact_before, exact_now) = change.weight_changes
    assert else_now - else_before == pytest.approx(2.32, abs=0.01)
    assert exact_now - exact_before == pytest.approx(-0.85, abs=0.01)
