"""The hub's one store of evaluation runs: ``DATA_DIR/evaluations`` (see runs.py)."""

from __future__ import annotations

from django.conf import settings

from .runs import RunStore


def run_store() -> RunStore:
    return RunStore(settings.DATA_DIR / "evaluations")
