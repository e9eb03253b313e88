"""Explain a link: Splink's waterfall for every review-band pair of a run, adding up to the weight the run used."""

from __future__ import annotations

import duckdb
import pytest

from boroughhub.linkage.explain import FINAL, PRIOR, explain_pair, waterfall_chart_spec
from boroughhub.linkage.link import link_persons
from boroughhub.linkage.link_tables import load_model
from boroughhub.linkage.report import render_svg
from boroughhub.linkage.review import record_decision, stored_pair_scores

from .conftest import NOW


def test_every_queued_pair_is_explained_and_the_steps_add_up_to_its_weight(warehouse: duckdb.DuckDBPyConnection) -> None:
    run = link_persons(warehouse, now=NOW)
    queued = warehouse.execute(
        "SELECT unique_id_l, unique_id_r, match_weight FROM linkage_review_queue WHERE status = 'open'"
    ).fetchall()
    assert queued and run.review_pairs_queued == len(queued)
    stored_model = load_model(warehouse)
    assert stored_model is not None
    for left, right, weight in queued:
        stored = stored_pair_scores(warehouse, left, right)
        assert stored is not None, (left, right)
        scores, version = stored
        assert version == run.model_version
        explanation = explain_pair(scores, stored_model.model)
        assert explanation.steps[0].comparison == PRIOR and explanation.steps[-1].comparison == FINAL
        assert explanation.match_weight == pytest.approx(weight, abs=1e-9)
        assert sum(explanation.weights_by_comparison().values()) == pytest.approx(weight, abs=1e-9)
        # No record values are kept with the explanation: only levels, weights and ids.
        assert not any(key.endswith(("_l", "_r")) and key not in ("unique_id_l", "unique_id_r") for key in scores)


def test_the_waterfall_names_the_levels_and_renders_offline(warehouse: duckdb.DuckDBPyConnection) -> None:
    link_persons(warehouse, now=NOW)
    left, right = warehouse.execute("SELECT unique_id_l, unique_id_r FROM linkage_review_queue LIMIT 1").fetchone()
    stored, _ = stored_pair_scores(warehouse, left, right)
    explanation = explain_pair(stored, load_model(warehouse).model)
    levels = explanation.levels_by_comparison()
    assert {"name", "dob"} <= set(levels) and all(levels.values())
    svg = render_svg(waterfall_chart_spec(explanation))
    assert svg.startswith("<svg") and "cdn" not in svg.lower()
    assert "Final score" in svg


def test_a_decided_pair_keeps_its_explanation_and_a_relink_refreshes_it(warehouse: duckdb.DuckDBPyConnection) -> None:
    link_persons(warehouse, now=NOW)
    left, right = warehouse.execute("SELECT unique_id_l, unique_id_r FROM linkage_review_queue LIMIT 1").fetchone()
    record_decision(warehouse, left, right, "not_same", "reviewer-1", NOW)
    second = link_persons(warehouse, now=NOW.replace(hour=10))
    rows = warehouse.execute("SELECT run_id FROM linkage_pair_scores").fetchall()
    assert rows and {r[0] for r in rows} == {second.run_id}
    assert stored_pair_scores(warehouse, left, right) is not None
