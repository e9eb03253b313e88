"""The first two minutes after an insights refresh, against the steady state in the same run (issue 14, item 4).

Fifty signed-in users browse the insights pages without a break, as in ``benchmarks/load.py`` (same
accounts, same mix of pages, 1–3 s of thinking), on a server that was already running, while the
insights are refreshed under them, as the worker refreshes them after a borough's new month:

1. the demo hub (pilot boroughs, scale 0.25) is set up or reused, and its insights are refreshed as at
   the month before its latest extract ("last month's figures"), charts pre-rendered as the refresh does;
2. the server starts and the 50 users sign in; a warm-up lets the server render what last month's
   snapshot did not pre-render (not measured);
3. **steady state**: two minutes of browsing last month's figures;
4. ``boroughhub insights refresh`` as the demo's job owner, as at the latest extract (this month's
   figures: a month more on every monthly chart, the year to date changed), while the users browse
   (measured apart: the refresh itself competes for the two cores);
5. **the first two minutes after the refresh**: from the moment the new snapshot is published (its
   file replaced) to two minutes later.

Percentiles are over every insights request that started within a window (sign-ins apart); the ratio is
the window's p95 ÷ the steady state's p95, same users, same server, same run.

Run:  .venv/bin/python benchmarks/load_after_refresh.py [--data DIR] [--users 50]
Writes benchmarks/results/load_after_refresh.md. Takes about 10 minutes with a reused ``--data``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.load import (  # noqa: E402
    REFRESHED_BY,
    ROOT,
    hub_environment,
    ms,
    served,
    server_cpu_seconds,
    set_up_demo,
    summarise,
)

RESULTS = Path(__file__).parent / "results" / "load_after_refresh.md"
TARGET_P95_MS = 500.0


@dataclass
class Window:
    name: str
    start: float
    end: float
    server_cpu_s: float = 0.0


def latest_extract_end(data: Path) -> dt.date:
    """The latest extract's end date: the refresh's default ``as_at`` (metrics.md 1.1)."""
    import duckdb

    from boroughhub.insights.params import submission_dates

    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as warehouse:
        _, last = submission_dates(warehouse)
    if last is None:
        raise SystemExit(f"{data} has no submissions: set it up with `boroughhub demo --no-serve` first")
    return last


def month_before(day: dt.date) -> dt.date:
    return day.replace(day=1) - dt.timedelta(days=1)


def refresh(data: Path, log: Path, as_at: dt.date | None = None) -> float:
    """``boroughhub insights refresh`` as the demo's job owner (``as_at``: the figures as at that date)."""
    started = time.monotonic()
    command = [sys.executable, "-m", "boroughhub.cli", "insights", "refresh", "--user", REFRESHED_BY,
               *(["--as-at", as_at.isoformat()] if as_at else [])]
    with log.open("w", encoding="utf-8") as handle:
        subprocess.run(command, env=hub_environment(data), cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
                       check=True, timeout=900)
    return time.monotonic() - started


def published_inode(data: Path) -> int:
    """The snapshot file's inode: publishing renames a new file over it, so the inode says when."""
    try:
        return (data / "insights" / "metric_values.parquet").stat().st_ino
    except FileNotFoundError:
        return -1


def wait_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


def window_summary(run: dict[str, Any], window: Window) -> dict[str, Any]:
    """``load.summarise`` of the requests that started within ``window``."""
    within = [r for r in run["records"] if window.start <= r[3] < window.end]
    return summarise({**run, "records": within, "started": window.start, "stopped": window.end})


def charts_written_after(charts: Path, moment: float) -> int:
    """Charts whose file was written after ``moment``: rendered on a first view (the refresh's own are
    written before it publishes)."""
    return sum(1 for path in charts.glob("*.svg") if path.stat().st_mtime >= moment)


def measure(data: Path, workdir: Path, users: int, warm_up: float, seconds: float) -> dict[str, Any]:
    latest = latest_extract_end(data)
    print(f"Last month's figures (as at {month_before(latest)})…", flush=True)
    previous_seconds = refresh(data, workdir / "refresh-previous.log", month_before(latest))
    stop, out = workdir / "stop", workdir / "requests.json"
    windows: dict[str, Window] = {}
    with served(data, workdir / "access.log") as (url, pid):
        print(f"Serving on {url}; {users} users signing in, then {warm_up:.0f} s of warm-up…", flush=True)
        driver = subprocess.Popen([sys.executable, str(ROOT / "benchmarks/load.py"), "drive", "--host", url,
                                   "--users", str(users), "--seconds", "3600", "--out", str(out),
                                   "--stop-file", str(stop)], cwd=ROOT)
        signing_in = users / 5 + 5  # load.SPAWN_RATE a second
        time.sleep(signing_in + warm_up)
        steady = Window("Steady state: last month's figures, after the warm-up", time.time(), time.time() + seconds)
        cpu = server_cpu_seconds(pid)
        wait_until(steady.end)
        steady.server_cpu_s = server_cpu_seconds(pid) - cpu
        print(f"Refreshing the insights (as at {latest}) under load…", flush=True)
        inode, cpu = published_inode(data), server_cpu_seconds(pid)
        refreshing = Window("While the refresh runs (computing, pre-rendering)", time.time(), 0.0)
        done: dict[str, float] = {}
        worker = threading.Thread(target=lambda: done.update(seconds=refresh(data, workdir / "refresh.log")))
        worker.start()
        while published_inode(data) == inode and worker.is_alive():
            time.sleep(0.05)
        refreshing.end = time.time()
        refreshing.server_cpu_s = server_cpu_seconds(pid) - cpu
        after = Window("First two minutes after the refresh published this month's figures", refreshing.end,
                       refreshing.end + seconds)
        cpu = server_cpu_seconds(pid)
        wait_until(after.end)
        after.server_cpu_s = server_cpu_seconds(pid) - cpu
        stop.touch()
        worker.join()
        if driver.wait(timeout=120) != 0:
            raise SystemExit(f"the load generator failed ({driver.returncode})")
        windows = {"steady": steady, "refreshing": refreshing, "after": after}
    run = json.loads(out.read_text(encoding="utf-8"))
    return {"run": run, "windows": windows, "previous_refresh_s": previous_seconds,
            "refresh_s": done.get("seconds", float("nan")), "latest": latest,
            "charts_after": charts_written_after(data / "insights" / "charts", after.start)}


def report(measured: dict[str, Any], command: str, loadavg: tuple[float, float], setup: str) -> str:
    run, windows = measured["run"], measured["windows"]
    figures = {key: window_summary(run, window) for key, window in windows.items()}
    steady, after = figures["steady"], figures["after"]
    lines = [
        "# Load: the first two minutes after an insights refresh", "",
        f"Command: `{command}`", "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores "
        f"(shared), Python {platform.python_version()}; load average {loadavg[0]:.1f} before, {loadavg[1]:.1f} at "
        f"the end. {setup}; served as `boroughhub demo` serves it (gunicorn, 2 workers × 4 threads, SQLite), the "
        f"load generator and the refresh on the same two cores. {run['signed_in']} users signed in, browsing "
        "without a break through every window.", "",
        "| Window | Measured | Insights requests | Requests/s | Errors | p50 ms | p95 ms | p99 ms | p95 ÷ steady "
        "| Server CPU ms per request | Target | Met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for key, window in windows.items():
        f = figures[key]
        target = key in ("steady", "after")
        met = f["p95"] <= TARGET_P95_MS and f["errors"] == 0
        lines.append(
            f"| {window.name} | {window.end - window.start:.0f} s | {f['requests']:,} | {f['rps']:.1f} | {f['errors']} "
            f"| {ms(f['p50'])} | {ms(f['p95'])} | {ms(f['p99'])} | {f['p95'] / steady['p95']:.1f}× "
            f"| {window.server_cpu_s * 1000 / max(1, f['requests']):.0f} "
            f"| {'no errors, p95 ≤ 500 ms' if target else ''} | {('yes' if met else '**no**') if target else ''} |")
    lines += ["", "Per page (requests, then p50 / p95 / p99 ms): steady state | first two minutes after the refresh", "",
              "| Page | Steady: requests | p50 | p95 | p99 | After: requests | p50 | p95 | p99 |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, (count, p50, p95, p99) in after["by_name"].items():
        s = steady["by_name"].get(name, (0, float("nan"), float("nan"), float("nan")))
        lines.append(f"| {name} | {s[0]:,} | {ms(s[1])} | {ms(s[2])} | {ms(s[3])} | {count:,} | {ms(p50)} | {ms(p95)} "
                     f"| {ms(p99)} |")
    errors = sorted({kind for f in figures.values() for kind in f["error_kinds"]})
    lines += [
        "", f"The refresh under load took {measured['refresh_s']:.0f} s (last month's, before the server started: "
        f"{measured['previous_refresh_s']:.0f} s); {measured['charts_after']} charts were rendered on a first view "
        "after it published (the rest were pre-rendered by the refresh or unchanged).",
        "", "Errors: " + ("; ".join(errors) if errors else "none."), "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="demo data directory to set up or reuse (default: a temporary one)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--warm-up", type=float, default=120.0, help="seconds of browsing before the steady state")
    parser.add_argument("--seconds", type=float, default=120.0, help="each measured window")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    loadavg_before = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="boroughhub-load-refresh-"))
    data = args.data or workdir / "data"
    reused = (data / "insights" / "metric_values.parquet").exists()
    try:
        print(f"{'Reusing' if reused else 'Setting up'} the demo hub in {data}…", flush=True)
        setup_seconds = set_up_demo(data, workdir / "demo.log")
        measured = measure(data, workdir, args.users, args.warm_up, args.seconds)
        setup = f"Demo hub ({'reused' if reused else 'set up in'} {setup_seconds:.0f} s: pilot boroughs at scale 0.25)"
        command = " ".join([".venv/bin/python benchmarks/load_after_refresh.py", *sys.argv[1:]])
        text = report(measured, command, (loadavg_before, os.getloadavg()[0]), setup)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(text)
        print(f"wrote {args.out}; raw requests in {workdir}")
    finally:
        if args.data is None:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
