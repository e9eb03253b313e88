"""Spark backend: the same Splink settings on a Spark session (local mode unless one is given).

Standardisation and clustering stay in DuckDB and Python on the driver; only Splink's training
and scoring (the pairwise work that grows with the data) run on Spark. The string similarities Splink's
Spark SQL calls are DuckDB's own functions, run by DuckDB in Spark's Python workers, so one stored model
gives the same levels, weights and persons on both engines (docs/decisions/0205-spark-similarity-from-duckdb.md).
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

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
        # A cluster keeps its own warehouse directory; a local session gets a fresh one of its own.
        builder = builder.config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="boroughhub-spark-"))
        # Its Python workers (the similarity functions) must run this interpreter, with this environment's
        # pyarrow and DuckDB, not whichever python3 is first on PATH. PySpark takes the workers' interpreter
        # from PYSPARK_PYTHON when the context starts (the spark.pyspark.python setting is read only by
        # spark-submit); one the operator set is kept.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
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


# The functions Splink's Spark SQL calls (its jar's names) that the model may use, each with DuckDB's function
# and the Spark type of what it returns. The jar's own differ from DuckDB's: its Jaro-Winkler halves the
# out-of-order characters exactly where DuckDB rounds down (robicson/robinson 0.907 against 0.921, either side
# of the 0.92 level), gives 1.0 for two empty strings (DuckDB 0.0) and 0.0 for a missing one (DuckDB null, so
# "NOT similar" is unknown rather than true); its Damerau-Levenshtein gives 100 for a missing value (DuckDB null).
# Spark's built-in ``levenshtein`` already counts as DuckDB does.
DUCKDB_SIMILARITY: dict[str, tuple[str, str]] = {
    "jaro_winkler": ("jaro_winkler_similarity", "double"),
    "jaro_sim": ("jaro_similarity", "double"),
    "damerau_levenshtein": ("damerau_levenshtein", "bigint"),
}
# A pair whose Jaro-Winkler the jar and DuckDB put either side of 0.92, to check a session computes DuckDB's.
_PROBE = ("robicson", "robinson", 0.9214285714285715)

Similarity = Literal["duckdb", "splink_jar"]


def duckdb_similarity_function(duckdb_function: str, duckdb_version: str) -> Callable[[pa.Array, pa.Array], pa.Array]:
    """A batch function computing ``duckdb_function(left, right)`` with DuckDB, for an Arrow UDF.

    DuckDB itself computes it rather than a reimplementation: its Jaro-Winkler is compiled with a fused
    multiply-add, so even a library with the same formula (rapidfuzz) differs in the last bit for about one
    pair in 300, which is enough to cross a level at a value like 0.8. The function is built here, not at
    module level, so that Spark ships it whole to its Python workers, which then need pyarrow and DuckDB of
    the driver's version but not boroughhub.
    """
    connection: dict[str, Any] = {}

    def compute(left: pa.Array, right: pa.Array) -> pa.Array:
        import duckdb

        con = connection.get("con")
        if con is None:
            if duckdb.__version__ != duckdb_version:
                raise RuntimeError(
                    f"DuckDB {duckdb.__version__} is installed for Spark's Python workers, but the driver runs "
                    f"{duckdb_version}: install duckdb=={duckdb_version} for them (the Python PYSPARK_PYTHON names) "
                    "so that both engines compare names alike.")
            # One thread: Spark already runs a worker per core; one thread also keeps the rows in order.
            con = connection["con"] = duckdb.connect(config={"threads": 1})
        pairs = con.from_arrow(pa.table({"l": left, "r": right}))
        return pairs.project(f"{duckdb_function}(l, r) AS v").to_arrow_table().column("v").combine_chunks()

    return compute


def use_duckdb_similarity(session: Any) -> None:
    """Register DuckDB's similarity functions on ``session`` under the names Splink's Spark SQL calls,
    replacing its jar's; ``SparkUnavailable`` (what to do) if Spark's Python workers cannot compute them."""
    import duckdb
    from pyspark.sql.pandas.functions import arrow_udf  # where pyspark.sql.functions takes it from, typed

    for name, (duckdb_function, returns) in DUCKDB_SIMILARITY.items():
        # The function's type hints (Arrow arrays in and out) make it a scalar Arrow UDF; pyspark's stubs want the
        # kind spelled out too, which at run time only earns a warning asking for the hints.
        batch_function = duckdb_similarity_function(duckdb_function, duckdb.__version__)
        session.udf.register(name, arrow_udf(batch_function, returns))  # type: ignore[call-overload]
    left, right, expected = _PROBE
    try:
        found = session.sql(f"SELECT jaro_winkler('{left}', '{right}') AS v").collect()[0]["v"]
    except Exception as error:  # noqa: BLE001 - a worker's failure arrives as one of several py4j/Spark errors
        raise SparkUnavailable(
            f"Spark's Python workers cannot compute DuckDB's name similarities ({_worker_error(error)}). Give them a "
            f"Python with pyarrow and duckdb=={duckdb.__version__} (PYSPARK_PYTHON on each node); nothing was linked."
        ) from error
    if found != expected:
        raise SparkUnavailable(f"Spark computed jaro_winkler('{left}', '{right}') as {found}, not DuckDB's {expected}: "
                               "the similarity functions did not register; nothing was linked.")


def _worker_error(error: BaseException) -> str:
    """The last line of a worker's Python traceback (what went wrong), not Spark's wrapping of it."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    errors = [line for line in lines if "Error:" in line or "Exception:" in line]
    return (errors[-1] if errors else _first_line(error))[:300]


class SparkBackend:
    name = "spark"
    dialect = "spark"

    def __init__(
        self, spark_session: Any | None = None, checkpoint_dir: str | None = None, partitions: int = 4,
        similarity: Similarity = "duckdb",
    ) -> None:
        """``similarity`` "splink_jar" keeps Splink's own Java functions, whose values differ from DuckDB's
        (``DUCKDB_SIMILARITY``): only to measure what DuckDB's cost (benchmarks/linkage_spark.py)."""
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
        # After SparkAPI, which registers its jar's functions on the session every time it is made.
        if similarity == "duckdb":
            try:
                use_duckdb_similarity(self.spark)
            except SparkUnavailable:
                self.close()
                raise
        self._count = 0
        # Tables are registered on the session, which other backends (another run, a test) may share:
        # names carry this backend's own token so they never collide.
        self._token = secrets.token_hex(4)
        self._partitions = partitions

    @classmethod
    def from_settings(cls, settings: SparkSettings, similarity: Similarity = "duckdb") -> SparkBackend:
        """A backend on a session of its own, built as ``settings`` ask (and stopped by ``close``)."""
        session = spark_session(settings)
        try:
            backend = cls(session, checkpoint_dir=settings.checkpoint_dir, partitions=settings.partitions,
                          similarity=similarity)
        except SparkUnavailable:
            session.stop()
            raise
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
