"""Who else is involved: matching residents across sources (decision 0102), against the synthetic truth.

Each source records its people under its own ids and its own way (typos, swapped names, missing dates
of birth); ``linkage.match_people`` clusters them into residents, as the demo's first load does, with
the merge threshold the resident view uses. The baseline, in the same run on the same records, is the
join a system without a model would make: first name, surname and date of birth equal after folding.
Reported: pairwise precision and recall of both against the truth, and the time matching takes.

Run:  .venv/bin/python benchmarks/residents_matching.py [--people 30000] [--truth DIR]
Writes its section of benchmarks/RESULTS.md. Plain Python (no Django, no database).
"""

from __future__ import annotations

import argparse
import re
import time
from datetime import date
from itertools import combinations
from pathlib import Path

from boroughhub.linkage import PersonRecord, match_people
from boroughhub.residents.people import MERGE_PROBABILITY
from boroughhub.residents.rules import fold_name
from boroughhub.synthetic import build_residents

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Who else is involved: matching residents across sources"
TODAY = date(2026, 12, 7)


def same_pairs(cluster_of: dict[str, str]) -> set[frozenset[str]]:
    members: dict[str, list[str]] = {}
    for key, cluster in cluster_of.items():
        members.setdefault(cluster, []).append(key)
    return {frozenset(p) for keys in members.values() for p in combinations(sorted(keys), 2)}


def scores(found: set[frozenset[str]], true: set[frozenset[str]]) -> tuple[float, float]:
    hits = len(found & true)
    return (hits / len(found) if found else 1.0), hits / len(true)


def write_section(text: str) -> None:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"{re.escape(SECTION)}\n.*?(?=\n## |\Z)", re.S)
    current = pattern.sub("", current).rstrip() + "\n\n"
    RESULTS.write_text(current + text.rstrip() + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30000, help="people drawn when no truth files are given")
    parser.add_argument("--truth", type=Path, help="the synthetic generator's truth folder (its people instead)")
    parser.add_argument("--no-write", action="store_true", help="print the section without updating RESULTS.md")
    args = parser.parse_args()
    world = build_residents(TODAY, seed=20261207, count=args.people, truth=args.truth)
    people = list(world.source_people.values())
    records = [PersonRecord(p.key, p.source, p.first_name, p.last_name,
                            p.date_of_birth.isoformat() if p.date_of_birth else "") for p in people]
    started = time.perf_counter()
    match = match_people(records, threshold=MERGE_PROBABILITY)
    took = time.perf_counter() - started
    started = time.perf_counter()
    exact = {p.key: f"{fold_name(p.first_name)}|{fold_name(p.last_name)}|{p.date_of_birth}"
             if p.date_of_birth else p.key for p in people}
    took_exact = time.perf_counter() - started
    true = same_pairs(world.truth)
    precision, recall = scores(same_pairs(match.clusters), true)
    base_precision, base_recall = scores(same_pairs(exact), true)
    where = "the pilot demo's synthetic people, `--truth`" if args.truth else f"{args.people:,} drawn people"
    text = f"""{SECTION}

`benchmarks/residents_matching.py` ({where}; {TODAY:%-d %B %Y} world, seed 20261207). {len(records):,} source
records of {len(set(world.truth.values())):,} residents, each source under its own ids with recording variation.

| Matching | Pairwise precision | Pairwise recall | Time |
|---|---|---|---|
| Splink model, merge at p >= {MERGE_PROBABILITY} (`linkage.match_people`) | {precision:.3f} | {recall:.3f} | {took:.1f} s |
| Baseline: exact first name, surname, date of birth | {base_precision:.3f} | {base_recall:.3f} | {took_exact:.2f} s |

Recall of the model is {recall / base_recall:.2f}x the baseline's; {match.uncertain_pairs:,} uncertain pairs
(p 0.5 to {MERGE_PROBABILITY}) were kept apart.
"""
    print(text)
    if not args.no_write:
        write_section(text)


if __name__ == "__main__":
    main()
