"""What a refused upload may say: nothing about another supplier's data, and a reason for every refusal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from boroughhub.warehouse import Warehouse, submit_folder
from boroughhub.warehouse.submit import REJECTED
from tests.sources.builders import valid_rows, write_submission

TODAY = dt.date(2025, 6, 1)
KEY = "warehouse-test-key-0123456789abcdef"
CAMDEN, HILLINGDON = "E09000007", "E09000017"


def _permit(dataset: str, supplier: str, fields: set[str]) -> bool:
    return True


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "warehouse.duckdb")


def test_upload_claiming_another_suppliers_code_reveals_nothing_of_its_history(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    hillingdon = submit_folder(
        write_submission(tmp_path / "hillingdon", "hclic", supplier_code=HILLINGDON),
        warehouse, _permit, KEY, expected_supplier=HILLINGDON, today=TODAY,
    )
    assert hillingdon.loaded, hillingdon.report.rows()
    # Camden claims Hillingdon's code with a later period start: the history check would compare
    # it with Hillingdon's accepted version and print that version and its start.
    claim = write_submission(
        tmp_path / "camden", "hclic", valid_rows("hclic"), supplier_code=HILLINGDON,
        extract_period_start="2024-03-01",
    )
    result = submit_folder(claim, warehouse, _permit, KEY, expected_supplier=CAMDEN, today=TODAY)
    assert result.status == REJECTED
    supplier_rows = [r for r in result.report.rows() if r["column"] == "supplier_code"]
    assert supplier_rows and "this upload is for E09000007" in supplier_rows[0]["message"]
    said = " ".join(r["message"] + r["value"] for r in result.report.rows()) + " ".join(result.report.notes)
    assert "history_shrunk" not in result.report.rules_broken()
    assert "2024-01-01" not in said and "version 1" not in said


def test_zip_with_a_broken_deflate_stream_is_rejected_with_a_reason(warehouse: Warehouse, tmp_path: Path) -> None:
    import zipfile

    from tests.sources.test_damaged_archives import break_deflate_stream

    folder = write_submission(tmp_path / "chain", "chain")
    archive = tmp_path / "chain.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        for path in sorted(folder.iterdir()):
            handle.write(path, f"chain/{path.name}")
    break_deflate_stream(archive, "chain_people.csv")
    result = submit_folder(archive, warehouse, _permit, KEY, today=TODAY)
    assert result.status == REJECTED
    (row,) = result.report.rows()
    assert row["file"] == "chain.zip" and row["rule"] == "encoding_invalid"
    assert "'chain/chain_people.csv' in the zip is damaged" in row["message"]
    assert "Zip the submission folder again" in row["message"]
    assert warehouse.counts() == []
