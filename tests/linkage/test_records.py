"""Reading person records from the warehouse's real schema (``warehouse.tables``)."""

from __future__ import annotations

import duckdb

from boroughhub.linkage.records import person_records_sql, split_unique_id, unique_id


def test_reads_identifiers_and_codes_from_the_warehouse_schema() -> None:
    from boroughhub.warehouse.tables import schema_statements

    con = duckdb.connect()
    for statement in schema_statements():
        con.execute(statement)
    con.execute(
        "INSERT INTO identity.chain_people (supplier_code, chain_person_id, first_name, last_name, date_of_birth) "
        "VALUES ('chain_london', 'C1', 'Bob', 'Smith', DATE '1980-01-02')"
    )
    con.execute(
        "INSERT INTO main.chain_people (supplier_code, chain_person_id, gender, nationality) "
        "VALUES ('chain_london', 'C1', 'male', 'GBR')"
    )
    con.execute(
        "INSERT INTO identity.inform_clients (supplier_code, inform_client_id, first_name, last_name) "
        "VALUES ('provider-a', 'I1', 'Robert', 'Smith')"
    )
    con.execute(
        "INSERT INTO main.inform_clients (supplier_code, inform_client_id, chain_person_id) "
        "VALUES ('provider-a', 'I1', 'C1')"
    )
    rows = {r["unique_id"]: r for r in con.sql(person_records_sql(con)).to_arrow_table().to_pylist()}
    assert set(rows) == {"chain:chain_london:C1", "inform:provider-a:I1"}
    chain = rows["chain:chain_london:C1"]
    assert (chain["first_name"], chain["date_of_birth"], chain["gender"], chain["chain_ref"]) == (
        "Bob", "1980-01-02", "male", "C1"
    )
    assert rows["inform:provider-a:I1"]["chain_ref"] == "C1"


def test_unique_ids_round_trip() -> None:
    assert split_unique_id(unique_id("hclic", "E09000007", "H:1")) == ("hclic", "E09000007", "H:1")
