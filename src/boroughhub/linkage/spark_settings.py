"""Where and how linkage runs on Spark: read from the environment, checked before a session starts.

Kept apart from ``backend_spark`` (which loads pyarrow, Splink and, on use, pyspark) so that Django's
settings can read it at start-up without loading any of them.

``BOROUGHHUB_SPARK_MASTER``           the master URL: ``local[2]`` (default), ``spark://host:7077``,
                                      ``yarn``, ``k8s://https://host:443``
``BOROUGHHUB_SPARK_DRIVER_MEMORY``    the driver's heap, e.g. ``4g`` (default ``2g``); the driver holds
                                      the pairs Splink hands back, so it grows with the pairs kept
``BOROUGHHUB_SPARK_EXECUTOR_MEMORY``  each executor's heap on a cluster (default: Spark's own, 1g)
``BOROUGHHUB_SPARK_SHUFFLE_PARTITIONS`` partitions of each join and aggregation (default: twice the local
                                      cores, or 200 on a cluster, Spark's own default)
``BOROUGHHUB_SPARK_CHECKPOINT_DIR``   shared storage (``hdfs://``, ``s3a://``, or a path every node sees)
                                      where Splink breaks its long query lineages; without it intermediate
                                      tables are kept in memory (``persist``), which suits local mode only
"""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass, replace

DEFAULT_MASTER = "local[2]"
DEFAULT_DRIVER_MEMORY = "2g"
# A cluster's default: Spark's own for joins. Local mode uses twice its cores (see ``partitions``).
CLUSTER_SHUFFLE_PARTITIONS = 200
# How long to wait for a standalone master's port to answer before saying it cannot be reached.
CONNECT_TIMEOUT_SECONDS = 5.0

_LOCAL = re.compile(r"^local(\[(\d+|\*)(,\d+)?\])?$")
_MEMORY = re.compile(r"^\d+[kmgt]?$", re.IGNORECASE)


class SparkUnavailable(Exception):  # noqa: N818 - named for what the user is told, like the warehouse's WarehouseHeld
    """Spark cannot run here or cannot reach its master; the message says what to do."""


@dataclass(frozen=True)
class SparkSettings:
    """The Spark session a linkage run asks for."""

    master: str = DEFAULT_MASTER
    driver_memory: str = DEFAULT_DRIVER_MEMORY
    executor_memory: str | None = None
    shuffle_partitions: int | None = None
    checkpoint_dir: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> SparkSettings:
        """The settings named in the module's docstring; an unusable value stops with what to set instead."""
        partitions = environ.get("BOROUGHHUB_SPARK_SHUFFLE_PARTITIONS", "").strip()
        if partitions and (not partitions.isdigit() or int(partitions) < 1):
            raise SparkUnavailable(
                f"BOROUGHHUB_SPARK_SHUFFLE_PARTITIONS must be a whole number of at least 1, not {partitions!r}.")
        found = cls(
            master=environ.get("BOROUGHHUB_SPARK_MASTER", "").strip() or DEFAULT_MASTER,
            driver_memory=environ.get("BOROUGHHUB_SPARK_DRIVER_MEMORY", "").strip() or DEFAULT_DRIVER_MEMORY,
            executor_memory=environ.get("BOROUGHHUB_SPARK_EXECUTOR_MEMORY", "").strip() or None,
            shuffle_partitions=int(partitions) if partitions else None,
            checkpoint_dir=environ.get("BOROUGHHUB_SPARK_CHECKPOINT_DIR", "").strip() or None,
        )
        found.check_values()
        return found

    def with_master(self, master: str | None) -> SparkSettings:
        """These settings with another master URL (``link --spark-master``), if one is given."""
        if not master:
            return self
        changed = replace(self, master=master.strip())
        changed.check_values()
        return changed

    def check_values(self) -> None:
        for name, value in (("driver memory", self.driver_memory), ("executor memory", self.executor_memory)):
            if value is not None and not _MEMORY.match(value):
                raise SparkUnavailable(f"Spark {name} {value!r} is not a size Spark reads: write it like 2g or 512m.")
        if not self.master or " " in self.master:
            raise SparkUnavailable(f"Spark master {self.master!r} is not a master URL: write local[2], "
                                   "spark://HOST:7077, yarn or k8s://https://HOST:PORT.")

    @property
    def is_local(self) -> bool:
        return bool(_LOCAL.match(self.master))

    @property
    def local_cores(self) -> int | None:
        """Cores of a local master (``local`` is 1, ``local[*]`` all of this machine's); None on a cluster."""
        match = _LOCAL.match(self.master)
        if not match:
            return None
        if match.group(2) is None:
            return 1
        if match.group(2) == "*":
            import os

            return os.cpu_count() or 1
        return int(match.group(2))

    @property
    def partitions(self) -> int:
        """Shuffle partitions: as set, else twice the local cores (small data in many partitions is slow), else
        Spark's cluster default."""
        if self.shuffle_partitions:
            return self.shuffle_partitions
        cores = self.local_cores
        return max(2, cores * 2) if cores is not None else CLUSTER_SHUFFLE_PARTITIONS


def standalone_masters(master: str) -> list[tuple[str, int]]:
    """Host and port of each master in a standalone URL (``spark://a:7077,b:7077`` names a standby too)."""
    if not master.startswith("spark://"):
        return []
    found = []
    for part in master.removeprefix("spark://").split(","):
        host, _, port = part.strip().rpartition(":")
        if not host or not port.isdigit():
            raise SparkUnavailable(f"Spark master {master!r} names no port: write spark://HOST:7077.")
        found.append((host.strip("[]"), int(port)))
    return found


def check_master_reachable(master: str, timeout: float = CONNECT_TIMEOUT_SECONDS) -> None:
    """Stop with what to do when no standalone master named in ``master`` answers on its port.

    Spark itself would retry registering for about a minute and then stop the context with "All masters are
    unresponsive", after the run had already started; one TCP connection says it in seconds. Other cluster
    managers (YARN, Kubernetes) are reached through their own configuration, which Spark checks itself.
    """
    masters = standalone_masters(master)
    if not masters:
        return
    for host, port in masters:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                return
        except OSError:
            continue
    raise SparkUnavailable(
        f"Could not reach the Spark master at {master} (no answer on its port within {timeout:.0f} s). Check that "
        "the master is running and that this machine may connect to it, or set BOROUGHHUB_SPARK_MASTER (or "
        "--spark-master) to the right URL; nothing was linked.")
