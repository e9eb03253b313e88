"""Benchmark: generate all of London for six years at scale 1.0, and compare with DuckDB writing CSV.

Measures wall-clock time, CPU time and peak memory (resident set size) of ``generate()``, the
rows and bytes written, and, as a baseline in the same run, the time DuckDB takes to write the
same number of rows (of a similar width) as CSV. Writes a markdown section to
``benchmarks/results/synthetic.md`` for the lead to merge into ``benchmarks/RESULTS.md``.

    .venv/bin/python benchmarks/synthetic.py [--scale 1.0] [--seed 1] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from boroughhub.synthetic import generate
from boroughhub.synthetic.generate import DEFAULT_END, DEFAULT_START

RESULTS = Path(__file__).resolve().parent / "results" / "synthetic.md"


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of the largest worker, in MB."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_maxrss / 1024, workers.ru_maxrss / 1024


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.csv"))


def duckdb_baseline(rows: int, out: Path) -> float:
    """Seconds for DuckDB (2 threads) to write ``rows`` rows of 8 mixed columns as CSV."""
    con = duckdb.connect()
    con.execute("set threads = 2")
    started = time.perf_counter()
    con.execute(
        f"""
        copy (
            select 'K' || lpad(range::varchar, 8, '0') as contact_id, 'C' || lpad((range // 12)::varchar, 7, '0') as pid,
                   date '2019-04-01' + (range % 2191)::int as contact_date, 'E09000033' as area_code,
                   'doorway' as location_type, (range % 5 <> 0) as bedded_down, 'street_outreach' as contact_type,
                   'E09000033-OT' || (range % 3)::varchar as team_code
            from range({rows})
        ) to '{out}' (header, delimiter ',')
        """
    )
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--areas", default="all")
    parser.add_argument("--workers", type=int, default=2, help="processes writing H-CLIC (the target is 2 cores)")
    parser.add_argument("--out", type=Path, default=None, help="keep the generated set here (default: temporary)")
    parser.add_argument("--no-write", action="store_true", help="print the section but do not write the results file")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bh-synth-bench-"))
    out = args.out or work / "out"
    load_before = os.getloadavg()
    cpu_before, started = _cpu_seconds(), time.perf_counter()
    summary = generate(
        out, areas=args.areas, start=DEFAULT_START, end=DEFAULT_END, scale=args.scale, seed=args.seed,
        workers=args.workers,
    )
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_before
    peak_mb, worker_peak_mb = _peak_mb()
    size_mb = _folder_bytes(out) / 1e6
    rows = summary.source_rows
    cpu_before_baseline = _cpu_seconds()
    baseline = duckdb_baseline(rows, work / "baseline.csv")
    baseline_cpu = _cpu_seconds() - cpu_before_baseline
    load_after = os.getloadavg()
    shutil.rmtree(work, ignore_errors=True)

    by_source: dict[str, int] = {}
    for sub in summary.submissions:
        by_source[sub.source] = by_source.get(sub.source, 0) + sum(sub.row_counts.values())
    section = "\n".join([
        "## Synthetic London (`benchmarks/synthetic.py`)",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after "
        "(the machine is shared: wall time depends on it, CPU time much less).",
        f"Command: `.venv/bin/python benchmarks/synthetic.py --areas {args.areas} --scale {args.scale} --seed {args.seed} "
        f"--workers {args.workers}` "
        f"({DEFAULT_START} to {DEFAULT_END}).",
        "",
        "| Measure | Value | Target |",
        "|---|---|---|",
        f"| Source rows written | {rows:,} (CHAIN {by_source.get('chain', 0):,}, InForm {by_source.get('inform', 0):,}, "
        f"H-CLIC {by_source.get('hclic', 0):,}) | > 1,000,000 |",
        f"| Submissions | {len(summary.submissions)} | |",
        f"| True persons / person records | {summary.persons:,} / {summary.person_records:,} | |",
        f"| CSV written | {size_mb:,.0f} MB | |",
        f"| Wall-clock time | {wall:,.1f} s | < 120 s on 2 cores |",
        f"| CPU time (all processes) | {cpu:,.1f} s | |",
        f"| Rows per CPU second | {rows / cpu:,.0f} | |",
        f"| Peak memory (max RSS): main process / largest H-CLIC worker ({args.workers} workers) | "
        f"{peak_mb:,.0f} MB / {worker_peak_mb:,.0f} MB | < 4,096 MB in all |",
        f"| Baseline: DuckDB (2 threads) writing {rows:,} rows of 8 columns as CSV | {baseline:,.1f} s wall, "
        f"{baseline_cpu:,.1f} s CPU | |",
        f"| Ratio generate / baseline | {wall / baseline:,.1f} (wall), {cpu / max(baseline_cpu, 1e-9):,.1f} (CPU) | |",
        "",
    ])
    print(section)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(section, encoding="utf-8")


if __name__ == "__main__":
    main()
