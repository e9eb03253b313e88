"""The Spark backend gives the same pairs and clusters as DuckDB with the same stored parameters.

Runs Spark in local mode; skipped (not failed) only where pyspark or Java is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest

from boroughhub.linkage.backend_duckdb import DuckDBBackend
from boroughhub.linkage.backend_spark import spark_available
from boroughhub.linkage.cluster import cluster_records
from boroughhub.linkage.fixtures import generate_records, load_into_warehouse
from boroughhub.linkage.link import standardised_records
from boroughhub.linkage.model_settings import MATCH_THRESHOLD
from boroughhub.linkage.predict import predict_pairs
from boroughhub.linkage.train import TrainedModel

pytestmark = [
    # CI sets BOROUGHHUB_REQUIRE_SPARK=1, so a missing Spark fails there instead of skipping.
    pytest.mark.skipif(not spark_available() and os.environ.get("BOROUGHHUB_REQUIRE_SPARK") != "1",
                       reason="pyspark or Java not installed"),
    pytest.mark.slow,  # a Spark session and Splink's many small Spark jobs: ~1 minute on 2 idle cores
]


def _assert_same_pairs(got: Any, expected: Any) -> None:
    """The same pairs in the same order, with the same match probabilities."""
    assert got.column("unique_id_l").to_pylist() == expected.column("unique_id_l").to_pylist()
    assert got.column("unique_id_r").to_pylist() == expected.column("unique_id_r").to_pylist()
    for a, b in zip(got.column("match_probability").to_pylist(),
                    expected.column("match_probability").to_pylist(), strict=True):
        assert a == pytest.approx(b, abs=1e-9)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from boroughhub.linkage.backend_spark import local_spark_session

    session = local_spark_session(cores=1, driver_memory="1g", partitions=1)
    yield session
    session.stop()


def test_spark_and_duckdb_give_the_same_clusters(spark: Any, trained_model: TrainedModel) -> None:
    from boroughhub.linkage.backend_spark import SparkBackend

    con = duckdb.connect()
    load_into_warehouse(con, generate_records(60, 5))
    records = standardised_records(con)
    ids = records.column("unique_id").to_pylist()

    duck = DuckDBBackend()
    duck_pairs = predict_pairs(duck, records, trained_model)
    duck.close()
    spark_pairs = predict_pairs(SparkBackend(spark, partitions=1), records, trained_model)

    assert duck_pairs.num_rows > 10
    _assert_same_pairs(spark_pairs, duck_pairs)
    assert cluster_records(ids, spark_pairs, MATCH_THRESHOLD) == cluster_records(ids, duck_pairs, MATCH_THRESHOLD)


def test_spark_scores_the_pairs_touching_chosen_records_as_duckdb_does(spark: Any, trained_model: TrainedModel) -> None:
    """The incremental path (chosen x rest as link_only, then among the chosen with registered
    frequencies) on Spark gives DuckDB's full prediction restricted to pairs touching the chosen."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from boroughhub.linkage.backend_spark import SparkBackend
    from boroughhub.linkage.predict import predict_pairs_touching

    con = duckdb.connect()
    load_into_warehouse(con, generate_records(60, 5))
    records = standardised_records(con)
    chosen = pa.array(records.column("unique_id").to_pylist()[::4], pa.string())

    duck = DuckDBBackend()
    full = predict_pairs(duck, records, trained_model)
    duck.close()
    expected = full.filter(pc.or_(pc.is_in(full.column("unique_id_l"), chosen), pc.is_in(full.column("unique_id_r"), chosen)))
    touching = predict_pairs_touching(SparkBackend(spark, partitions=1), records, trained_model, chosen)

    assert expected.num_rows > 3
    _assert_same_pairs(touching, expected)


def test_spark_compares_and_blocks_on_activity_as_duckdb_does(spark: Any) -> None:
    """Array comparisons (stays, areas and months) and the exploded stay blocking rule run on Spark."""

    from boroughhub.linkage.backend_spark import SparkBackend
    from boroughhub.linkage.train import train
    from tests.linkage.activity_records import with_activity

    con = duckdb.connect()
    population = generate_records(60, 7)
    load_into_warehouse(con, population)
    records = standardised_records(con)
    # Each person's records share a stay start and an area-month (every third person's are elsewhere).
    records = with_activity(records, population, 3, lambda k, uid, area: None if uid.startswith("hclic") else
                            [f"{area}@2021-{k % 12 + 1:02d}-{k % 28 + 1:02d}"])
    duck = DuckDBBackend()
    model = train(duck, records)
    assert "areas" in model.fields
    duck_pairs = predict_pairs(duck, records, model)
    duck.close()
    spark_pairs = predict_pairs(SparkBackend(spark, partitions=1), records, model)

    assert duck_pairs.num_rows > 10
    _assert_same_pairs(spark_pairs, duck_pairs)
