"""The explanation of every scored pair adds up to the weight Splink's ``predict`` gave it.

Checked on a population large enough for names to recur (so term-frequency adjustments move weights),
comparison by comparison against ``predict``'s own intermediate columns (``gamma_``, ``mw_``,
``mw_tf_adj_``), not only in total: a wrong level offset by a wrong adjustment would still be caught.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from splink import Linker

from boroughhub.linkage.backend_duckdb import DuckDBBackend
from boroughhub.linkage.explain import score_components, weights_by_comparison_table
from boroughhub.linkage.fixtures import generate_records, load_into_warehouse
from boroughhub.linkage.link import standardised_records
from boroughhub.linkage.predict import normalise_pairs
from boroughhub.linkage.train import SPLINK_LOG_LEVEL, TrainedModel, settings_with_parameters, train

# 2,500 people give ~6,000 records: common surnames recur tens of times, rare ones once, so the
# term-frequency adjustments range over several bits. Trains and scores in a few seconds.
PEOPLE = 2500
SEED = 31
TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def scored() -> Iterator[tuple[pa.Table, TrainedModel, list[dict[str, Any]]]]:
    con = duckdb.connect()
    load_into_warehouse(con, generate_records(PEOPLE, SEED))
    records = standardised_records(con)
    con.close()
    backend = DuckDBBackend()
    try:
        model = train(backend, records)
        settings = settings_with_parameters(model, "duckdb")
        settings["retain_intermediate_calculation_columns"] = True
        settings["retain_matching_columns"] = True
        linker = Linker(backend.register(records, "explain_check"), settings, log_level=SPLINK_LOG_LEVEL)
        predicted = linker.inference.predict(threshold_match_probability=0.01).as_pandas_dataframe()  # type: ignore[no-untyped-call]
        rows = predicted.to_dict("records")
    finally:
        backend.close()
    yield records, model, rows


def test_each_comparison_and_the_total_match_predict(scored: tuple[pa.Table, TrainedModel, list[dict[str, Any]]]) -> None:
    records, model, predicted = scored
    assert len(predicted) > 1000
    pairs = pa.table({"unique_id_l": [str(r["unique_id_l"]) for r in predicted],
                      "unique_id_r": [str(r["unique_id_r"]) for r in predicted]})
    components = score_components(records, model, pairs).to_pylist()
    assert len(components) == len(predicted)
    comparisons = [c["output_column_name"] for c in model.model["comparisons"]]
    adjusted = [c for c in comparisons if f"mw_tf_adj_{c}" in predicted[0]]
    assert "name" in adjusted
    tf_effects = 0
    for ours, splink in zip(components, predicted, strict=True):
        assert (ours["unique_id_l"], ours["unique_id_r"]) == (splink["unique_id_l"], splink["unique_id_r"])
        for c in comparisons:
            assert ours[f"gamma_{c}"] == splink[f"gamma_{c}"], (c, ours, splink)
            assert ours[f"mw_{c}"] == pytest.approx(float(splink[f"mw_{c}"]), abs=TOLERANCE), (c, ours, splink)
        for c in adjusted:
            splink_adjustment = float(splink[f"mw_tf_adj_{c}"])
            assert ours[f"mw_tf_adj_{c}"] == pytest.approx(splink_adjustment, abs=TOLERANCE), (c, ours, splink)
            tf_effects += abs(splink_adjustment) > 0.1
        assert ours["match_weight"] == pytest.approx(float(splink["match_weight"]), abs=TOLERANCE)
    # The population really exercises term frequencies: many pairs have an adjustment of more than 0.1 bit.
    assert tf_effects > 100

    # And the parts as link-files --pairs writes them (prior + each comparison's weight) add up to it.
    weights = weights_by_comparison_table(score_components(records, model, pairs), model).to_pydict()
    parts = [name for name in weights if name.endswith("_weight")]
    for row, splink in enumerate(predicted):
        total = sum(weights[name][row] for name in parts)
        assert total == pytest.approx(float(splink["match_weight"]), abs=TOLERANCE)


def test_pairs_in_the_order_a_link_run_keeps_them_score_the_same(
        scored: tuple[pa.Table, TrainedModel, list[dict[str, Any]]]) -> None:
    """A run stores pairs lower id first (``normalise_pairs``); explaining them that way changes nothing."""
    records, model, predicted = scored
    pairs = normalise_pairs(pa.table({
        "unique_id_l": [str(r["unique_id_l"]) for r in predicted],
        "unique_id_r": [str(r["unique_id_r"]) for r in predicted],
        "match_probability": [float(r["match_probability"]) for r in predicted],
        "match_weight": [float(r["match_weight"]) for r in predicted],
    }))
    components = score_components(records, model, pairs)
    assert components.column("unique_id_l").to_pylist() == pairs.column("unique_id_l").to_pylist()
    for ours, expected in zip(components.column("match_weight").to_pylist(),
                              pairs.column("match_weight").to_pylist(), strict=True):
        assert ours == pytest.approx(expected, abs=TOLERANCE)


def test_a_pair_whose_record_is_missing_is_refused_not_misaligned(
        scored: tuple[pa.Table, TrainedModel, list[dict[str, Any]]]) -> None:
    """Callers put the parts beside ``pairs`` row by row, so a pair that cannot be explained stops the run."""
    records, model, predicted = scored
    pairs = pa.table({"unique_id_l": [str(predicted[0]["unique_id_l"]), "chain:nowhere:0"],
                      "unique_id_r": [str(predicted[0]["unique_id_r"]), str(predicted[1]["unique_id_r"])]})
    with pytest.raises(ValueError, match="'chain:nowhere:0' is not among the records given"):
        score_components(records, model, pairs)
