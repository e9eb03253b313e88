"""One small seeded synthetic London, generated once per test session and shared (read-only)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from boroughhub.synthetic import generate
from boroughhub.synthetic.generate import GenerationSummary

SMALL = {"areas": "pilot", "start": date(2022, 4, 1), "end": date(2024, 3, 31), "scale": 0.1, "seed": 7}


@pytest.fixture(scope="session")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate(tmp_path_factory.mktemp("synthetic") / "out", **SMALL)


@pytest.fixture(scope="session")
def out_dir(small_set: GenerationSummary) -> Path:
    return small_set.out_dir
