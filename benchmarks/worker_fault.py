"""Benchmark: a worker killed (SIGKILL) in the middle of a full linkage run, then restarted.

    .venv/bin/python benchmarks/worker_fault.py                  # sets up a demo hub in a temp folder (~2 min)
    .venv/bin/python benchmarks/worker_fault.py --data /tmp/wf   # reuse (or create) a demo hub there

A demo hub (pilot boroughs, scale 0.25: submitted, linked, refreshed) is the starting point; its
warehouse is copied before anything runs, and every run below starts from its own copy of it.

- Uninterrupted: ``link_job("full")`` is enqueued and one ``boroughhub worker --batch`` runs it.
- Killed runs: the same task; the worker is killed with SIGKILL a given number of seconds after it
  logged a given linkage step (``KILLS``: early, during Splink's scoring, at clustering, and as it
  starts writing ``person_link``), and a new ``boroughhub worker --batch`` is started at once. It finds
  the task RUNNING under a dead worker, puts it back, and runs it again.

Each run's ``person_link`` is compared with the first uninterrupted run's: no duplicate record rows, no lost
records, every record in exactly one person, the same partition of records into persons, the same
number of persons, exactly one ``linkage_run`` row added. The baseline is the uninterrupted run, measured
in the same session (before, between and after the killed runs); the ratio is killed+restarted over
uninterrupted, in wall-clock time and in the workers' CPU time.
Writes benchmarks/results/worker_fault.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "worker_fault.md"
#: When each killed run is killed: this many seconds after the worker logged this linkage step. Steps,
#: not fractions of a reference time, because run times on a shared machine vary by half.
KILLS: tuple[tuple[str, float], ...] = (
    ("Reading and standardising the person records", 1.0),
    ("Scoring record pairs", 3.0),
    ("Clustering records into persons", 0.0),
    ("Writing person_link", 0.0),
)
POLL = 0.02


@dataclass
class Attempt:
    """One task through the queue: timings from the worker's start to the task's end."""

    warehouse: Path
    total_seconds: float = 0.0
    task_seconds: float = 0.0  # from the (last) claim to the task's end
    killed_after: float | None = None  # seconds after the first claim
    step_at_kill: str = ""
    state_after_kill: str = ""
    runs_after_kill: int | None = None  # linkage_run rows in the warehouse right after the kill
    final_state: str = ""
    attempts: int = 0
    recovered_in_log: bool = False
    #: When the last worker logged each linkage step (and "done"), in seconds after its claim, as seen by
    #: polling its log every ``POLL`` seconds.
    step_times: dict[str, float] = field(default_factory=dict)
    cpu_seconds: float = 0.0  # user + system time of the worker processes (reaped children)


def set_up_hub(data: Path) -> None:
    if (data / "warehouse.duckdb").exists() and (data / "boroughhub.sqlite3").exists():
        return
    print(f"setting up the demo hub in {data} (about two minutes)…", flush=True)
    subprocess.run([sys.executable, "-m", "boroughhub.cli", "demo", "--no-serve"], env=hub_env(data), cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)


def hub_env(data: Path, warehouse: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "BOROUGHHUB_ENV": "demo", "BOROUGHHUB_DATA_DIR": str(data), "BOROUGHHUB_TASKS": "database"}
    if warehouse is not None:
        env["BOROUGHHUB_WAREHOUSE"] = str(warehouse)
    return env


def start_django(data: Path) -> None:
    os.environ.update(hub_env(data))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boroughhub.settings")
    import django

    django.setup()


def enqueue_full_link() -> str:
    from boroughhub.linkage.tasks import link_job

    return str(link_job.enqueue("full").id)


def task_row(task_id: str) -> Any:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.get(pk=task_id)


def start_worker(data: Path, warehouse: Path, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "boroughhub.cli", "worker", "--batch", "--no-startup-delay", "--interval", "0.1"]
    with log.open("ab") as out:
        return subprocess.Popen(command, env=hub_env(data, warehouse), cwd=ROOT, stdout=out, stderr=out)


def wait_until_claimed(task_id: str, worker: subprocess.Popen[bytes]) -> float:
    while task_row(task_id).status != "RUNNING":
        if worker.poll() is not None:
            raise RuntimeError("the worker exited before claiming the task")
        time.sleep(POLL)
    return time.perf_counter()


def last_step(log: Path) -> str:
    steps = [line.split("linkage step:", 1)[1].strip() for line in log.read_text(errors="replace").splitlines()
             if "linkage step:" in line]
    return steps[-1] if steps else "(before the first linkage step)"


def linkage_runs(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute("SELECT count(*) FROM linkage_run").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def wait_for_step(log: Path, step: str, worker: subprocess.Popen[bytes]) -> None:
    while f"linkage step: {step}" not in log.read_text(errors="replace"):
        if worker.poll() is not None:
            raise RuntimeError(f"the worker finished before the step {step!r}")
        time.sleep(POLL)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def log_size(log: Path) -> int:
    return len(log.read_text(errors="replace")) if log.exists() else 0


def watch_steps(log: Path, worker: subprocess.Popen[bytes], claimed: float, offset: int) -> dict[str, float]:
    """Until the worker exits: when each step line after ``offset`` (this worker's) first appears in the log."""
    seen: dict[str, float] = {}
    while worker.poll() is None:
        text = log.read_text(errors="replace")[offset:]
        for line in text.splitlines():
            step = line.split("linkage step:", 1)[1].strip() if "linkage step:" in line else (
                "done" if "state=SUCCESSFUL" in line or "state=FAILED" in line else "")
            if step and step not in seen:
                seen[step] = time.perf_counter() - claimed
        time.sleep(POLL)
    return seen


def run_task(data: Path, warehouse: Path, log: Path, kill: tuple[str, float] | None = None) -> Attempt:
    """Enqueue a full link on ``warehouse``; run a worker (killed ``kill[1]`` s after it logged the step
    ``kill[0]``, then a second one); return the timings."""
    attempt = Attempt(warehouse)
    task_id = enqueue_full_link()
    cpu_before = children_cpu()
    started = time.perf_counter()
    offset = log_size(log)
    worker = start_worker(data, warehouse, log)
    claimed = wait_until_claimed(task_id, worker)
    if kill is not None:
        wait_for_step(log, kill[0], worker)
        time.sleep(kill[1])
        if worker.poll() is not None:
            raise RuntimeError("the worker finished before the kill: choose an earlier moment")
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        attempt.killed_after = time.perf_counter() - claimed
        attempt.step_at_kill = last_step(log)
        attempt.state_after_kill = task_row(task_id).status
        attempt.runs_after_kill = linkage_runs(warehouse)
        offset = log_size(log)
        worker = start_worker(data, warehouse, log)
        claimed = wait_until_claimed(task_id, worker)
    attempt.step_times = watch_steps(log, worker, claimed, offset)
    finished = time.perf_counter()
    row = task_row(task_id)
    attempt.total_seconds = finished - started
    attempt.cpu_seconds = children_cpu() - cpu_before
    attempt.task_seconds = (row.finished_at - row.started_at).total_seconds() if row.finished_at else finished - claimed
    attempt.final_state = row.status
    attempt.attempts = len(row.worker_ids)
    attempt.recovered_in_log = "Recovered task" in log.read_text(errors="replace")
    return attempt


@dataclass(frozen=True)
class Linkage:
    rows: int
    distinct_records: int
    unlinked_records: int  # person records in the warehouse without a person_link row
    persons: int
    partition: frozenset[frozenset[str]]
    person_of: dict[str, str]
    runs: int
    history_rows: int
    open_review_pairs: int


def read_linkage(warehouse: Path) -> Linkage:
    from boroughhub.linkage.records import person_records_sql

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "SELECT source || ':' || supplier_code || ':' || record_key, person_id FROM person_link").fetchall()
        records = {r[0] for r in con.execute(f"SELECT unique_id FROM ({person_records_sql(con)})").fetchall()}
        runs, history, review = (
            int(con.execute(sql).fetchone()[0])  # type: ignore[index]
            for sql in ("SELECT count(*) FROM linkage_run", "SELECT count(*) FROM linkage_person_link_history",
                        "SELECT count(*) FROM linkage_review_queue WHERE status = 'open'")
        )
    finally:
        con.close()
    person_of = dict(rows)
    members: dict[str, set[str]] = {}
    for record, person in rows:
        members.setdefault(person, set()).add(record)
    return Linkage(
        rows=len(rows), distinct_records=len(person_of), unlinked_records=len(records - set(person_of)),
        persons=len(members),
        partition=frozenset(frozenset(m) for m in members.values()), person_of=person_of, runs=runs,
        history_rows=history, open_review_pairs=review,
    )


def compare(reference: Linkage, killed: Linkage, base: Linkage) -> dict[str, Any]:
    same_ids = sum(1 for r, p in killed.person_of.items() if reference.person_of.get(r) == p)
    return {
        "duplicate rows": killed.rows - killed.distinct_records,
        "lost records": len(set(reference.person_of) - set(killed.person_of)),
        "records without a person": killed.unlinked_records,
        "extra records": len(set(killed.person_of) - set(reference.person_of)),
        "records": killed.rows,
        "persons": f"{killed.persons:,} / {reference.persons:,}",
        "same partition": "yes" if killed.partition == reference.partition else "NO",
        "same person ids": f"{same_ids / max(1, killed.rows):.1%}",
        "runs added": killed.runs - base.runs,
        "history rows added": killed.history_rows - base.history_rows,
        "open review pairs": f"{killed.open_review_pairs:,} / {reference.open_review_pairs:,}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="The demo hub's data folder (created if missing).")
    args = parser.parse_args()
    data = (args.data or Path(tempfile.mkdtemp(prefix="boroughhub-worker-fault-"))).resolve()
    load_start = os.getloadavg()[0]
    set_up_hub(data)
    runs = data / "worker-fault"
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir()
    base_path = runs / "base.duckdb"
    shutil.copy(data / "warehouse.duckdb", base_path)
    start_django(data)
    base = read_linkage(base_path)

    def fresh(name: str) -> Path:
        path = runs / f"{name}.duckdb"
        shutil.copy(base_path, path)
        return path

    # Uninterrupted runs before, between and after the killed ones: each killed run is compared with the
    # mean of its two neighbours, because the machine's load changes from one minute to the next.
    print("uninterrupted run 1…", flush=True)
    references = [run_task(data, fresh("reference-1"), runs / "reference-1.log")]
    killed_runs = []
    for number, kill in enumerate(KILLS, start=1):
        print(f"killed run {number}: kill {kill[1]:.0f} s after the step {kill[0]!r}…", flush=True)
        killed_runs.append(run_task(data, fresh(f"killed-{number}"), runs / f"killed-{number}.log", kill=kill))
        print(f"uninterrupted run {number + 1}…", flush=True)
        references.append(run_task(data, fresh(f"reference-{number + 1}"), runs / f"reference-{number + 1}.log"))
    load_end = os.getloadavg()[0]

    reference = read_linkage(references[0].warehouse)
    checks = [(f"uninterrupted {i}", compare(reference, read_linkage(run.warehouse), base))
              for i, run in enumerate(references[1:], start=2)]
    checks += [(f"killed {i}", compare(reference, read_linkage(run.warehouse), base))
               for i, run in enumerate(killed_runs, start=1)]
    write_results(data, base, references, killed_runs, checks, (load_start, load_end))
    print(f"wrote {RESULTS}")


def write_results(data: Path, base: Linkage, references: list[Attempt], killed_runs: list[Attempt],
                  checks: list[tuple[str, dict[str, Any]]], load: tuple[float, float]) -> None:
    lines = [
        "# Worker fault benchmark: a worker killed during a linkage run",
        "",
        f"`.venv/bin/python benchmarks/worker_fault.py --data DIR` on {os.cpu_count()} cores, "
        f"{datetime.now(UTC):%Y-%m-%d}; load average {load[0]:.1f} at the start, {load[1]:.1f} at the end "
        f"(shared machine); Python {platform.python_version()}, DuckDB {duckdb.__version__}.",
        "",
        f"The demo hub (pilot boroughs, scale 0.25; {base.rows:,} person records already linked into "
        f"{base.persons:,} persons) runs a full linkage (`link_job(\"full\")`, stored model, no retraining) "
        "through the task queue and `boroughhub worker --batch`. In each killed run the worker is killed with "
        "SIGKILL a set time after it logged a linkage step, and a new worker is started at once: it puts the "
        "task back (its worker is gone) and runs it again. Every run starts from its own copy of the same "
        "warehouse. Uninterrupted runs come before, between and after the killed ones; each killed run's "
        "baseline is the mean of its two neighbours. Time is wall clock from the first worker's start to the "
        "last worker's exit (each worker's start-up, about 2 s, included); CPU is the user + system time of "
        "the worker processes, the steadier figure on a shared machine.",
        "",
        "| Run | Killed at (s after claim) | Step running when killed | Task after kill | Runs committed by the killed attempt | Attempts | Final state | Time (s) | CPU (s) | Time ratio | CPU ratio |",
        "|---|---:|---|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for number, run in enumerate(references, start=1):
        lines.append(f"| uninterrupted {number} | – | – | – | – | {run.attempts} | {run.final_state} | "
                     f"{run.total_seconds:.1f} | {run.cpu_seconds:.1f} | – | – |")
    for number, run in enumerate(killed_runs, start=1):
        before, after = references[number - 1], references[number]
        wall = (before.total_seconds + after.total_seconds) / 2
        cpu = (before.cpu_seconds + after.cpu_seconds) / 2
        committed = (run.runs_after_kill or 0) - base.runs
        lines.append(
            f"| killed {number} | {run.killed_after:.1f} | {run.step_at_kill} | {run.state_after_kill} | "
            f"{committed} | {run.attempts} | {run.final_state} | {run.total_seconds:.1f} | {run.cpu_seconds:.1f} | "
            f"{run.total_seconds / wall:.2f} | {run.cpu_seconds / cpu:.2f} |")
    ordered = sorted(references[0].step_times.items(), key=lambda item: item[1])
    durations = [f"{step} {later - at:.1f} s" for (step, at), (_, later) in zip(ordered, ordered[1:], strict=False)]
    names = list(checks[0][1])
    lines += [
        "",
        "Steps of uninterrupted run 1 (seconds from the step's log line to the next line): "
        + "; ".join(durations) + ".",
        "",
        "Each run's `person_link` against uninterrupted run 1's (persons: this run / run 1):",
        "",
        "| Run | " + " | ".join(n.capitalize() for n in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for label, check in checks:
        lines.append(f"| {label} | " + " | ".join(
            f"{v:,}" if isinstance(v, int) else str(v) for v in check.values()) + " |")
    lines += [
        "",
        "Notes:",
        "",
        "- \"Runs committed by the killed attempt\" is read from the warehouse right after the kill: 0 means "
        "the killed run left the warehouse as it was (it writes everything in one DuckDB transaction at the "
        "end), so the restarted run starts from the same state as the uninterrupted ones. The last kill comes "
        f"within {POLL * 1000:.0f} ms of the \"Writing person_link\" line, inside that step (see its length "
        "above), while `person_link` was being written or about to be; nothing of it survived.",
        "- Person ids: a full relink keeps each cluster's previous id (`stable_ids.py`); only clusters that "
        "are new or split off get random ids, so \"same person ids\" can fall below 100% while the partition "
        "is identical.",
        "- Ratio: the killed run repeats the work done before the kill, plus one more worker start-up; the "
        "supervisor's restart delay (systemd `RestartSec`) would add to it in production.",
        f"- Data folder: `{data}` (runs in its `worker-fault/`).",
    ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
