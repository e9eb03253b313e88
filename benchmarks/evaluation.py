"""Benchmark of the evaluation module: Monte Carlo speed and the full report (HTML + PDF).

Run:  .venv/bin/python benchmarks/evaluation.py [--draws 100000] [--repeats 3]

Targets (issue 8): 100,000 Monte Carlo draws of the example programme in < 2 s on one core, the
full report (charts, HTML, PDF) in < 10 s. Each timing is compared with a baseline measured in
the same run, so a loaded machine shows up in both: a plain NumPy computation of the same size,
and the engine called once per draw in a Python loop (1,000 draws, scaled up).
Writes the markdown section to benchmarks/results/evaluation.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from boroughhub.evaluation import charts, montecarlo, report
from boroughhub.evaluation.engine import evaluate_values
from boroughhub.evaluation.results import evaluate
from boroughhub.evaluation.validate import load_spec

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "src/boroughhub/evaluation/examples/programme-evaluation/evaluation.yaml"
OUT = ROOT / "benchmarks/results/evaluation.md"


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Best wall time and the CPU time of that run."""
    best = (float("inf"), float("inf"))
    for _ in range(repeats):
        c, t = cpu(), time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - t, cpu() - c))
    return best


def numpy_baseline(draws: int, n_params: int, seed: int) -> float:
    """The same amount of random drawing and a few vector products, with no model around it."""
    rng = np.random.Generator(np.random.PCG64(seed))
    total = np.zeros(draws)
    for _ in range(n_params):
        total += rng.triangular(0.0, 0.5, 1.0, draws) * rng.uniform(0.0, 1.0, 1)
    for _ in range(40):  # roughly the number of year × line products of the example
        total = total * 1.0001 + 1.0
    return float(total.sum())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    plan = load_spec(EXAMPLE)
    seed = plan.settings.monte_carlo.seed or 0
    n_params = len(plan.scenario_distributions("central"))
    load_before = os.getloadavg()[0]

    mc_wall, mc_cpu = timed(lambda: montecarlo.run(plan, "central", args.draws, seed), args.repeats)
    np_wall, np_cpu = timed(lambda: numpy_baseline(args.draws, n_params, seed), args.repeats)
    loop_n = 1_000
    values = {k: np.array([v]) for k, v in plan.scenario_values("central").items()}
    drawn = montecarlo.draw_parameters(plan, "central", loop_n, seed)

    def python_loop() -> None:
        for i in range(loop_n):
            evaluate_values(plan, values | {k: v[i:i + 1] for k, v in drawn.items()})

    loop_wall, loop_cpu = timed(python_loop, 1)
    loop_scaled = loop_wall * args.draws / loop_n

    results = evaluate(plan)
    c, t = cpu(), time.perf_counter()
    drawn_charts = charts.all_charts(results)
    charts_wall, charts_cpu = time.perf_counter() - t, cpu() - c
    c, t = cpu(), time.perf_counter()
    html = report.render_html(results, drawn_charts)
    html_wall, html_cpu = time.perf_counter() - t, cpu() - c
    c, t = cpu(), time.perf_counter()
    _, pages = report.render_pdf_with_pages(html)
    pdf_wall, pdf_cpu = time.perf_counter() - t, cpu() - c
    report_wall = charts_wall + html_wall + pdf_wall
    report_cpu = charts_cpu + html_cpu + pdf_cpu
    load_after = os.getloadavg()[0]

    lines = [
        "## Evaluation (issue 8)",
        "",
        f"Example programme ({len(plan.activities)} activities, {n_params} uncertain inputs, "
        f"{len(plan.scenarios) + 1} scenarios); `{platform.python_version()}`, NumPy {np.__version__}; "
        f"{os.cpu_count()} cores shared, load average {load_before:.1f} before and {load_after:.1f} after. "
        "Wall time is the best of the repeats; CPU time is that run's user + system time.",
        "",
        "| Measure | Wall (s) | CPU (s) | Target | Baseline in the same run | Ratio |",
        "|---|---|---|---|---|---|",
        f"| Monte Carlo, {args.draws:,} draws, all 9 scopes | {mc_wall:.3f} | {mc_cpu:.3f} | < 2 s | "
        f"plain NumPy draws + products of the same size: {np_wall:.3f} s | {mc_wall / np_wall:.1f}× |",
        f"| Same, engine called per draw in a Python loop ({loop_n:,} draws, scaled) | {loop_scaled:.1f} | – | – | "
        f"vectorised run above | {loop_scaled / mc_wall:.0f}× slower |",
        f"| Report: {len(drawn_charts)} charts (Altair → vl-convert SVG) | {charts_wall:.2f} | {charts_cpu:.2f} | | | |",
        f"| Report: HTML (Jinja2) | {html_wall:.2f} | {html_cpu:.2f} | | | |",
        f"| Report: PDF (WeasyPrint, tagged, {pages} pages) | {pdf_wall:.2f} | {pdf_cpu:.2f} | | | |",
        f"| Report total (HTML + PDF) | {report_wall:.2f} | {report_cpu:.2f} | < 10 s | | |",
        "",
        "Reproduce: `.venv/bin/python benchmarks/evaluation.py` (add `--draws N --repeats R`).",
        "",
    ]
    text = "\n".join(lines)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
