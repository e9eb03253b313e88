"""The batch function Spark's Python workers run for each similarity: DuckDB's values, nulls as DuckDB has them,
and a refusal (saying what to install) on a DuckDB other than the driver's. Plain Python: no Spark needed."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from boroughhub.linkage.backend_spark import DUCKDB_SIMILARITY, duckdb_similarity_function

LEFT = pa.array(["robicson", "jenniefr", "", None, "josé", "1984-03-07"], pa.string())
RIGHT = pa.array(["robinson", "jlenniefr", "", "x", "jose", "1984-07-03"], pa.string())


@pytest.mark.parametrize("spark_name", sorted(DUCKDB_SIMILARITY))
def test_each_function_gives_duckdbs_values_in_order(spark_name: str) -> None:
    duckdb_name, _ = DUCKDB_SIMILARITY[spark_name]
    compute = duckdb_similarity_function(duckdb_name, duckdb.__version__)
    con = duckdb.connect()
    expected = [con.execute(f"SELECT {duckdb_name}(?, ?)", [a, b]).fetchall()[0][0]
                for a, b in zip(LEFT.to_pylist(), RIGHT.to_pylist(), strict=True)]

    first, again = compute(LEFT, RIGHT), compute(LEFT, RIGHT)  # the second batch reuses the worker's connection

    assert first.to_pylist() == expected == again.to_pylist()
    assert first.null_count == 1  # a missing value gives null, as on DuckDB (Splink's jar gave 0.0)


def test_a_worker_on_another_duckdb_version_refuses_and_says_what_to_install() -> None:
    compute = duckdb_similarity_function("jaro_winkler_similarity", "0.0.1")

    with pytest.raises(RuntimeError, match=r"install duckdb==0\.0\.1"):
        compute(LEFT, RIGHT)
