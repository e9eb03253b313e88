"""London at scale (issue 14, item 4): the whole monthly cycle for all London, and one borough's new
month through to refreshed insights, against the pilot measured in the same run.

What it runs, as an operator would:

1. **Baseline**: ``boroughhub demo --areas pilot --scale S --no-serve`` in a fresh data folder (the four
   pilot boroughs: synthetic extracts, agreements, every supplier's submission, linkage, insights refresh
   with its chart pre-rendering, the example evaluation);
2. **All London**: ``boroughhub demo --areas all --scale S --no-serve`` in another fresh folder (33
   authorities and the providers, the 29 boroughs outside the pilot joining by accession, 36+ submissions
   validated and loaded, linkage, refresh);
3. **A new month**: in each hub, one borough's next extract (the synthetic world generated one month
   further, its H-CLIC folder) submitted by the borough's uploader with ``boroughhub submit``, the worker's
   follow-up steps run inline (``BOROUGHHUB_TASKS=immediate``): validated, loaded, linked incrementally
   and the insights refreshed. Westminster in the pilot, Southwark in all London.

Wall time, the CPU seconds of the commands (user + system, steadier on a shared machine) and their peak
memory (largest child RSS) are measured per run; each step's time is read from the demo's own progress
lines. Ratios are all London ÷ pilot, measured in the same run.

Run:  .venv/bin/python benchmarks/monthly_cycle.py [--scale 0.25] [--work DIR]
Writes benchmarks/results/monthly_cycle.md (then ``benchmarks/collect.py`` gathers RESULTS.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks/results/monthly_cycle.md"
BOROUGHHUB = str(Path(sys.executable).with_name("boroughhub"))
DEMO_SEED = 20260401  # the demo's (web/management/demo_steps.py): the same world, one month further
NEXT_MONTH_END = dt.date(2025, 4, 30)
STEP = re.compile(r"^(\d+)/(\d+) (.+?)…")
DONE = re.compile(r"^\s+done in (\d+) s(?:, (\d+) CPU-s)?")
# The refresh's own log lines (insights/tasks.py): its parts, in every run that refreshes.
COMPUTED = re.compile(r"Computed the metrics in ([\d.]+) s; wrote the snapshot in ([\d.]+) s")
PRERENDERED = re.compile(r"Pre-rendered (\d+) charts \((\d+) of (\d+) batches\) in ([\d.]+) s")
#: The steps of the demo that are the monthly cycle itself (the others set up the other rooms' demos).
CYCLE_STEPS = ("Submitting each supplier's extracts", "Linking people across CHAIN, InForm and H-CLIC",
               "Refreshing the rough sleeping insights")


@dataclass
class Measured:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    steps: list[tuple[str, int]] = field(default_factory=list)
    step_cpu: dict[str, int] = field(default_factory=dict)  # CPU seconds of each step, where the demo says
    output: str = ""
    errors: str = ""  # stderr: the log lines (the refresh's parts among them)

    def cycle_seconds(self) -> int:
        """The monthly cycle's own steps of a demo set-up (submit all, link, refresh), from its step lines."""
        return sum(seconds for title, seconds in self.steps if title in CYCLE_STEPS)

    def cycle_cpu(self) -> int | None:
        return sum(self.step_cpu[t] for t in CYCLE_STEPS) if set(CYCLE_STEPS) <= set(self.step_cpu) else None

    def refresh_parts(self) -> str:
        computed, rendered = COMPUTED.search(self.errors), PRERENDERED.search(self.errors)
        parts = [f"metrics {computed[1]} s, snapshot {computed[2]} s" if computed else "",
                 f"charts {rendered[4]} s ({rendered[1]} charts, {rendered[2]} of {rendered[3]} batches)"
                 if rendered else ""]
        return "; ".join(p for p in parts if p) or "–"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str], env: dict[str, str]) -> Measured:
    """One command, timed; the steps it printed (``N/M Title…`` then ``done in S s``)."""
    cpu, started = _children_cpu(), time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out: list[str] = []
    err: list[str] = []

    def read(stream: Any, lines: list[str]) -> None:
        # Each line with the moment it came: a new month's submit prints no step times of its own.
        lines.extend(f"[{time.perf_counter() - started:7.1f} s] {line}" for line in stream)

    readers = [threading.Thread(target=read, args=(process.stdout, out)),
               threading.Thread(target=read, args=(process.stderr, err))]
    for reader in readers:
        reader.start()
    returncode = process.wait()
    for reader in readers:
        reader.join()
    wall, used = time.perf_counter() - started, _children_cpu() - cpu
    stdout, stderr = "".join(out), "".join(err)
    if returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({returncode}):\n{stdout}\n{stderr}")
    steps, step_cpu, title = [], {}, ""
    for line in (line.split("] ", 1)[1] for line in stdout.splitlines()):
        if match := STEP.match(line):
            title = match.group(3)
        elif (match := DONE.match(line)) and title:
            steps.append((title, int(match.group(1))))
            if match.group(2) is not None:
                step_cpu[title] = int(match.group(2))
            title = ""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return Measured(wall, used, peak, steps, step_cpu, stdout, stderr)


def hub_env(data_dir: Path, **extra: str) -> dict[str, str]:
    # COLUMNS: rich wraps a long step title at 80 columns when not on a terminal, hiding it from STEP.
    env = {**os.environ, "BOROUGHHUB_ENV": "demo", "BOROUGHHUB_DATA_DIR": str(data_dir), "COLUMNS": "200",
           **extra}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def set_up(areas: str, scale: float, data_dir: Path, reuse: bool) -> Measured:
    """The demo set up in a fresh folder; its measurement is kept beside it, so ``--reuse`` measures only
    the new month against hubs set up by an earlier run (the table says when they were measured)."""
    kept = data_dir.parent / f"{data_dir.name}-set-up.json"
    if reuse and kept.exists():
        return Measured(**json.loads(kept.read_text(encoding="utf-8")))
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    measured = run([BOROUGHHUB, "demo", "--areas", areas, "--scale", str(scale), "--no-serve"], hub_env(data_dir))
    kept.write_text(json.dumps(measured.__dict__), encoding="utf-8")
    return measured


def next_month_folder(areas: str, scale: float, work: Path, data_dir: Path, supplier: str,
                      month_end: dt.date = NEXT_MONTH_END) -> Path:
    """The borough's next extract: the demo's synthetic world generated one month further, sent as the
    demo sends every extract (the columns the agreement does not cover left empty)."""
    out = work / f"next-month-{areas}" if month_end == NEXT_MONTH_END else work / f"month-{month_end}-{areas}"
    if not (out / supplier / "hclic" / "manifest.csv").exists():
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([BOROUGHHUB, "synth", "--areas", areas, "--scale", str(scale), "--seed", str(DEMO_SEED),
                        "--to", month_end.isoformat(), "--out", str(out)],
                       env=hub_env(work / "synth-only", BOROUGHHUB_ENV="test"), check=True, capture_output=True)
    agreed = out.with_name(out.name + "-as-agreed") / supplier / "hclic"
    shutil.rmtree(agreed, ignore_errors=True)
    script = ("import django, sys; from pathlib import Path; django.setup(); "
              "from boroughhub.web.management.demo_steps import export_as_agreed, upload_fields; "
              "export_as_agreed(Path(sys.argv[1]), upload_fields('hclic'), Path(sys.argv[2]))")
    subprocess.run([sys.executable, "-c", script, str(out / supplier / "hclic"), str(agreed)],
                   env={**hub_env(data_dir), "DJANGO_SETTINGS_MODULE": "boroughhub.settings"}, check=True)
    return agreed


def new_month(data_dir: Path, folder: Path, uploader: str) -> Measured:
    return run([BOROUGHHUB, "submit", str(folder), "--user", uploader],
               hub_env(data_dir, BOROUGHHUB_TASKS="immediate"))


def records_linked(data_dir: Path) -> str:
    """Person records and people in the hub's warehouse (read-only, after the run)."""
    import duckdb

    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as warehouse:
        records, people = warehouse.sql("SELECT count(*), count(DISTINCT person_id) FROM person_link").fetchall()[0]
    return f"{records:,} person records in {people:,} people"


def table(rows: list[tuple[str, Measured, Measured]]) -> list[str]:
    lines = ["| Run | Pilot: wall s | Pilot: CPU s | All London: wall s | All London: CPU s | Wall ratio | "
             "CPU ratio | All London: peak RSS MB |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, pilot, london in rows:
        lines.append(f"| {name} | {pilot.wall_s:,.0f} | {pilot.cpu_s:,.0f} | {london.wall_s:,.0f} | "
                     f"{london.cpu_s:,.0f} | {london.wall_s / pilot.wall_s:.1f}× | "
                     f"{london.cpu_s / max(pilot.cpu_s, 0.01):.1f}× | {london.peak_rss_mb:,.0f} |")
    return lines


def step_table(pilot: Measured, london: Measured) -> list[str]:
    london_steps = dict(london.steps)

    def cpu(measured: Measured, title: str) -> str:
        return str(measured.step_cpu[title]) if title in measured.step_cpu else "–"

    lines = ["| Step | Pilot: wall s | Pilot: CPU s | All London: wall s | All London: CPU s |", "|---|---:|---:|---:|---:|"]
    for title, seconds in pilot.steps:
        lines.append(f"| {title} | {seconds} | {cpu(pilot, title)} | {london_steps.get(title, '–')} | "
                     f"{cpu(london, title)} |")
    lines.append(f"| **The monthly cycle's own steps** (submit all, link, refresh) | {pilot.cycle_seconds()} | "
                 f"{pilot.cycle_cpu() or '–'} | {london.cycle_seconds()} | {london.cycle_cpu() or '–'} |")
    return lines


def keep_logs(work: Path, runs: dict[str, Measured]) -> None:
    """Each command's output beside the hubs, for reading where the time went."""
    for name, measured in runs.items():
        (work / f"{name}.log").write_text(measured.output + "\n--- stderr ---\n" + measured.errors, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.25, help="share of London's real volume (default 0.25)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/boroughhub-monthly-cycle"))
    parser.add_argument("--reuse", action="store_true",
                        help="reuse hubs (and their set-up measurements) an earlier run left in --work")
    parser.add_argument("--month-end", type=dt.date.fromisoformat, default=NEXT_MONTH_END,
                        help=f"the new month's last day (default {NEXT_MONTH_END}); with --reuse, a month after the "
                             "last one measured, so the borough's extract is new to the hubs")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    pilot = set_up("pilot", args.scale, args.work / "pilot", args.reuse)
    london = set_up("all", args.scale, args.work / "london", args.reuse)
    pilot_month = new_month(args.work / "pilot", next_month_folder(
        "pilot", args.scale, args.work, args.work / "pilot", "E09000033", args.month_end),
        "uploader@westminster.example")
    london_month = new_month(args.work / "london", next_month_folder(
        "all", args.scale, args.work, args.work / "london", "E09000028", args.month_end),
        "uploader@southwark.example")
    load_after = os.getloadavg()[0]
    keep_logs(args.work, {"pilot-set-up": pilot, "london-set-up": london, "pilot-new-month": pilot_month,
                          "london-new-month": london_month})

    text = [
        "# London at scale: the monthly cycle (issue 14, item 4)", "",
        f"Command: `.venv/bin/python benchmarks/monthly_cycle.py {' '.join(sys.argv[1:])}`", "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores "
        f"(shared), Python {platform.python_version()}; load average {load_before:.1f} before, {load_after:.1f} "
        f"after. Scale {args.scale} of London's real volume; SQLite, the demo's settings.", "",
        f"Linked at the end of the run: pilot {records_linked(args.work / 'pilot')}; all London "
        f"{records_linked(args.work / 'london')}.", "",
        *table([("Whole monthly cycle (`boroughhub demo --no-serve`: generate, join, submit all, link, refresh)",
                 pilot, london),
                ("A borough's new month: submit → validate, load, link, refresh", pilot_month, london_month)]),
        "", "Targets (at scale 1.0): the whole cycle for all London ≤ 10 min; a new month ≤ 2 min.", "",
        "Each step of the set-up, from the demo's own progress lines:", "",
        *step_table(pilot, london), "",
        "The refresh's parts, from its log lines (computing the metrics, writing the snapshot, pre-rendering "
        "charts within its budget):", "",
        "| Run | Pilot | All London |", "|---|---|---|",
        f"| Set-up | {pilot.refresh_parts()} | {london.refresh_parts()} |",
        f"| A borough's new month | {pilot_month.refresh_parts()} | {london_month.refresh_parts()} |", "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
