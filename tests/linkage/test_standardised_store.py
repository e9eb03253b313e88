"""Kept standardised records: a run standardises only new and changed rows, and gets what standardising all gives."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from boroughhub.linkage.fixtures import load_into_warehouse
from boroughhub.linkage.link import standardised_records
from boroughhub.linkage.standardised_store import STORE, read_standardised, store_standardised


def _changed(population: dict[str, pa.Table]) -> tuple[dict[str, pa.Table], set[str]]:
    """One InForm client renamed, one gone, one new (a copy of another under a new key)."""
    inform = population["inform_clients"].to_pylist()
    renamed = {**inform[3], "last_name": "Quennell-Abara"}
    added = {**inform[5], "inform_client_id": "I-NEW-1"}
    rows = [renamed if i == 3 else r for i, r in enumerate(inform[:-1])] + [added]
    tables = dict(population, inform_clients=pa.Table.from_pylist(rows, schema=population["inform_clients"].schema))
    ids = {f"inform:{r['supplier_code']}:{r['inform_client_id']}" for r in (renamed, added)}
    return tables, ids


def test_only_new_and_changed_records_are_standardised_again(population: dict[str, pa.Table]) -> None:
    con = duckdb.connect()
    load_into_warehouse(con, population)
    first = read_standardised(con)
    assert first.rebuilt and first.fresh.num_rows == first.records.num_rows
    store_standardised(con, first)

    tables, fresh_ids = _changed(population)
    load_into_warehouse(con, tables)
    second = read_standardised(con)
    assert not second.rebuilt
    assert set(second.fresh.column("unique_id").to_pylist()) == fresh_ids
    # Exactly what standardising every record gives, in the same order and columns.
    assert second.records.to_pylist() == standardised_records(con).to_pylist()

    store_standardised(con, second)
    stored = con.execute(f"SELECT count(*), count(DISTINCT unique_id) FROM {STORE}").fetchall()[0]
    assert stored == (second.records.num_rows, second.records.num_rows)  # the gone record left, none twice
    third = read_standardised(con)
    assert third.fresh.num_rows == 0 and third.records.to_pylist() == second.records.to_pylist()


def test_another_standardisation_standardises_everything_again(population: dict[str, pa.Table]) -> None:
    con = duckdb.connect()
    load_into_warehouse(con, population)
    store_standardised(con, read_standardised(con))
    con.execute(f"UPDATE {STORE} SET standardisation = 'an earlier one'")
    again = read_standardised(con)
    assert again.rebuilt and again.fresh.num_rows == again.records.num_rows
    # A full relink does not reuse the store at all.
    store_standardised(con, again)
    assert read_standardised(con, reuse=False).rebuilt
