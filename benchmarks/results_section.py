"""A benchmark's own section of benchmarks/RESULTS.md, rewritten by the benchmark that measured it."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_results_section(heading: str, text: str, results: Path = RESULTS, keep_from: str | None = None) -> None:
    """Replace the section that starts at ``heading`` (a ``## `` line) with ``text``, or append it; every other
    section stays as it is, and so does the section's own tail from a ``keep_from`` line on (earlier runs
    written by hand)."""
    current = results.read_text(encoding="utf-8")
    start = current.find(heading + "\n")
    if start == -1:
        results.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = current.find("\n## ", start + len(heading))
    kept = -1 if keep_from is None else current.find("\n" + keep_from + "\n", start, end if end != -1 else len(current))
    kept_from = kept if kept != -1 else end
    rest = current[kept_from:] if kept_from != -1 else "\n"
    results.write_text(current[:start] + text.rstrip("\n") + "\n" + rest, encoding="utf-8")
