"""A benchmark rewrites its own section of RESULTS.md and nothing else."""

from __future__ import annotations

from pathlib import Path

from benchmarks.results_section import write_results_section

BEFORE = """# Results

## First

old first

## Mine

old mine
### Earlier runs
kept by hand

## Last

last
"""


def test_the_section_is_replaced_and_the_others_kept(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(BEFORE, encoding="utf-8")
    write_results_section("## Mine", "## Mine\n\nnew mine\n", results)
    text = results.read_text(encoding="utf-8")
    assert "new mine" in text and "old mine" not in text and "kept by hand" not in text
    assert "old first" in text and text.endswith("## Last\n\nlast\n")


def test_earlier_runs_written_by_hand_are_kept(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(BEFORE, encoding="utf-8")
    write_results_section("## Mine", "## Mine\n\nnew mine\n", results, keep_from="### Earlier runs")
    text = results.read_text(encoding="utf-8")
    assert "## Mine\n\nnew mine\n\n### Earlier runs\nkept by hand\n\n## Last" in text
    assert "old mine" not in text


def test_a_new_section_is_appended(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(BEFORE, encoding="utf-8")
    write_results_section("## New", "## New\n\nfresh\n", results)
    assert results.read_text(encoding="utf-8").endswith("last\n\n## New\n\nfresh\n")
