"""An upload through the real pipeline keeps the agreement's obligations: every row stamped with the
agreement version and purpose it was permitted under, and the people outside the agreement's
``data_subjects`` (the pilot agreement covers adults) left out, as the report says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from boroughhub.agreements import ROUGH_SLEEPING_INSIGHT
from boroughhub.submissions.models import Submission
from boroughhub.warehouse import Warehouse
from tests.sources.builders import valid_rows, write_submission

pytestmark = pytest.mark.django_db


def westminster_hclic(folder: Path, agreement_content: dict[str, Any]) -> Path:
    allowed = next(set(d["field_sets"]["upload"]) for d in agreement_content["datasets"] if d["dataset_id"] == "hclic")
    rows = json.loads(json.dumps(valid_rows("hclic")))
    for table_rows in rows.values():
        for row in table_rows:
            for column in list(row):
                if column not in allowed:
                    row[column] = ""
    return write_submission(folder, "hclic", rows)


def test_rows_are_stamped_and_the_child_is_left_out_with_a_reason(demo_agreements, run_command, settings, tmp_path):
    version = demo_agreements["dsa-pl-rsi/1"]
    assert version.content["data_subjects"]["min_age_years"] == 18
    status, out, err = run_command("submit", str(westminster_hclic(tmp_path / "w", version.content)),
                                   "--user", "uploader@westminster.example")
    submission = Submission.objects.get()
    assert status == 0 and submission.status == "accepted", out + err
    (note,) = [n for n in submission.report_summary["notes"] if "left out" in n]
    assert note.startswith("1 person under 18 on 31 December 2024") and "dsa-pl-rsi version 1" in note
    assert submission.report_summary["left_out"] == [
        {"rule": "min_age_years", "people": 1, "rows": 1, "rows_by_file": {"hclic_people.csv": 1}}]
    with Warehouse(settings.WAREHOUSE_PATH, read_only=True) as warehouse:
        assert {r[0] for r in warehouse.fetchall("SELECT person_ref FROM main.hclic_people")} == {"H1", "H2", "H4"}
        for table in ("main.hclic_people", "identity.hclic_people", "main.hclic_cases"):
            assert warehouse.fetchall(
                f"SELECT DISTINCT supplier_code, stamp_purpose, stamp_agreement_id, stamp_agreement_version "
                f"FROM {table}") == [("E09000033", ROUGH_SLEEPING_INSIGHT, "dsa-pl-rsi", 1)]
    assert sum(f["rows"] for f in submission.files if f["name"] == "hclic_people.csv") == 3
