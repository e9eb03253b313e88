from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import worked_example  # noqa: E402

from boroughhub.insights.metrics import Parameters, refresh  # noqa: E402


@pytest.fixture(scope="session")
def worked() -> Iterator[duckdb.DuckDBPyConnection]:
    """The 9.1 worked example, refreshed once with the 9 settings; ``main.metric_values`` holds the result."""
    con = duckdb.connect()
    worked_example.load(con)
    refresh(con, Parameters(history_start=worked_example.HISTORY_START, as_at=worked_example.AS_AT))
    yield con
    con.close()
