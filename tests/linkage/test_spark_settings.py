"""Where Spark runs comes from settings (BOROUGHHUB_SPARK_*), and a Spark that cannot run says what to do.

Only the session test starts Java; the rest check the settings and the errors without a JVM.
"""

from __future__ import annotations

import os
import socket
from typing import Any

import duckdb
import pytest
from django.core.management import CommandError, call_command

from boroughhub.linkage.backend_spark import spark_available
from boroughhub.linkage.spark_settings import SparkSettings, SparkUnavailable, check_master_reachable
from tests.agreements.conftest import demo_people, pl_rsi_v1  # noqa: F401 - fixtures


def test_settings_come_from_the_environment_with_local_defaults() -> None:
    assert SparkSettings.from_environ({}) == SparkSettings(master="local[2]", driver_memory="2g")
    assert SparkSettings.from_environ({}).partitions == 4  # twice the local cores
    found = SparkSettings.from_environ({
        "BOROUGHHUB_SPARK_MASTER": "spark://spark-master.internal:7077",
        "BOROUGHHUB_SPARK_DRIVER_MEMORY": "8g", "BOROUGHHUB_SPARK_EXECUTOR_MEMORY": "16g",
        "BOROUGHHUB_SPARK_SHUFFLE_PARTITIONS": "400", "BOROUGHHUB_SPARK_CHECKPOINT_DIR": "hdfs:///boroughhub/checkpoints",
    })
    assert found == SparkSettings(master="spark://spark-master.internal:7077", driver_memory="8g",
                                  executor_memory="16g", shuffle_partitions=400,
                                  checkpoint_dir="hdfs:///boroughhub/checkpoints")
    assert not found.is_local and found.partitions == 400
    assert SparkSettings(master="yarn").partitions == 200  # a cluster's default, not this machine's cores
    assert SparkSettings(master="local[*]").local_cores == os.cpu_count()


@pytest.mark.parametrize(("environ", "says"), [
    ({"BOROUGHHUB_SPARK_SHUFFLE_PARTITIONS": "lots"}, "must be a whole number"),
    ({"BOROUGHHUB_SPARK_SHUFFLE_PARTITIONS": "0"}, "must be a whole number"),
    ({"BOROUGHHUB_SPARK_DRIVER_MEMORY": "two gigabytes"}, "write it like 2g"),
    ({"BOROUGHHUB_SPARK_MASTER": "spark master"}, "is not a master URL"),
])
def test_unusable_settings_say_what_to_write(environ: dict[str, str], says: str) -> None:
    with pytest.raises(SparkUnavailable, match=says):
        SparkSettings.from_environ(environ)


def test_the_command_line_master_replaces_the_settings_one_only() -> None:
    settings = SparkSettings(master="local[2]", driver_memory="6g", checkpoint_dir="/shared/checkpoints")
    assert settings.with_master(None) is settings
    assert settings.with_master("spark://10.0.0.5:7077") == SparkSettings(
        master="spark://10.0.0.5:7077", driver_memory="6g", checkpoint_dir="/shared/checkpoints")


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_standalone_master_is_named_with_what_to_do() -> None:
    port = _closed_port()
    with pytest.raises(SparkUnavailable, match=rf"Could not reach the Spark master at spark://127.0.0.1:{port}.*"
                                               "BOROUGHHUB_SPARK_MASTER"):
        check_master_reachable(f"spark://127.0.0.1:{port}", timeout=2)
    with pytest.raises(SparkUnavailable, match="names no port"):
        check_master_reachable("spark://127.0.0.1")


def test_a_standby_master_that_answers_is_enough() -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        check_master_reachable(f"spark://127.0.0.1:{_closed_port()},127.0.0.1:{port}", timeout=2)
    check_master_reachable("local[2]")  # local and other cluster managers are Spark's to check


def test_missing_java_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from boroughhub.linkage import backend_spark

    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    assert "install Java 17" in (backend_spark.spark_problem() or "")
    with pytest.raises(SparkUnavailable, match="install Java 17"):
        backend_spark.spark_session(SparkSettings())


@pytest.fixture
def empty_warehouse(tmp_path: Any, settings: Any) -> Any:
    from boroughhub.insights.contract import create_tables
    from boroughhub.linkage.link_tables import ensure_link_tables

    settings.WAREHOUSE_PATH = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(settings.WAREHOUSE_PATH))
    create_tables(con)
    ensure_link_tables(con)
    con.close()
    return settings.WAREHOUSE_PATH


@pytest.mark.django_db
def test_link_on_an_unreachable_master_stops_with_what_to_do_and_links_nothing(
        empty_warehouse: Any, pl_rsi_v1: Any, demo_people: Any) -> None:
    master = f"spark://127.0.0.1:{_closed_port()}"
    with pytest.raises(CommandError, match=f"Could not reach the Spark master at {master}.*nothing was linked"):
        call_command("link", user="analyst@gla.example", backend="spark", spark_master=master, verbosity=0)
    con = duckdb.connect(str(empty_warehouse))
    assert con.execute("SELECT count(*) FROM linkage_run").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM person_link").fetchone() == (0,)
    con.close()


@pytest.mark.django_db
def test_link_refuses_a_master_without_the_spark_backend(demo_people: Any) -> None:
    with pytest.raises(CommandError, match="--spark-master is for --backend spark"):
        call_command("link", user="analyst@gla.example", spark_master="spark://127.0.0.1:7077", verbosity=0)


@pytest.mark.slow
@pytest.mark.skipif(not spark_available() and os.environ.get("BOROUGHHUB_REQUIRE_SPARK") != "1",
                    reason="pyspark or Java not installed")
def test_the_session_runs_on_the_master_and_settings_given(tmp_path: Any) -> None:
    from boroughhub.linkage.backend_choice import make_backend

    backend: Any = make_backend("spark", SparkSettings(master="local[1]", driver_memory="1g", shuffle_partitions=3,
                                                       checkpoint_dir=str(tmp_path / "checkpoints")))
    try:
        context = backend.spark.sparkContext
        assert context.master == "local[1]"
        assert backend.spark.conf.get("spark.sql.shuffle.partitions") == "3"
        assert context.getConf().get("spark.driver.memory") == "1g"
        assert context.getCheckpointDir().endswith("checkpoints") or "checkpoints" in context.getCheckpointDir()
        assert backend.spark.range(10).count() == 10  # the session works, not just its configuration
    finally:
        backend.close()
    assert backend.spark.sparkContext._jsc is None  # the backend that made the session stopped it


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "expected"), [(None, "spark://settings-master:7077"),
                                                 ("local[1]", "local[1]")])
def test_link_runs_spark_as_the_settings_say_unless_the_command_names_a_master(
        empty_warehouse: Any, pl_rsi_v1: Any, demo_people: Any, settings: Any, monkeypatch: pytest.MonkeyPatch,
        given: str | None, expected: str) -> None:
    """The settings reach the backend the run builds (stopped there: this test starts no Spark)."""
    from boroughhub.linkage import tasks

    settings.LINKAGE_SPARK = SparkSettings(master="spark://settings-master:7077", driver_memory="6g")
    asked: list[tuple[str, SparkSettings | None]] = []

    def make_backend(name: str, spark: SparkSettings | None = None) -> Any:
        asked.append((name, spark))
        raise SparkUnavailable("stopped before starting Spark")

    monkeypatch.setattr(tasks, "make_backend", make_backend)
    with pytest.raises(CommandError, match="stopped before starting Spark"):
        call_command("link", user="analyst@gla.example", backend="spark", spark_master=given, verbosity=0)
    assert asked == [("spark", SparkSettings(master=expected, driver_memory="6g"))]
