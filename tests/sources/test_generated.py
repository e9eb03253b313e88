"""A London made by the project's own synthetic generator validates clean."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from boroughhub.sources import validate_submission

generate_module = pytest.importorskip("boroughhub.synthetic.generate")


@pytest.mark.slow
def test_generated_submissions_have_no_errors(tmp_path: Path) -> None:
    generate_module.generate(tmp_path, areas="E09000033", scale=0.02, seed=7)
    folders = sorted(m.parent for m in tmp_path.glob("*/*/manifest.csv"))
    assert {f.name for f in folders} == {"chain", "inform", "hclic"}
    con = duckdb.connect()
    for folder in folders:
        result = validate_submission(folder, con, today=dt.date.today())
        errors = [row for row in result.report.rows() if row["severity"] == "error"]
        assert result.passed, (folder, errors[:10])
        assert sum(result.row_counts.values()) > 0
