"""The warehouse contract other capabilities rely on, versioned loads, restore, and crash safety."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from boroughhub.sources.schema import PERSON_TABLES, TABLES, WAREHOUSE_TYPE
from boroughhub.warehouse import Warehouse, person_pseudonym, submit_folder
from boroughhub.warehouse.submit import ACCEPTED, UNCHANGED, is_permitted
from tests.sources.builders import valid_rows, write_submission

TODAY = dt.date(2025, 6, 1)
KEY = "warehouse-test-key-0123456789"
REPO = Path(__file__).resolve().parents[2]


def _permit(dataset: str, supplier: str, fields: set[str]) -> bool:
    return True


def _submit(warehouse: Warehouse, folder: Path) -> str:
    result = submit_folder(folder, warehouse, _permit, KEY, today=TODAY)
    assert result.loaded, result.report.rows()
    return result.status


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "warehouse.duckdb")


def test_empty_warehouse_has_every_table_with_the_contract_columns(warehouse: Warehouse) -> None:
    for table in TABLES.values():
        columns = dict(
            warehouse.fetchall(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'main' AND table_name = ?",
                [table.name],
            )
        )
        expected = {c.name: WAREHOUSE_TYPE[c.type] for c in table.columns if not c.is_direct_identifier}
        stamp = {"stamp_purpose": "VARCHAR", "stamp_agreement_id": "VARCHAR", "stamp_agreement_version": "INTEGER"}
        assert columns == {**expected, "supplier_code": "VARCHAR", "submission_id": "VARCHAR", **stamp}
        assert not set(table.direct_identifiers) & set(columns)
    for name in PERSON_TABLES:
        table = TABLES[name]
        identity_columns = [
            r[0]
            for r in warehouse.fetchall(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'identity' "
                "AND table_name = ? ORDER BY ordinal_position",
                [name],
            )
        ]
        assert identity_columns[0] == "supplier_code"
        assert set(table.primary_key) | set(table.direct_identifiers) <= set(identity_columns)
    assert warehouse.counts() == []


def test_a_load_fills_main_and_identity_and_records_the_submission(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    assert _submit(warehouse, write_submission(tmp_path / "hclic", "hclic")) == ACCEPTED
    people = warehouse.fetch_dicts("SELECT * FROM main.hclic_people ORDER BY person_ref")
    assert [p["person_ref"] for p in people] == ["H1", "H2", "H3", "H4"]
    assert "first_name" not in people[0] and people[0]["supplier_code"] == "E09000033"
    identity = warehouse.fetch_dicts("SELECT * FROM identity.hclic_people ORDER BY person_ref")
    assert identity[0]["first_name"] == "Ann" and identity[0]["date_of_birth"] == dt.date(1980, 5, 4)
    assert identity[0]["person_pseudonym"] == person_pseudonym(KEY, "hclic", "E09000033", "H1")
    (record,) = warehouse.submissions("hclic")
    assert (record.version, record.status, record.extract_period_end) == (1, "current", dt.date(2024, 12, 31))
    assert record.row_counts["hclic_people.csv"] == 4 and "manifest.csv" in record.file_hashes
    typed = warehouse.fetchall(
        "SELECT s21_notice, application_date FROM main.hclic_cases WHERE case_ref = 'K1'"
    )
    assert typed == [(True, dt.date(2024, 1, 10))]


def test_new_version_replaces_the_old_which_is_kept_and_restorable(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    _submit(warehouse, write_submission(tmp_path / "v1", "chain"))
    rows = valid_rows("chain")
    rows["chain_contacts"].pop()
    _submit(warehouse, write_submission(tmp_path / "v2", "chain", rows))
    assert warehouse.fetchall("SELECT count(*) FROM main.chain_contacts") == [(2,)]
    assert warehouse.fetchall("SELECT count(*) FROM history.chain_contacts") == [(3,)]
    assert [(r.version, r.status) for r in warehouse.submissions("chain")] == [
        (1, "superseded"),
        (2, "current"),
    ]
    counts = {(c["table"], c["version"]): c["rows"] for c in warehouse.counts()}
    assert counts[("chain_contacts", 1)] == 3 and counts[("chain_contacts", 2)] == 2

    warehouse.restore("chain", "chain_london", 1)
    assert warehouse.fetchall("SELECT count(*) FROM main.chain_contacts") == [(3,)]
    assert warehouse.fetchall("SELECT count(*) FROM identity.chain_people") == [(3,)]
    assert [(r.version, r.status) for r in warehouse.submissions("chain")] == [
        (1, "current"),
        (2, "superseded"),
    ]
    with pytest.raises(LookupError):
        warehouse.restore("chain", "chain_london", 9)


def test_other_suppliers_are_untouched_by_a_load(warehouse: Warehouse, tmp_path: Path) -> None:
    _submit(warehouse, write_submission(tmp_path / "a", "inform"))
    _submit(warehouse, write_submission(tmp_path / "b", "inform", supplier_code="provider-b"))
    rows = valid_rows("inform")
    rows["inform_stays"].pop()
    _submit(warehouse, write_submission(tmp_path / "a2", "inform", rows))
    per_supplier = dict(
        warehouse.fetchall("SELECT supplier_code, count(*) FROM main.inform_stays GROUP BY ALL")
    )
    assert per_supplier == {"provider-a": 1, "provider-b": 2}


def test_the_same_files_twice_leave_one_current_version(warehouse: Warehouse, tmp_path: Path) -> None:
    folder = write_submission(tmp_path / "chain", "chain")
    assert _submit(warehouse, folder) == ACCEPTED
    before = warehouse.table_counts()
    assert _submit(warehouse, folder) == UNCHANGED
    assert warehouse.table_counts() == before
    assert len(warehouse.submissions("chain")) == 1


def test_a_zip_of_the_folder_is_accepted(warehouse: Warehouse, tmp_path: Path) -> None:
    folder = write_submission(tmp_path / "inform-2024", "inform")
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        for path in folder.iterdir():
            handle.write(path, f"inform-2024/{path.name}")
    assert _submit(warehouse, archive) == ACCEPTED


def test_authorise_receives_dataset_supplier_and_filled_fields(warehouse: Warehouse, tmp_path: Path) -> None:
    seen: list[tuple[str, str, set[str]]] = []

    def authorise(dataset: str, supplier: str, fields: set[str]) -> object:
        seen.append((dataset, supplier, fields))

        class Decision:
            decision = "deny"
            reasons = [{"code": "FIELDS_NOT_PERMITTED"}]

        return Decision()

    result = submit_folder(write_submission(tmp_path / "c", "chain"), warehouse, authorise, KEY, today=TODAY)
    assert result.status == "denied" and "FIELDS_NOT_PERMITTED" in result.report.notes[0]
    ((dataset, supplier, fields),) = seen
    assert (dataset, supplier) == ("chain", "chain_london")
    assert "first_name" in fields and "history_care" not in fields
    assert warehouse.counts() == []


def test_is_permitted_reads_decision_like_values() -> None:
    class Decision:
        def __init__(self, decision: str) -> None:
            self.decision = decision

    assert is_permitted(True) and not is_permitted(False)
    assert is_permitted(Decision("permit")) and not is_permitted(Decision("deny"))
    assert not is_permitted(None)


def test_pseudonym_is_hmac_sha256_with_the_key() -> None:
    expected = hmac.new(KEY.encode(), b"chain|chain_london|P1", hashlib.sha256).hexdigest()
    assert person_pseudonym(KEY, "chain", "chain_london", "P1") == expected
    with pytest.raises(ValueError):
        person_pseudonym("short", "chain", "chain_london", "P1")


def test_history_shrunk_is_a_warning_that_does_not_block(warehouse: Warehouse, tmp_path: Path) -> None:
    _submit(warehouse, write_submission(tmp_path / "v1", "chain"))
    rows = valid_rows("chain")
    result = submit_folder(
        write_submission(tmp_path / "v2", "chain", rows, extract_period_start="2024-02-01"),
        warehouse,
        _permit,
        KEY,
        today=TODAY,
    )
    assert result.status == ACCEPTED
    assert "history_shrunk" in result.report.rules_broken()
    [shrunk] = [i for i in result.report.issues if i.rule == "history_shrunk"]
    assert "version 1" in shrunk.message and "no longer be held" in shrunk.message
    assert shrunk.column == "extract_period_start" and shrunk.value == "2024-02-01"


_KILLED_LOADER = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from pathlib import Path
    from boroughhub.warehouse import Warehouse, submit_folder

    def progress(message, fraction):
        if message.startswith("Loading chain_contacts"):  # chain_people is already in, inside the transaction
            print("MID-LOAD", flush=True)
            time.sleep(120)

    warehouse = Warehouse(sys.argv[1])
    submit_folder(Path(sys.argv[2]), warehouse, lambda *a: True, "k" * 32, progress, today=dt.date(2025, 6, 1))
    print("FINISHED", flush=True)
    """
)


@pytest.mark.slow
def test_a_load_killed_midway_leaves_the_warehouse_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    with Warehouse(path) as warehouse:
        _submit(warehouse, write_submission(tmp_path / "v1", "chain"))
        before = warehouse.table_counts()
        versions = warehouse.submissions()
    rows = valid_rows("chain")
    rows["chain_people"].append({"chain_person_id": "P4", "first_name": "New"})
    folder = write_submission(tmp_path / "v2", "chain", rows)
    env = {**os.environ, "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{REPO}"}
    process = subprocess.Popen(
        [sys.executable, "-c", _KILLED_LOADER, str(path), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        said = ""
        for line in process.stdout:  # skip anything else the child prints
            said = line.strip()
            if said in ("MID-LOAD", "FINISHED"):
                break
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    assert said == "MID-LOAD"
    assert process.returncode == -signal.SIGKILL
    with Warehouse(path) as warehouse:
        assert warehouse.table_counts() == before
        assert warehouse.submissions() == versions
        assert warehouse.fetchall("SELECT count(*) FROM identity.chain_people") == [(3,)]
        # and the warehouse still takes the load afterwards
        assert _submit(warehouse, folder) == ACCEPTED
        assert warehouse.fetchall("SELECT count(*) FROM main.chain_people") == [(4,)]


def test_a_workbook_submission_loads_typed_values(warehouse: Warehouse, tmp_path: Path) -> None:
    from tests.sources.builders import write_workbook

    assert _submit(warehouse, write_workbook(tmp_path / "wb", "chain")) == ACCEPTED
    assert warehouse.fetchall(
        "SELECT contact_date, bedded_down FROM main.chain_contacts WHERE contact_id = 'C2'"
    ) == [(dt.date(2024, 4, 10), False)]
    assert warehouse.fetchall(
        "SELECT date_of_birth FROM identity.chain_people WHERE chain_person_id = 'P2'"
    ) == [(dt.date(1975, 6, 5),)]
