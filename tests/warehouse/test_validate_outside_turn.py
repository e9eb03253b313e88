"""Checking an upload's files never holds the warehouse (docs/decisions/0155): while the rules run, another
process can take the writer's turn at once; the upload takes the turn only afterwards, to load."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from boroughhub.warehouse import Warehouse, WriterQueue
from boroughhub.warehouse.submit import ACCEPTED, REJECTED, submit_in_turn
from boroughhub.warehouse.writer_queue import Work
from tests.sources.builders import write_submission

TODAY = dt.date(2025, 6, 1)
KEY = "warehouse-test-key-0123456789"
REPO = Path(__file__).resolve().parents[2]

#: Another process writing the warehouse without waiting at all: it fails if anyone holds the turn.
OTHER_WRITER = textwrap.dedent("""
    import sys
    from boroughhub.warehouse import Warehouse
    from boroughhub.warehouse.writer_queue import Work
    with Warehouse(sys.argv[1], work=Work("linkage", "analyst@gla.example"), wait_seconds=0) as warehouse:
        warehouse.execute("CREATE TABLE IF NOT EXISTS other_writer_was_here (n INTEGER)")
""")


def _permit(dataset: str, supplier: str, fields: set[str]) -> bool:
    return True


def _other_writer(path: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), str(REPO)]))}
    return subprocess.run([sys.executable, "-c", OTHER_WRITER, str(path)], capture_output=True, text=True,
                          env=environment, timeout=120, check=False)


def test_another_writer_gets_the_warehouse_while_the_files_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    Warehouse(path, work=Work("setting up")).close()
    queue = WriterQueue(path)
    during_checks: list[subprocess.CompletedProcess[str]] = []
    tickets_while_checking: list[int] = []
    turns_taken: list[str] = []

    def progress(message: str, fraction: float) -> None:
        if message.startswith("Checking rules"):
            tickets_while_checking.append(len(queue.tickets()))
            if not during_checks:  # once is enough: a subprocess costs a second
                during_checks.append(_other_writer(path))

    def take_turn() -> Warehouse:
        turns_taken.append("upload")
        return Warehouse(path, work=Work("an upload", "uploader@camden.example", "Camden"))

    result = submit_in_turn(write_submission(tmp_path / "chain", "chain"), take_turn, _permit, KEY, progress,
                            today=TODAY)

    assert result.status == ACCEPTED, result.report.rows()
    assert tickets_while_checking and set(tickets_while_checking) == {0}
    assert during_checks[0].returncode == 0, during_checks[0].stderr
    assert turns_taken == ["upload"]
    with Warehouse(path, read_only=True) as warehouse:
        assert warehouse.fetchall("SELECT count(*) FROM other_writer_was_here") == [(0,)]
        assert warehouse.current_submission("chain", result.manifest.supplier_code) is not None  # type: ignore[union-attr]
    assert [turn["what"] for turn in queue.turns()][-2:] == ["linkage", "an upload"]


def test_a_file_without_a_manifest_never_takes_the_turn(tmp_path: Path) -> None:
    folder = write_submission(tmp_path / "chain", "chain")
    (folder / "manifest.csv").unlink()
    turns_taken: list[str] = []

    def take_turn() -> Warehouse:
        turns_taken.append("upload")
        return Warehouse(tmp_path / "warehouse.duckdb")

    result = submit_in_turn(folder, take_turn, _permit, KEY, today=TODAY)

    assert result.status == REJECTED
    assert turns_taken == []
