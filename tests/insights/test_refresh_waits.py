"""`boroughhub insights refresh` waits its turn for the warehouse and says for what, on a line of its own;
if the wait runs out it says what held the warehouse and that nothing was refreshed, without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boroughhub.insights.published import PUBLISHED_FILE
from boroughhub.warehouse import WriterQueue
from tests.agreements.conftest import demo_people, pl_rsi_v1  # noqa: F401 - fixtures
from tests.insights import worked_example

pytestmark = pytest.mark.django_db

HOLDER = Path(__file__).resolve().parents[1] / "warehouse" / "turn_holder.py"
ROOT = Path(__file__).resolve().parents[2]
STAMP = "2026-06-01T13:02:00+00:00"  # 14:02 in London
REFRESH = ("insights", "refresh", "--user", "analyst@gla.example", "--as-at", "2024-03-31",
           "--history-start", "2017-04-01")


@pytest.fixture
def warehouse(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    settings.WAREHOUSE_PATH = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(settings.WAREHOUSE_PATH))
    worked_example.load(con)
    con.close()
    return settings.WAREHOUSE_PATH


def _upload_holding(warehouse: Path, hold: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    holder = subprocess.Popen([sys.executable, str(HOLDER), str(warehouse), "an upload", "uploader@westminster.example",
                               "Westminster City Council", STAMP, hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env=env)
    assert holder.stdout is not None and holder.stdout.readline().startswith("got ")
    return holder


def test_the_refresh_waits_for_an_upload_and_says_so(warehouse, pl_rsi_v1, demo_people, settings, capsys):
    holder = _upload_holding(warehouse, "1.5")
    call_command(*REFRESH)
    assert holder.wait(timeout=30) == 0
    err = capsys.readouterr().err
    assert "Waiting for the warehouse: an upload started by uploader@westminster.example at 14:02\n" in err
    assert (settings.DATA_DIR / "insights" / PUBLISHED_FILE).exists()
    turns = WriterQueue(warehouse).turns()
    assert [t["what"] for t in turns] == ["an upload", "the insights refresh"]
    assert turns[1]["got_at"] >= turns[0]["left_at"]


def test_a_refresh_that_waits_too_long_refreshes_nothing_and_says_why(warehouse, pl_rsi_v1, demo_people, settings):
    settings.WAREHOUSE_WAIT_SECONDS = 0.3
    holder = _upload_holding(warehouse, "stdin")
    try:
        with pytest.raises(CommandError) as refused:
            call_command(*REFRESH)
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    assert str(refused.value) == (
        "The warehouse is still in use: an upload started by uploader@westminster.example at 14:02. "
        "Nothing was refreshed; run the command again when it has finished.")
    assert not (settings.DATA_DIR / "insights" / PUBLISHED_FILE).exists()
