"""The retention job's plain core on a real warehouse file: clauses read from the pilot agreement, each
boundary crossed a day either side, the rows, history versions and linkage rows that go, and a
crypto-erase that leaves no identifier readable anywhere in the file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from boroughhub.retention import (
    Period,
    RetentionBook,
    delete_holding,
    finish_crypto_erase,
    holdings,
    retention_of,
)
from boroughhub.retention.due import LINKAGE_RUN, METRIC_VALUES, SUBMISSION
from boroughhub.warehouse import Warehouse, submit_folder
from tests.sources.builders import valid_rows, write_submission

UTC = dt.UTC
KEY = "warehouse-test-key-0123456789abcdef"
PILOT = Path(__file__).parents[2] / "src/boroughhub/agreements/data/example-dsa-pl-rsi-v1.json"
UPLOADED = dt.datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
#: A name no other fixture uses, so finding its bytes in the file can mean only one record.
RARE_NAME = "Quillfeatherington"


def pilot_content() -> dict[str, Any]:
    document = json.loads(PILOT.read_text(encoding="utf-8"))
    return dict(document.get("content", document))


def pilot_book() -> RetentionBook:
    return RetentionBook.build([("dsa-pl-rsi", 1, pilot_content(), True)])


def permit(version: int = 1) -> SimpleNamespace:
    stamp = SimpleNamespace(purpose="rsi", agreement_id="dsa-pl-rsi", version=version)
    return SimpleNamespace(decision="permit", obligations=SimpleNamespace(stamp=stamp))


def upload(warehouse: Warehouse, folder: Path, source: str, rows: dict[str, Any] | None = None,
           uploaded: dt.datetime = UPLOADED) -> str:
    result = submit_folder(write_submission(folder, source, rows), warehouse, lambda *_: permit(), KEY,
                           today=dt.date(2025, 6, 1))
    assert result.loaded, result.report.rows()
    # Loaded "at" a fixed instant: the job's clock and the upload's are both the test's.
    warehouse.execute("UPDATE main.submissions SET loaded_at = ? WHERE submission_id = ?",
                      [uploaded, result.submission_id])
    return result.submission_id


def test_the_pilot_agreement_gives_each_dataset_its_clause() -> None:
    clauses = retention_of(pilot_content(), "dsa-pl-rsi", 1)
    assert {d: (c.period, c.starts, c.deletion) for d, c in clauses.items()} == {
        "chain": (Period(24), "upload", "crypto_erase_and_purge"),
        "hclic": (Period(24), "upload", "crypto_erase_and_purge"),
        "inform": (Period(24), "upload", "crypto_erase_and_purge"),
        "person_link": (Period(3), "superseded_by_next_linkage_run", "purge"),
        "metric_values": (Period(84), "creation", "purge"),
    }
    assert clauses["chain"].clause == "dsa-pl-rsi version 1, datasets[chain].hub_retention"
    assert clauses["chain"].summary == "24 months from upload, crypto-erase and purge"


@pytest.mark.parametrize(("text", "start", "end"), [
    ("P24M", dt.datetime(2025, 1, 15, tzinfo=UTC), dt.datetime(2027, 1, 15, tzinfo=UTC)),
    ("P3M", dt.datetime(2025, 11, 30, tzinfo=UTC), dt.datetime(2026, 2, 28, tzinfo=UTC)),
    ("P2Y", dt.datetime(2024, 2, 29, tzinfo=UTC), dt.datetime(2026, 2, 28, tzinfo=UTC)),
    ("P1M10D", dt.datetime(2025, 1, 31, tzinfo=UTC), dt.datetime(2025, 3, 10, tzinfo=UTC)),
])
def test_periods_are_calendar_months(text: str, start: dt.datetime, end: dt.datetime) -> None:
    assert Period.parse(text).after(start) == end


def test_a_period_the_hub_cannot_apply_is_refused_with_how_to_write_it() -> None:
    with pytest.raises(ValueError, match="P24M"):
        Period.parse("PT5H")


def test_the_shortest_clause_in_force_applies_to_rows_without_a_stamp() -> None:
    longer = pilot_content()
    shorter = json.loads(json.dumps(longer))
    for entry in shorter["datasets"]:
        entry["hub_retention"]["period"] = "P12M"
    book = RetentionBook.build([("a", 1, longer, True), ("b", 1, shorter, True), ("c", 1, shorter, False)])
    assert book.for_rows("chain", None, None).agreement_id == "b"
    assert book.for_rows("chain", "a", 1).agreement_id == "a"  # the stamp names the clause the rows came under
    assert book.for_rows("chain", "c", 1).agreement_id == "c"
    assert RetentionBook.build([]).for_rows("chain", None, None) is None


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    with Warehouse(tmp_path / "warehouse.duckdb") as store:
        yield store


def test_a_source_version_stays_a_day_before_its_24_months_and_goes_a_day_after(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    first = upload(warehouse, tmp_path / "v1", "chain")
    rows = valid_rows("chain")
    rows["chain_contacts"].pop()
    second = upload(warehouse, tmp_path / "v2", "chain", rows, uploaded=dt.datetime(2025, 6, 1, tzinfo=UTC))
    held, unruled = holdings(warehouse, pilot_book())
    assert unruled == [] and [h.key for h in held] == [first, second]
    expiry = dt.datetime(2027, 1, 15, 9, 30, tzinfo=UTC)
    assert held[0].expires_at == expiry
    assert not held[0].due(expiry - dt.timedelta(days=1)) and held[0].due(expiry + dt.timedelta(days=1))

    deleted = delete_holding(warehouse, held[0])
    # The first version is history now: its history rows and identity history went, the current stayed.
    assert deleted.rows_by_table["history.chain_people"] == 3
    assert deleted.rows_by_table["history.identity_chain_people"] == 3
    assert deleted.identifiers_overwritten == 3
    assert warehouse.fetchall("SELECT count(*) FROM history.chain_contacts") == [(0,)]
    assert [r.submission_id for r in warehouse.submissions("chain")] == [second]
    assert warehouse.fetchall("SELECT count(*) FROM main.chain_people WHERE submission_id = ?", [second]) == [(3,)]


def test_linkage_rows_that_refer_to_erased_records_go_with_them(warehouse: Warehouse, tmp_path: Path) -> None:
    first = upload(warehouse, tmp_path / "chain", "chain")
    upload(warehouse, tmp_path / "hclic", "hclic")
    warehouse.execute("CREATE TABLE IF NOT EXISTS person_link (source VARCHAR, supplier_code VARCHAR, "
                      "record_key VARCHAR, person_id VARCHAR, run_id VARCHAR)")
    warehouse.execute("CREATE TABLE IF NOT EXISTS linkage_review_queue (unique_id_l VARCHAR, unique_id_r VARCHAR)")
    warehouse.execute("INSERT INTO person_link VALUES ('chain', 'chain_london', 'P1', 'p-1', 'r'), "
                      "('hclic', 'E09000033', 'H1', 'p-1', 'r')")
    warehouse.execute("INSERT INTO linkage_review_queue VALUES ('chain:chain_london:P1', 'hclic:E09000033:H1'), "
                      "('hclic:E09000033:H1', 'hclic:E09000033:H2')")
    (chain,) = [h for h in holdings(warehouse, pilot_book())[0] if h.key == first]
    deleted = delete_holding(warehouse, chain)
    assert deleted.rows_by_table["main.person_link"] == 1
    assert deleted.rows_by_table["main.linkage_review_queue"] == 1
    assert warehouse.fetchall("SELECT source FROM person_link") == [("hclic",)]


def test_linkages_standardised_copy_of_a_deleted_submissions_people_goes_with_it(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    first = upload(warehouse, tmp_path / "chain", "chain")
    upload(warehouse, tmp_path / "hclic", "hclic")
    # What linkage keeps between runs (standardised names): one row per current person record.
    warehouse.execute("CREATE TABLE identity.linkage_standardised_records AS SELECT 'chain' AS source, supplier_code, "
                      "CAST(chain_person_id AS VARCHAR) AS record_key, 'smith' AS last_name FROM identity.chain_people "
                      "UNION ALL SELECT 'hclic', supplier_code, CAST(person_ref AS VARCHAR), 'jones' "
                      "FROM identity.hclic_people")
    chain_people = warehouse.fetchall("SELECT count(*) FROM identity.chain_people")[0][0]
    (chain,) = [h for h in holdings(warehouse, pilot_book())[0] if h.key == first]
    deleted = delete_holding(warehouse, chain)
    assert deleted.rows_by_table["identity.linkage_standardised_records"] == chain_people > 0
    assert warehouse.fetchall("SELECT DISTINCT source FROM identity.linkage_standardised_records") == [("hclic",)]


def test_a_superseded_linkage_run_goes_3_months_after_the_next_run_and_the_current_run_never(
    warehouse: Warehouse,
) -> None:
    warehouse.execute("CREATE TABLE linkage_run (run_id VARCHAR, finished_at TIMESTAMP)")
    warehouse.execute("CREATE TABLE linkage_person_link_history (run_id VARCHAR, record_key VARCHAR)")
    warehouse.execute("INSERT INTO linkage_run VALUES ('r1', '2026-01-10 08:00'), ('r2', '2026-02-10 08:00')")
    warehouse.execute("INSERT INTO linkage_person_link_history VALUES ('r1', 'a'), ('r1', 'b'), ('r2', 'a')")
    (run,) = [h for h in holdings(warehouse, pilot_book())[0] if h.kind == LINKAGE_RUN]
    assert (run.key, run.rows, run.expires_at) == ("r1", 2, dt.datetime(2026, 5, 10, 8, tzinfo=UTC))
    assert not run.due(dt.datetime(2026, 5, 9, 8, tzinfo=UTC)) and run.due(dt.datetime(2026, 5, 11, 8, tzinfo=UTC))
    delete_holding(warehouse, run)
    assert warehouse.fetchall("SELECT run_id, count(*) FROM linkage_person_link_history GROUP BY ALL") == [("r2", 1)]


def test_metric_values_go_84_months_after_their_creation(warehouse: Warehouse) -> None:
    warehouse.execute("CREATE TABLE main.metric_values (value DOUBLE)")
    warehouse.execute("INSERT INTO main.metric_values VALUES (1), (2)")
    warehouse.execute("CREATE TABLE main.metric_run AS SELECT TIMESTAMPTZ '2026-03-01 10:00:00+00' AS computed_at")
    (figures,) = [h for h in holdings(warehouse, pilot_book())[0] if h.kind == METRIC_VALUES]
    assert figures.expires_at == dt.datetime(2033, 3, 1, 10, tzinfo=UTC)
    assert not figures.due(dt.datetime(2033, 2, 28, 10, tzinfo=UTC))
    assert figures.due(dt.datetime(2033, 3, 2, 10, tzinfo=UTC))
    assert delete_holding(warehouse, figures).rows == 2


def test_crypto_erase_leaves_no_readable_identifier_in_the_warehouse_file(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    rows = valid_rows("chain")
    rows["chain_people"][0]["last_name"] = RARE_NAME
    later = valid_rows("chain")  # a later version without the name: its rows share the tables' blocks
    with Warehouse(path) as warehouse:
        submission_id = upload(warehouse, tmp_path / "chain", "chain", rows)
        upload(warehouse, tmp_path / "later", "chain", later, uploaded=dt.datetime(2026, 1, 15, tzinfo=UTC))
        warehouse.execute("CHECKPOINT")
    assert RARE_NAME.encode() in path.read_bytes()  # the test can fail: the name is in the file before
    with Warehouse(path) as warehouse:
        held = holdings(warehouse, pilot_book())[0][0]
        assert held.kind == SUBMISSION and held.key == submission_id and held.rule.crypto_erase
        delete_holding(warehouse, held)
        warehouse.execute("CHECKPOINT")
        assert warehouse.fetchall("SELECT count(*) FROM identity.chain_people WHERE last_name = ?",
                                  [RARE_NAME]) == [(0,)]
        assert finish_crypto_erase(warehouse)
        assert warehouse.table_counts()["main.chain_people"] == 3  # still a working warehouse, the later version
    for leftover in [path, *tmp_path.glob("warehouse.duckdb*")]:
        if leftover.is_file():
            assert RARE_NAME.encode() not in leftover.read_bytes(), leftover.name
    assert not Path(str(path) + ".erase-pending").exists()


def test_a_rewrite_owed_by_a_killed_run_is_done_by_the_next(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    with Warehouse(path) as warehouse:
        assert not finish_crypto_erase(warehouse)
        Path(str(path) + ".erase-pending").touch()
        assert finish_crypto_erase(warehouse)
        assert warehouse.submissions() == []
