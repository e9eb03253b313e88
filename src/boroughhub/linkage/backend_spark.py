"""Spark backend: the same Splink settings on a Spark session (local mode unless one is given).

Standardisation and clustering stay in DuckDB and Python on the driver; only Splink's training
and scoring (the pairwise work that grows with the data) run on Spark.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
from splink.internals.splink_dataframe import SplinkDataFrame

from boroughhub.linkage.spark_settings import SparkSettings, SparkUnavailable, check_master_reachable


def spark_available() -> bool:
    """True if pyspark imports and a Java runtime is on the path."""
    return spark_problem() is None


def spark_problem() -> str | None:
    """What stops Spark from starting on this machine, said as what to do; None when nothing does."""
    import os
    import shutil

    try:
        import pyspark  # noqa: F401
    except ImportError:
        return ("pyspark is not installed: install the spark extra (pip install 'boroughhub[spark]'), "
                "or link with --backend duckdb.")
    java_home = os.environ.get("JAVA_HOME", "")
    if not (java_home and Path(java_home, "bin", "java").exists()) and shutil.which("java") is None:
        return ("No Java runtime found, which Spark needs: install Java 17 (apt-get install openjdk-17-jre-headless) "
                "or set JAVA_HOME, or link with --backend duckdb.")
    return None


def spark_session(settings: SparkSettings) -> Any:
    """A Spark session as ``settings`` ask, with Splink's similarity functions (jaro_winkler, ...) on the
    class path; ``SparkUnavailable`` (what to do, no stack trace) when Spark cannot start or reach its master."""
    import tempfile

    problem = spark_problem()
    if problem is not None:
        raise SparkUnavailable(problem)
    check_master_reachable(settings.master)
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    builder = (
        SparkSession.builder.master(settings.master)
        .appName("boroughhub-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", settings.driver_memory)
        .config("spark.sql.shuffle.partitions", str(settings.partitions))
        .config("spark.default.parallelism", str(settings.partitions))
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.extraJavaOptions", "-Dlog4j.rootLogger=ERROR")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if settings.executor_memory:
        builder = builder.config("spark.executor.memory", settings.executor_memory)
    if settings.is_local:
        # A cluster keeps its own warehouse directory; a local session gets a fresh one of its own. Its Python
        # workers run this interpreter (with this environment's pyarrow), not whichever python3 is first on PATH.
        builder = (builder.config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="boroughhub-spark-"))
                   .config("spark.pyspark.python", sys.executable))
    try:
        session = builder.getOrCreate()
    except Exception as error:  # noqa: BLE001 - py4j and Spark raise many kinds; the user needs one message
        raise SparkUnavailable(
            f"Spark did not start with master {settings.master} ({_first_line(error)}). Check the master URL "
            "(BOROUGHHUB_SPARK_MASTER or --spark-master) and the Spark settings in docs/operator-guide.md; "
            "nothing was linked.") from error
    # Spark logs at ERROR what it recovers from by itself: the generated code for Splink's comparisons
    # outgrows Java's 64 KB method limit and Spark falls back to interpreting the plan, printing the plan and a
    # Java stack trace each time. Failures still reach the caller as exceptions.
    session.sparkContext.setLogLevel("FATAL")
    if session.sparkContext.master != settings.master:
        # getOrCreate hands back a session already running in this process, whatever master it was asked for.
        raise SparkUnavailable(
            f"A Spark session on {session.sparkContext.master} is already running in this process, so one on "
            f"{settings.master} cannot start: stop it first.")
    return session


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__


def local_spark_session(cores: int = 2, driver_memory: str = "2g", partitions: int | None = None) -> Any:
    """A local-mode session (tests and benchmarks); ``partitions`` 1 suits tiny test data."""
    return spark_session(SparkSettings(master=f"local[{cores}]", driver_memory=driver_memory,
                                       shuffle_partitions=partitions))


def spark_compatible(table: pa.Table) -> pa.Table:
    """``table`` in types Spark accepts from Arrow, read straight from Arrow (no pandas copy on the driver).

    Spark has no unsigned integers: an unsigned column (the area-months of ``standardise``, hashes as
    UBIGINT) becomes a signed 64-bit one holding the same bits, so values stay distinct and compare equal as
    they did, which is all the comparisons and blocking rules ask of them. A column with no type (all null)
    becomes text.
    """

    def compatible(kind: pa.DataType) -> pa.DataType:
        if pa.types.is_unsigned_integer(kind):
            return pa.int64()
        if pa.types.is_null(kind):
            return pa.string()
        if pa.types.is_list(kind) or pa.types.is_large_list(kind):
            return pa.list_(compatible(kind.value_type))
        return kind

    schema = pa.schema([pa.field(f.name, compatible(f.type)) for f in table.schema])
    return table if schema == table.schema else table.cast(schema, safe=False)


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

    @classmethod
    def from_settings(cls, settings: SparkSettings) -> SparkBackend:
        """A backend on a session of its own, built as ``settings`` ask (and stopped by ``close``)."""
        backend = cls(spark_session(settings), checkpoint_dir=settings.checkpoint_dir, partitions=settings.partitions)
        backend._owns_session = True
        return backend

    def register(self, table: pa.Table, name: str) -> SplinkDataFrame:
        self._count += 1
        frame = self.spark.createDataFrame(spark_compatible(table)).coalesce(self._partitions)
        return self.db_api.register(frame, table_name=f"{name}_{self._token}_{self._count}")

    def to_arrow(self, frame: SplinkDataFrame, columns: list[str]) -> pa.Table:
        return frame.as_spark_dataframe().select(*columns).toArrow()

    def close(self) -> None:
        if self._owns_session:
            self.spark.stop()
