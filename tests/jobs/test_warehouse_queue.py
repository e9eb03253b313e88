"""Two workers and a `boroughhub link` from the command line, started at once on a small seeded hub: the
uploads, the linkage runs after them, the command-line run and the insights refreshes all wait their turn
for the warehouse, one at a time in the order they asked, and all of them succeed with nothing lost."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from boroughhub.warehouse import WriterQueue

ROOT = Path(__file__).resolve().parents[2]
HUB = Path(__file__).with_name("queue_hub.py")
JOB_OWNER = "analyst@gla.example"
#: The suppliers uploading while the workers run (tests/jobs/queue_hub.py QUEUED), by supplier code.
QUEUED = {"E09000007": "hclic", "provider-b": "inform"}
PERSON_TABLES = {"chain": "chain_people", "inform": "inform_clients", "hclic": "hclic_people"}


def _environment(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "BOROUGHHUB_ENV": "test", "BOROUGHHUB_DATA_DIR": str(data_dir),
            "BOROUGHHUB_TASKS": "database", "BOROUGHHUB_JOB_OWNER": JOB_OWNER,
            "DJANGO_SETTINGS_MODULE": "boroughhub.settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH")]))}


def _file_rows(folder: Path) -> dict[str, int]:
    rows = {}
    for path in sorted(folder.glob("*.csv")):
        if path.name != "manifest.csv":
            with path.open(newline="", encoding="utf-8") as handle:
                rows[path.name] = sum(1 for _ in csv.DictReader(handle))
    return rows


def _warehouse_facts(path: Path) -> dict[str, object]:
    with duckdb.connect(str(path), read_only=True) as con:
        records = sum(con.execute(f"SELECT count(*) FROM main.{t}").fetchone()[0] for t in PERSON_TABLES.values())
        refreshed = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'metric_run'").fetchone()[0]
        return {
            "runs": con.execute("SELECT count(*) FROM linkage_run WHERE finished_at IS NOT NULL").fetchone()[0],
            # metric_run holds the latest refresh only: was it after the last load?
            "refreshed_after_loads": bool(refreshed) and con.execute(
                "SELECT (SELECT max(computed_at) FROM metric_run) > (SELECT max(loaded_at) FROM submissions)"
            ).fetchone()[0],
            "records": records,
            "linked": con.execute("SELECT count(*) FROM person_link").fetchone()[0],
            "current": {(s, c): json.loads(r) for s, c, r in con.execute(
                "SELECT source, supplier_code, row_counts FROM submissions WHERE status = 'current'").fetchall()},
        }


@pytest.mark.slow
def test_two_workers_and_a_command_line_linkage_wait_their_turn_and_all_succeed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = _environment(data)
    database = data / "boroughhub.sqlite3"
    setup = subprocess.run([sys.executable, str(HUB), "setup"], env=env, cwd=ROOT, capture_output=True, text=True,
                           timeout=900, check=False)
    assert setup.returncode == 0, setup.stderr[-3000:]
    before = _warehouse_facts(data / "warehouse.duckdb")
    turns_before = len(WriterQueue(data / "warehouse.duckdb").turns())
    submissions = subprocess.run([sys.executable, str(HUB), "enqueue"], env=env, cwd=ROOT, check=True,
                                 capture_output=True, text=True, timeout=300).stdout.split()
    assert len(submissions) == 2

    cli = [sys.executable, "-m", "boroughhub.cli"]
    workers = [subprocess.Popen([*cli, "worker", "--no-startup-delay", "--interval", "0.1", "--worker-id", name],
                                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for name in ("first", "second")]
    link = subprocess.Popen([*cli, "link", "--user", JOB_OWNER], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    messages: set[str] = set()  # what the submissions' pages said along the way
    try:
        deadline = time.monotonic() + 420
        while True:
            with sqlite3.connect(database, timeout=20) as con:
                for row in con.execute("SELECT progress_message, after_loading_message FROM submissions_submission "
                                       "WHERE id IN (?, ?)", [s.replace("-", "") for s in submissions]):
                    messages.update(m for m in row if m)
                statuses = [s for (s,) in con.execute("SELECT status FROM django_tasks_database_dbtaskresult")]
            # Two uploads, then the link and refresh steps each accepted upload starts (SUBMISSION_PIPELINE).
            if len(statuses) == 6 and all(s in ("SUCCESSFUL", "FAILED") for s in statuses) and link.poll() is not None:
                break
            assert time.monotonic() < deadline, f"still running: {statuses}"
            time.sleep(0.2)
        out, err = link.communicate(timeout=60)
    finally:
        for process in (*workers, link):
            process.terminate()
        for process in (*workers, link):
            process.wait(timeout=60)

    assert link.returncode == 0, err
    assert statuses == ["SUCCESSFUL"] * 6
    with sqlite3.connect(database) as con:
        outcomes = con.execute("SELECT status, after_loading, failure_message FROM submissions_submission "
                               "WHERE id IN (?, ?)", [s.replace("-", "") for s in submissions]).fetchall()
        summaries = con.execute("SELECT supplier_code, report_summary FROM submissions_submission "
                                "WHERE id IN (?, ?)", [s.replace("-", "") for s in submissions]).fetchall()
    assert outcomes == [("accepted", "done", "")] * 2
    # The people the agreement does not cover (under 18) are left out and counted, per file (decision 161).
    left_out: dict[str, dict[str, int]] = {supplier: {} for supplier in QUEUED}
    for supplier, summary in summaries:
        for rule in json.loads(summary).get("left_out", []):
            for name, rows in rule["rows_by_file"].items():
                left_out[supplier][name] = left_out[supplier].get(name, 0) + rows
    assert not [m for m in messages if "busy" in m or "again" in m]

    # Nothing lost: every row of every file is current, and every person record is linked.
    after = _warehouse_facts(data / "warehouse.duckdb")
    for supplier, source in QUEUED.items():
        in_files = _file_rows(data / "as-agreed" / supplier / source)
        loaded = after["current"][(source, supplier)]
        assert {name: loaded.get(name, 0) + left_out[supplier].get(name, 0) for name in in_files} == in_files
    assert after["current"].keys() == before["current"].keys() | {(s, c) for c, s in QUEUED.items()}
    assert after["linked"] == after["records"] > before["records"]
    assert after["runs"] == before["runs"] + 3  # one after each upload, one from the command line
    assert after["refreshed_after_loads"] and not before["refreshed_after_loads"]

    # In turn: each writer got the warehouse after the one before it left, in the order they asked.
    turns = WriterQueue(data / "warehouse.duckdb").turns()[turns_before:]
    assert sorted(t["what"] for t in turns) == sorted(["an upload"] * 2 + ["linkage"] * 3 + ["the insights refresh"] * 2)
    assert [t["ticket"] for t in turns] == sorted(t["ticket"] for t in turns)
    for earlier, later in zip(turns, turns[1:], strict=False):
        assert later["got_at"] >= earlier["left_at"]
    waited = [later for earlier, later in zip(turns, turns[1:], strict=False) if later["asked_at"] < earlier["left_at"]]
    assert waited, "nobody had to wait: the test did not test the queue"
    told = messages | {line.strip() for line in err.splitlines()}
    assert any(m.startswith("Waiting for the warehouse: ") for m in told), told
    command_line = next(t for t in turns if t["pid"] == link.pid)
    if command_line in waited:
        assert "Waiting for the warehouse: " in err
