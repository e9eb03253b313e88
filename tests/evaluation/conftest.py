"""Fixtures for the evaluation tests: the packaged example, and small specs written to tmp dirs."""

from __future__ import annotations

import copy
import functools
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from boroughhub.evaluation.plan import Plan
from boroughhub.evaluation.validate import load_spec

EXAMPLE = Path(__file__).parents[2] / "src/boroughhub/evaluation/examples/programme-evaluation"
DATA = Path(__file__).parent / "data"


def money_close(computed: float, expected: float) -> bool:
    """Spec §5.17: |computed − expected| ≤ £0.01 + 1e-9 × |expected|."""
    return abs(computed - expected) <= 0.01 + 1e-9 * abs(expected)


def write_spec(directory: Path, spec: dict[str, Any], csvs: bool = False) -> Path:
    path = directory / "evaluation.yaml"
    path.write_text(yaml.dump(spec, Dumper=yaml.CSafeDumper, sort_keys=False), encoding="utf-8")
    if csvs:
        for f in EXAMPLE.glob("*.csv"):
            shutil.copy(f, directory / f.name)
    return path


@functools.cache
def _example_spec() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load((EXAMPLE / "evaluation.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return data


def example_spec() -> dict[str, Any]:
    return copy.deepcopy(_example_spec())


def minimal_spec(**programme: Any) -> dict[str, Any]:
    """A calendar-year spec with real prices, one funder, one activity and nothing else."""
    prog = {"id": "p", "name": "P", "year_basis": "calendar", "price_base_year": 2023,
            "appraisal": {"start_year": 2023, "end_year": 2026}, "monte_carlo": {"seed": 1}}
    prog.update(programme)
    return {"schema_version": "1.0", "programme": prog,
            "organisations": [{"id": "funder", "name": "Funder", "sector": "public"},
                              {"id": "boroughs", "name": "Boroughs", "sector": "public"}],
            "activities": [{"id": "act", "name": "Activity", "evidence_grade": "B"}],
            "costs": [], "counterfactuals": [], "benefits": [], "parameters": {}}


@pytest.fixture(scope="session")
def example_plan() -> Plan:
    return load_spec(EXAMPLE / "evaluation.yaml")


@pytest.fixture(scope="session")
def e5_plan() -> Plan:
    return load_spec(DATA / "e5.yaml")
