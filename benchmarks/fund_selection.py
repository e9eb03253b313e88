"""How much budget does the fund's selection leave unspent, and how fast is it?

Selection walks the ranking and funds what fits (docs/decisions/0113). The baseline, measured in the
same run on the same rounds, is the budget-optimal choice: a 0/1 knapsack (dynamic programme over
£1,000 units) that maximises the money awarded to applications above the quality threshold, whatever
their rank. The ratio says what the fairness rule costs in unspent budget.

Rounds are drawn with a fixed seed: N applications, requests of £10,000–£80,000 in £5,000 steps,
moderated scores 20–95, a £200,000 budget and a threshold of 50, like the demo's adult social care round.

Run:  .venv/bin/python benchmarks/fund_selection.py  [--rounds 2000] [--applications 30]
Writes benchmarks/results/fund_selection.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from boroughhub.fund.selection import Candidate, funded_total, select

RESULTS = Path(__file__).parent / "results" / "fund_selection.md"
BUDGET = 200_000_00
THRESHOLD = 50.0
UNIT = 1_000_00


def draw_round(rng: random.Random, size: int) -> list[Candidate]:
    start = datetime(2026, 7, 1, tzinfo=UTC)
    return [Candidate(f"APP-{n:04d}", f"Application {n}", round(rng.uniform(20, 95), 1),
                      rng.randrange(10_000, 80_001, 5_000) * 100, start + timedelta(minutes=n))
            for n in range(size)]


def optimal_total(candidates: list[Candidate], budget: int, threshold: float) -> int:
    """The most money a 0/1 choice of eligible applications can award within the budget."""
    capacity = budget // UNIT
    best = [0] * (capacity + 1)
    for candidate in candidates:
        if (candidate.moderated_score or 0) < threshold:
            continue
        cost = candidate.requested_pence // UNIT
        for room in range(capacity, cost - 1, -1):
            best[room] = max(best[room], best[room - cost] + cost)
    return best[capacity] * UNIT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--applications", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(20261207)
    rounds = [draw_round(rng, args.applications) for _ in range(args.rounds)]
    load_before = os.getloadavg()[0]

    started = time.perf_counter()
    greedy = [funded_total(select(r, BUDGET, THRESHOLD)) for r in rounds]
    greedy_s = time.perf_counter() - started
    started = time.perf_counter()
    optimal = [optimal_total(r, BUDGET, THRESHOLD) for r in rounds]
    optimal_s = time.perf_counter() - started

    spent_greedy = sum(greedy) / (BUDGET * len(rounds))
    spent_optimal = sum(optimal) / (BUDGET * len(rounds))
    short = sorted(o - g for g, o in zip(greedy, optimal, strict=True))
    worst = short[-1] / 100
    median = short[len(short) // 2] / 100
    same = sum(1 for g, o in zip(greedy, optimal, strict=True) if g == o) / len(rounds)
    text = f"""# Fund selection: unspent budget and speed (`benchmarks/fund_selection.py`)

Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after.
{args.rounds:,} seeded rounds of {args.applications} applications, £200,000 budget, threshold 50.

| Measure | Ranking walk (the hub's rule) | Budget-optimal knapsack (baseline) | Ratio |
|---|---|---|---|
| Budget awarded, share of all rounds' budgets | {spent_greedy:.1%} | {spent_optimal:.1%} | {spent_greedy / spent_optimal:.3f} |
| Rounds where both award the same amount | {same:.1%} | | |
| Shortfall against the optimum: median / worst round | £{median:,.0f} / £{worst:,.0f} | | |
| Time per round | {1000 * greedy_s / len(rounds):.3f} ms | {1000 * optimal_s / len(rounds):.3f} ms | {optimal_s / greedy_s:.1f}× |

The ranking walk never funds a lower-scoring application over a higher-scoring one that fits; the
knapsack may, to spend the last pounds. Reproduce: `.venv/bin/python benchmarks/fund_selection.py`.
"""
    RESULTS.write_text(text, encoding="utf-8")
    print(text)  # noqa: T201


if __name__ == "__main__":
    main()
