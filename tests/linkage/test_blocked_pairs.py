"""Candidate pairs found by one grouping (blocked_pairs.py) are Splink's own, and score the same."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
from splink import Linker

from boroughhub.linkage.backend_duckdb import DuckDBBackend
from boroughhub.linkage.blocked_pairs import blocked_pairs_sql
from boroughhub.linkage.fixtures import generate_records, load_into_warehouse
from boroughhub.linkage.link import standardised_records
from boroughhub.linkage.predict import PAIR_COLUMNS, normalise_pairs, predict_pairs
from boroughhub.linkage.train import SPLINK_LOG_LEVEL, settings_with_parameters, train
from tests.linkage.activity_records import with_activity


@pytest.fixture(scope="module")
def records_with_activity() -> pa.Table:
    """A small population whose records carry stays, area-months and areas: every blocking rule,
    the exploded one on stays included, has pairs to find."""
    con = duckdb.connect()
    population = generate_records(120, 11)
    load_into_warehouse(con, population)
    records = standardised_records(con)
    con.close()
    # Two stays for some people, none for H-CLIC records and every fifth person.
    return with_activity(records, population, 4, lambda k, uid, area: (
        None if uid.startswith("hclic") or k % 5 == 0
        else [f"{area}@2022-{k % 12 + 1:02d}-01", f"{area}@2023-0{k % 9 + 1}-15"][: 1 + k % 2]))


def test_one_grouping_finds_exactly_splinks_candidate_pairs(records_with_activity: pa.Table) -> None:
    backend = DuckDBBackend()
    try:
        model = train(backend, records_with_activity)
        settings = settings_with_parameters(model, "duckdb")
        frame = backend.register(records_with_activity, "records")
        ours = backend.connection.sql(blocked_pairs_sql(settings, frame.physical_name)).fetchall()
        linker = Linker(frame, settings, log_level=SPLINK_LOG_LEVEL)
        splinks = backend.to_arrow(linker.inference.predict(), ["unique_id_l", "unique_id_r", "match_key"])
    finally:
        backend.close()
    expected = set(zip(splinks.column("unique_id_l").to_pylist(), splinks.column("unique_id_r").to_pylist(),
                       splinks.column("match_key").to_pylist(), strict=True))
    assert len(expected) == splinks.num_rows > 200
    assert {(left, right, key) for key, left, right in ours} == expected
    # The exploded rule on stays found some pairs no earlier rule did.
    stays_rule = str(len(settings["blocking_rules_to_generate_predictions"]) - 1)
    assert any(key == stays_rule for _, _, key in expected)


def test_prediction_scores_as_with_splinks_blocking(records_with_activity: pa.Table) -> None:
    backend = DuckDBBackend()
    try:
        model = train(backend, records_with_activity)
        ours = predict_pairs(backend, records_with_activity, model)
        linker = Linker(backend.register(records_with_activity, "again"), settings_with_parameters(model, "duckdb"),
                        log_level=SPLINK_LOG_LEVEL)
        splinks = normalise_pairs(backend.to_arrow(linker.inference.predict(0.05), PAIR_COLUMNS))
    finally:
        backend.close()
    assert ours.num_rows == splinks.num_rows > 50
    assert ours.select(["unique_id_l", "unique_id_r"]).equals(splinks.select(["unique_id_l", "unique_id_r"]))
    for got, expected in zip(ours.column("match_probability").to_pylist(),
                             splinks.column("match_probability").to_pylist(), strict=True):
        assert got == pytest.approx(expected, abs=1e-12)


def test_a_link_job_is_left_to_splink() -> None:
    with pytest.raises(ValueError, match="deduplication"):
        blocked_pairs_sql({"link_type": "link_only", "blocking_rules_to_generate_predictions": []}, "t")
