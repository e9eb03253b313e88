"""`boroughhub link --user analyst@gla.example --mode full` on a demo hub loaded with all London (issue 13).

The hub is set up as `boroughhub demo --areas all --scale S` sets it up, up to and including every supplier's
submission (the steps after linking, insights and the other rooms, are not needed to time a link); then the
link command runs as an operator runs it, in its own process: reading the warehouse's person records with
their contacts, stays and cases, standardising, training a model, scoring, clustering and writing
`person_link`, its history and the review queue in one transaction. The baseline, in the same run, is the
same command on the pilot's four boroughs at the same scale.

Run:  .venv/bin/python benchmarks/link_command.py [--scale 1.0] [--work DIR]
Writes benchmarks/results/link_command.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks/results/link_command.md"
BOROUGHHUB = str(Path(sys.executable).with_name("boroughhub"))
TARGET_SECONDS = 300

SET_UP = """
import django, sys
django.setup()
from django.core.management import call_command
from boroughhub.web.management import demo_steps
from boroughhub.web.management.commands.demo import create_demo_accounts
demo_steps.plan_demo(sys.argv[1], float(sys.argv[2]))
call_command("migrate", verbosity=0, interactive=False)
create_demo_accounts()
for title, step in demo_steps.DATA_STEPS:
    if step is demo_steps.link_people:
        break
    print(title, "...", step(), flush=True)
"""


def _environment(folder: Path) -> dict[str, str]:
    return {**os.environ, "BOROUGHHUB_ENV": "demo", "BOROUGHHUB_DATA_DIR": str(folder),
            "DJANGO_SETTINGS_MODULE": "boroughhub.settings"}


def set_up(folder: Path, areas: str, scale: float) -> float:
    """A demo hub holding every supplier's submission, not yet linked; the seconds it took."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", SET_UP, areas, str(scale)], env=_environment(folder), check=True)
    return time.perf_counter() - started


def timed_link(folder: Path) -> dict[str, float]:
    """Wall and CPU seconds (the command and its children) and peak RSS of one full link."""
    started = time.perf_counter()
    process = subprocess.Popen([BOROUGHHUB, "link", "--user", "analyst@gla.example", "--mode", "full"],
                               env=_environment(folder))
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"boroughhub link failed in {folder} (exit status {status})")
    return {"wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024}


def person_records(folder: Path) -> int:
    import duckdb

    con = duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM person_link").fetchall()[0][0])
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/boroughhub-link-command"))
    parser.add_argument("--reuse", action="store_true", help="keep hubs set up by an earlier run")
    args = parser.parse_args()
    rows = []
    for areas in ("pilot", "all"):
        folder = args.work / areas
        if not (args.reuse and (folder / "warehouse.duckdb").exists()):
            print(f"setting up the {areas} hub: {set_up(folder, areas, args.scale):.0f} s", flush=True)
        measured = timed_link(folder)
        measured["records"] = person_records(folder)
        print(areas, measured, flush=True)
        rows.append((areas, measured))
    pilot, london = rows[0][1], rows[1][1]
    lines = [
        "## `boroughhub link` on a demo hub loaded with all London",
        "",
        f"`.venv/bin/python benchmarks/link_command.py --scale {args.scale}` on {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end. Each hub is set up as "
        f"`boroughhub demo --areas pilot|all --scale {args.scale}` sets it up, to every supplier's submission; "
        "then `boroughhub link --user analyst@gla.example --mode full` (train, score, cluster, write) in its own process.",
        "",
        "| Hub | Person records | Wall (s) | CPU (s) | Peak memory (MB) |",
        "|---|---:|---:|---:|---:|",
        *[f"| {areas} | {m['records']:,.0f} | {m['wall']:.1f} | {m['cpu']:.1f} | {m['peak_mb']:,.0f} |" for areas, m in rows],
        "",
        f"All London ÷ pilot: {london['wall'] / pilot['wall']:.1f}× wall, {london['cpu'] / pilot['cpu']:.1f}× CPU "
        f"for {london['records'] / pilot['records']:.1f}× the records. Target: all London within "
        f"{TARGET_SECONDS} s: **{'met' if london['wall'] <= TARGET_SECONDS else 'not met'}** "
        f"({london['wall']:.0f} s).",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
