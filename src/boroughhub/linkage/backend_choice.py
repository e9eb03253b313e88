"""What a linkage backend offers, and choosing one by name (``duckdb`` or ``spark``)."""

from __future__ import annotations

import os
from typing import Protocol

import pyarrow as pa
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from boroughhub.linkage.spark_settings import SparkSettings

BACKEND_NAMES = ("duckdb", "spark")


class LinkageBackend(Protocol):
    name: str
    dialect: str

    @property
    def db_api(self) -> DatabaseAPISubClass: ...

    def register(self, table: pa.Table, name: str) -> SplinkDataFrame: ...

    def to_arrow(self, frame: SplinkDataFrame, columns: list[str]) -> pa.Table: ...

    def close(self) -> None: ...


def make_backend(name: str, spark: SparkSettings | None = None) -> LinkageBackend:
    """The backend called ``name``; Spark's session as ``spark`` asks, else as the environment says
    (``BOROUGHHUB_SPARK_*``, see ``spark_settings``)."""
    if name == "duckdb":
        from boroughhub.linkage.backend_duckdb import DuckDBBackend

        return DuckDBBackend()
    if name == "spark":
        from boroughhub.linkage.backend_spark import SparkBackend

        return SparkBackend.from_settings(spark or SparkSettings.from_environ(os.environ))
    raise ValueError(f"Unknown linkage backend {name!r}: choose one of {', '.join(BACKEND_NAMES)}.")
