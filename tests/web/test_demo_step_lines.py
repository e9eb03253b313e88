"""Each step of ``boroughhub demo`` says its wall time and CPU seconds, and benchmarks/monthly_cycle.py
reads both: on a shared machine the wall clock alone says little (issue 14, item 4)."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.monthly_cycle import CYCLE_STEPS, DONE, Measured

from boroughhub.web.management.commands.demo import cpu_seconds


def test_cpu_seconds_count_the_children_the_demo_waited_for():
    before = cpu_seconds()
    subprocess.run([sys.executable, "-c", "sum(i * i for i in range(3_000_000))"], check=True)
    assert cpu_seconds() > before  # the renderer processes of the refresh are children like this one


def test_the_benchmark_reads_wall_and_cpu_seconds_and_sums_the_cycles_own_steps():
    line = "    done in 449 s, 301 CPU-s: linked"
    match = DONE.match(line)
    assert match is not None and match.groups() == ("449", "301")
    assert DONE.match("    done in 7 s: 36 submissions").groups() == ("7", None)  # an older demo's line
    steps = [("Setting up the database", 3), *((title, 10 * n) for n, title in enumerate(CYCLE_STEPS, start=1))]
    measured = Measured(1.0, 1.0, 1.0, steps, {title: 5 for title in CYCLE_STEPS})
    assert measured.cycle_seconds() == 60 and measured.cycle_cpu() == 15
    assert Measured(1.0, 1.0, 1.0, steps).cycle_cpu() is None
