"""Every mention of a decision record (docs/decisions/NNNN-title.md) names a record that exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECISIONS = ROOT / "docs" / "decisions"
MENTION = re.compile(r"(?:docs/)?decisions/(\d{4}-[a-z0-9-]+\.md)|\b(\d{4}-[a-z0-9-]+\.md)\b")
SEARCHED = ("src", "tests", "docs", "scripts", "benchmarks", "tools")
TOP_LEVEL = ("README.md", "CHANGELOG.md", "Makefile", "pyproject.toml")


def mentions() -> list[tuple[str, str]]:
    files = [ROOT / name for name in TOP_LEVEL]
    for folder in SEARCHED:
        files += [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix in (".py", ".md", ".sh", ".html", ".toml")]
    found = []
    for path in files:
        for match in MENTION.finditer(path.read_text(encoding="utf-8", errors="replace")):
            found.append((path.relative_to(ROOT).as_posix(), match.group(1) or match.group(2)))
    return found


def test_the_search_finds_the_mentions() -> None:
    assert ("pyproject.toml", "0056-layering-contracts-and-public-fronts.md") in mentions()


def test_every_decision_record_mentioned_exists() -> None:
    missing = [f"{where}: {record}" for where, record in mentions() if not (DECISIONS / record).is_file()]
    assert not missing, "Mentioned but not in docs/decisions/:\n" + "\n".join(missing)
