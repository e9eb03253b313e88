from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from boroughhub.insights.metrics import Parameters, refresh
from tests.insights import worked_example


@pytest.fixture(scope="session")
def worked() -> Iterator[duckdb.DuckDBPyConnection]:
    """The 9.1 worked example, refreshed once with the 9 settings; ``main.metric_values`` holds the result."""
    con = duckdb.connect()
    worked_example.load(con)
    refresh(con, Parameters(history_start=worked_example.HISTORY_START, as_at=worked_example.AS_AT))
    yield con
    con.close()
