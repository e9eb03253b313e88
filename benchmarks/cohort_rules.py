"""What do an agreement's cohort rules cost at upload, and whom do they leave out? (docs/decisions/0170)

The same generated London submissions (``boroughhub.synthetic``, pilot areas: CHAIN, two InForm providers,
four councils' H-CLIC) are uploaded twice, interleaved, each way into its own fresh warehouse file:

* baseline — under the pilot agreement's ``data_subjects`` as signed: the age rule only (18 or over);
* ours — the same age rule plus every cohort rule of the vocabulary that applies to the source (CHAIN:
  ``active_in_period``, ``seen_bedded_down``, ``adult_at_first_contact``; InForm: ``active_in_period``,
  ``adult_at_first_contact``; H-CLIC: all but ``seen_bedded_down``).

For each upload: seconds for the whole upload (validate, authorise, rules, load) and the people and rows
each rule left out. The ratio of whole-upload time (ours / baseline) is the cost of the rules.

Run:  PYTHONPATH=src:. .venv/bin/python benchmarks/cohort_rules.py [--scale 1.0] [--workdir /tmp/boroughhub-bench-cohort]
Writes benchmarks/results/cohort_rules.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import time
from pathlib import Path
from typing import Any

from benchmarks.ingest import UPLOAD_KEY as KEY
from benchmarks.ingest import UPLOAD_TODAY as TODAY
from benchmarks.ingest import ensure_data, interleaved_uploads
from benchmarks.ingest import permit_everything as _permit

RESULTS = Path(__file__).parent / "results" / "cohort_rules.md"
def _rules(source: str, with_cohort: bool) -> Any:
    from boroughhub.agreements.cohort_rules import COHORT_RULES
    from boroughhub.warehouse import SubjectRules

    cohort = [{"dataset": source, "rule": code} for code, term in COHORT_RULES.items() if source in term.keeps]
    subjects: dict[str, Any] = {"min_age_years": 18, "children_included": False}
    if with_cohort:
        subjects["cohort_rules"] = cohort
    return SubjectRules.from_content(subjects, "benchmark")


def _upload(folder: Path, warehouse_path: Path, *, with_cohort: bool) -> dict[str, Any]:
    from boroughhub.warehouse import Warehouse, submit_folder

    source = folder.name
    rules = _rules(source, with_cohort)
    with Warehouse(warehouse_path) as warehouse:
        started = time.perf_counter()
        result = submit_folder(folder, warehouse, _permit, KEY, today=TODAY, subject_rules=lambda _: rules)
        seconds = time.perf_counter() - started
    loaded = sum(result.load.rows_loaded.values()) if result.load else 0
    return {"upload": f"{folder.parent.name}/{source}", "status": result.status, "seconds": seconds,
            "loaded": loaded, "left_out": [(x.rule, x.people, x.rows) for x in result.left_out]}


def write_results(baseline: list[dict[str, Any]], ours: list[dict[str, Any]], scale: float) -> str:
    before = sum(r["seconds"] for r in baseline)
    now = sum(r["seconds"] for r in ours)
    lines = [
        "# Cohort rules at upload: cost and who is left out",
        "",
        f"Generated London (`boroughhub.synthetic`, pilot areas, scale {scale}, seed 1), {len(ours)} submissions, "
        "each uploaded both ways in the same run, interleaved, each way into its own fresh warehouse file. "
        f"Command: `PYTHONPATH=src:. .venv/bin/python benchmarks/cohort_rules.py --scale {scale}`. Measured "
        f"{dt.date.today():%-d %B %Y} on {platform.machine()}, Python {platform.python_version()}.",
        "",
        "| Upload | Status | Rows loaded, age rule only | Rows loaded, with cohort rules | Seconds, age rule only "
        "(baseline) | Seconds, with cohort rules (ours) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for old, new in zip(baseline, ours, strict=True):
        lines.append(f"| {new['upload']} | {new['status']} | {old['loaded']:,} | {new['loaded']:,} | "
                     f"{old['seconds']:.1f} | {new['seconds']:.1f} |")
    lines += [f"| **All** | | **{sum(r['loaded'] for r in baseline):,}** | **{sum(r['loaded'] for r in ours):,}** | "
              f"**{before:.1f}** | **{now:.1f}** |", "",
              f"**Ratio ours / baseline: {now / before:.2f} × wall** for the whole upload (validation, rules, load).",
              "", "People and rows left out by each rule (ours; a person is counted under the first rule that leaves "
              "them out):", "", "| Upload | Rule | People | Rows |", "|---|---|---:|---:|"]
    for run in ours:
        for rule, people, rows in run["left_out"]:
            lines.append(f"| {run['upload']} | `{rule}` | {people:,} | {rows:,} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/boroughhub-bench-cohort"))
    options = parser.parse_args()
    data = ensure_data(options.workdir, options.scale, 1)
    baseline, ours = interleaved_uploads(data, options.workdir,
                                         lambda folder, path, ours: _upload(folder, path, with_cohort=ours))
    text = write_results(baseline, ours, options.scale)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)  # noqa: T201


if __name__ == "__main__":
    main()
