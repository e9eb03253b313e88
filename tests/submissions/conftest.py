"""Fixtures for the submissions app: a throw-away warehouse and data directory per test, the demo
people and agreements, and tiny valid submissions from ``tests/sources/builders.py``."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.agreements.conftest import demo_agreements, demo_people  # noqa: F401 - fixtures
from tests.sources.builders import valid_rows, write_submission


@pytest.fixture(autouse=True)
def own_warehouse(settings: Any, tmp_path: Path) -> Path:
    """Each test gets its own warehouse file and data directory (uploads, reports)."""
    from boroughhub.agreements.enforce import snapshot_cache

    settings.DATA_DIR = tmp_path / "data"
    settings.WAREHOUSE_PATH = tmp_path / "data" / "warehouse.duckdb"
    settings.DATA_DIR.mkdir()
    # The test profile runs tasks immediately; set it here too, whatever profile pytest-django loaded.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    snapshot_cache.clear()  # the registry differs from test to test
    yield settings.WAREHOUSE_PATH
    snapshot_cache.clear()


#: CHAIN columns the demo agreement's ``upload`` field set leaves out: a supplier leaves them empty.
NOT_SHARED_CHAIN_COLUMNS = (
    "accommodation_before_first_seen", "history_prison", "home_office_ref", "immigration_status",
    "location_type", "project_code", "team_code",
)


def shared_chain_rows() -> dict[str, list[dict[str, str]]]:
    """The builders' valid CHAIN rows with the columns the demo agreement does not cover left empty."""
    rows = valid_rows("chain")
    for table_rows in rows.values():
        for row in table_rows:
            for column in NOT_SHARED_CHAIN_COLUMNS:
                row.pop(column, None)
    return rows


@pytest.fixture
def chain_folder(tmp_path: Path) -> Path:
    return write_submission(tmp_path / "chain", "chain", shared_chain_rows())


@pytest.fixture
def broken_chain_folder(tmp_path: Path) -> Path:
    """A CHAIN submission with a bad date whose value a spreadsheet would run as a formula."""
    rows = shared_chain_rows()
    rows["chain_contacts"][0]["contact_date"] = "=1+2"
    rows["chain_people"][0]["ni_number"] = "QQ123456Z"  # a direct identifier that must never be echoed
    return write_submission(tmp_path / "broken", "chain", rows)


def zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{folder.name}/{path.name}")
    return buffer.getvalue()


@pytest.fixture
def run_command() -> Callable[..., tuple[int, str, str]]:
    """``run_command("submit", path, "--user", email)`` -> (exit status, stdout, stderr)."""
    from django.core.management.base import CommandError

    def run(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(*args, stdout=out, stderr=err)
        except SystemExit as stop:
            return int(stop.code or 0), out.getvalue(), err.getvalue()
        except CommandError as error:
            return error.returncode, out.getvalue(), str(error)
        return 0, out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def warehouse_counts(run_command: Callable[..., tuple[int, str, str]]) -> Callable[[], list[dict[str, Any]]]:
    def counts() -> list[dict[str, Any]]:
        status, out, err = run_command("warehouse", "counts", "--json")
        assert status == 0, err
        return json.loads(out)

    return counts
