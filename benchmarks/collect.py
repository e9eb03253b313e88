"""Gathers each benchmark's table (benchmarks/results/*.md) into benchmarks/RESULTS.md.

Every benchmark script writes its own section, with the command that reproduces it and a baseline
measured in the same run (a ratio), because these machines are shared and noisy.
Run: ``.venv/bin/python benchmarks/collect.py``.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["synthetic", "ingest", "decide", "audit", "linkage", "insights", "evaluation", "load", "load_after_refresh",
         "worker_fault", "monthly_cycle"]

HEADER = """# Benchmark results

Measured on the project's standard machine (2 cores, 24 GiB). Each section names the command that
reproduces it. Times vary on shared machines, so each benchmark also measures a baseline in the same
run and reports the ratio. Regenerate this file with `.venv/bin/python benchmarks/collect.py` after
running the benchmarks.
"""


def _as_section(text: str) -> str:
    """Each benchmark's top heading becomes a section of this file (## ), its subheadings one level down."""
    lines = text.splitlines()
    if not any(line.startswith("# ") for line in lines):
        return text
    return "\n".join("#" + line if line.startswith("#") else line for line in lines)


def collect() -> str:
    sections = {path.stem: _as_section(path.read_text(encoding="utf-8").strip())
                for path in (HERE / "results").glob("*.md")}
    ordered = [name for name in ORDER if name in sections] + sorted(set(sections) - set(ORDER))
    return HEADER + "".join(f"\n{sections[name]}\n" for name in ordered)


if __name__ == "__main__":
    (HERE / "RESULTS.md").write_text(collect(), encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}")
