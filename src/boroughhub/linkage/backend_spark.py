"""Spark backend: the same Splink settings on a Spark session (local mode unless one is given).

Standardisation and clustering stay in DuckDB and Python on the driver; only Splink's training
and scoring (the pairwise work that grows with the data) run on Spark.
"""

from __future__ import annotations

import secrets
from typing import Any

import pyarrow as pa
from splink.internals.splink_dataframe import SplinkDataFrame


def spark_available() -> bool:
    """True if pyspark imports and a Java runtime is on the path."""
    import shutil

    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


def local_spark_session(cores: int = 2, driver_memory: str = "2g", partitions: int | None = None) -> Any:
    """A local-mode Spark session with Splink's similarity functions (jaro_winkler, ...) on the class path.

    ``partitions`` sets shuffle partitions (default: twice the cores); 1 suits tiny test data.
    """
    partitions = partitions or max(2, cores * 2)
    import tempfile

    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("boroughhub-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="boroughhub-spark-"))
        .config("spark.driver.extraJavaOptions", "-Dlog4j.rootLogger=ERROR")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


class SparkBackend:
    name = "spark"
    dialect = "spark"

    def __init__(
        self, spark_session: Any | None = None, checkpoint_dir: str | None = None, partitions: int = 4
    ) -> None:
        from splink import SparkAPI

        self._owns_session = spark_session is None
        self.spark = spark_session if spark_session is not None else local_spark_session()
        if checkpoint_dir:
            # On a cluster: break Splink's long query lineages by checkpointing to shared storage.
            self.spark.sparkContext.setCheckpointDir(checkpoint_dir)
            method = "checkpoint"
        else:
            # Local mode: keep intermediate tables in memory.
            method = "persist"
        self.db_api = SparkAPI(  # type: ignore[no-untyped-call]  # Splink leaves it untyped
            spark_session=self.spark, break_lineage_method=method, num_partitions_on_repartition=partitions
        )
        self._count = 0
        # Tables are registered on the session, which other backends (another run, a test) may share:
        # names carry this backend's own token so they never collide.
        self._token = secrets.token_hex(4)
        self._partitions = partitions

    def register(self, table: pa.Table, name: str) -> SplinkDataFrame:
        self._count += 1
        frame = self.spark.createDataFrame(table.to_pandas()).coalesce(self._partitions)
        return self.db_api.register(frame, table_name=f"{name}_{self._token}_{self._count}")

    def to_arrow(self, frame: SplinkDataFrame, columns: list[str]) -> pa.Table:
        return pa.Table.from_pandas(frame.as_spark_dataframe().select(*columns).toPandas(), preserve_index=False)

    def close(self) -> None:
        if self._owns_session:
            self.spark.stop()
