"""A published snapshot of the seeded synthetic London (pilot boroughs), for tests of pages and charts on
real figures: at this scale many borough cells are suppressed, which is what the chart rules are about."""

from __future__ import annotations

from pathlib import Path

import duckdb

from boroughhub.insights.contract import load_generated
from boroughhub.insights.metrics import Parameters, refresh
from boroughhub.insights.published import write_snapshot
from boroughhub.synthetic.generate import generate

SEED, SCALE = 11, 0.03


def seeded_snapshot(directory: Path) -> Path:
    """Generate, load, refresh and publish into ``directory / "insights"``; returns ``directory``."""
    generate(directory / "extracts", areas="pilot", scale=SCALE, seed=SEED)
    con = duckdb.connect()
    try:
        load_generated(con, directory / "extracts")
        refresh(con, Parameters())
        write_snapshot(con, directory / "insights")
    finally:
        con.close()
    return directory
