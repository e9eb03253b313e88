"""Shared linkage fixtures: one small seeded population and one model trained on it (trained once)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import duckdb
import pyarrow as pa
import pytest

from boroughhub.linkage.backend_duckdb import DuckDBBackend
from boroughhub.linkage.fixtures import generate_records, load_into_warehouse
from boroughhub.linkage.link import standardised_records
from boroughhub.linkage.link_tables import save_model
from boroughhub.linkage.train import TrainedModel, train

SEED = 7
PEOPLE = 400
NOW = datetime(2026, 6, 1, 9, 0)


@pytest.fixture(scope="session")
def population() -> dict[str, pa.Table]:
    return generate_records(PEOPLE, SEED)


@pytest.fixture(scope="session")
def trained_model(population: dict[str, pa.Table]) -> TrainedModel:
    con = duckdb.connect()
    load_into_warehouse(con, population)
    backend = DuckDBBackend()
    try:
        return train(backend, standardised_records(con))
    finally:
        backend.close()
        con.close()


@pytest.fixture()
def warehouse(population: dict[str, pa.Table], trained_model: TrainedModel) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory warehouse holding the population and the trained model (so runs skip training)."""
    con = duckdb.connect()
    load_into_warehouse(con, population)
    save_model(con, trained_model, "<html></html>", NOW)
    yield con
    con.close()
