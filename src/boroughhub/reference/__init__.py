"""Code lists shipped with the hub (copied from the project's reference set, read at run time from here).

Every capability reads code lists through :func:`code_list` so that there is one copy in the package.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from pathlib import Path

DATA_DIR = Path(str(resources.files(__package__) / "data"))


def available() -> list[str]:
    """Names of the code lists, without the ``.csv`` suffix."""
    return sorted(p.stem for p in DATA_DIR.glob("*.csv"))


@cache
def code_list(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``data/NAME.csv`` as dictionaries (read once, cached; treat as read-only)."""
    path = DATA_DIR / f"{name}.csv"
    if not path.exists():
        raise KeyError(f"No code list called {name!r}; known lists: {', '.join(available())}")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return tuple(dict(row) for row in csv.DictReader(handle))


def codes(name: str) -> frozenset[str]:
    """The set of valid codes of a list (its ``code`` column)."""
    return frozenset(row["code"] for row in code_list(name))
