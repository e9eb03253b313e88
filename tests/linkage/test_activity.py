"""Where and when records were active, households kept apart, estimated dates of birth set aside."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from boroughhub.linkage.cluster import cluster_records, household_pairs
from boroughhub.linkage.model_settings import activity_comparison, comparisons_for, prediction_blocking_rules
from boroughhub.linkage.records import person_records_sql
from boroughhub.linkage.standardise import standardise
from tests.linkage.warehouse_records import empty_warehouse, standardised_records


def _load_three_sources(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("INSERT INTO identity.chain_people (supplier_code, chain_person_id, first_name, last_name, date_of_birth) "
                "VALUES ('chain_london', 'C1', 'Leigh', 'Martin', DATE '1980-01-01')")
    con.execute("INSERT INTO main.chain_people (supplier_code, chain_person_id, date_of_birth_estimated) "
                "VALUES ('chain_london', 'C1', true)")
    con.execute("INSERT INTO main.chain_contacts (supplier_code, contact_id, chain_person_id, contact_date, area_code) "
                "VALUES ('chain_london', 'K1', 'C1', DATE '2021-03-30', 'E09000022'), "
                "('chain_london', 'K2', 'C1', DATE '2021-04-02', 'E09000022')")
    con.execute("INSERT INTO main.chain_stays (supplier_code, stay_id, chain_person_id, area_code, arrival_date) "
                "VALUES ('chain_london', 'S1', 'C1', 'E09000033', DATE '2021-06-01')")
    con.execute("INSERT INTO identity.inform_clients (supplier_code, inform_client_id, first_name, last_name) "
                "VALUES ('provider-a', 'I1', 'Lee', 'Martin')")
    con.execute("INSERT INTO main.inform_stays (supplier_code, stay_id, inform_client_id, area_code, move_in_date) "
                "VALUES ('provider-a', 'ST1', 'I1', 'E09000033', DATE '2021-06-01')")
    con.execute("INSERT INTO identity.hclic_people (supplier_code, person_ref, first_name, last_name, date_of_birth) "
                "VALUES ('E09000022', 'P1', 'Lee', 'Martin', DATE '1980-07-15'), "
                "('E09000022', 'P2', 'Ann', 'Martin', DATE '1981-02-01')")
    con.execute("INSERT INTO main.hclic_people (supplier_code, person_ref, case_ref) "
                "VALUES ('E09000022', 'P1', 'HC1'), ('E09000022', 'P2', 'HC1')")
    con.execute("INSERT INTO main.hclic_cases (supplier_code, case_ref, application_date) "
                "VALUES ('E09000022', 'HC1', DATE '2021-05-10')")


def test_each_record_carries_where_and_when_its_services_met_the_person() -> None:
    con = empty_warehouse()
    _load_three_sources(con)
    raw = {r["unique_id"]: r for r in con.sql(person_records_sql(con)).to_arrow_table().to_pylist()}
    chain = raw["chain:chain_london:C1"]
    assert chain["stay_starts"] == "E09000033@2021-06-01"
    assert chain["seen_in"] == "E09000022@2021-03-30|E09000022@2021-04-02|E09000033@2021-06-01"
    assert raw["inform:provider-a:I1"]["stay_starts"] == "E09000033@2021-06-01"
    # An H-CLIC record is active where its council is, from a month before its household applied to
    # eleven months after (when someone who asked for help may first be seen sleeping rough).
    assert raw["hclic:E09000022:P1"]["seen_in"] == "E09000022@2021-05-10~1~11"
    assert raw["hclic:E09000022:P1"]["stay_starts"] is None
    assert raw["hclic:E09000022:P1"]["household"] == "HC1"


def test_standardised_activity_tokens_dates_and_households() -> None:
    con = empty_warehouse()
    _load_three_sources(con)
    std = standardised_records(con)
    chain, inform = std["chain:chain_london:C1"], std["inform:provider-a:I1"]
    hclic, partner = std["hclic:E09000022:P1"], std["hclic:E09000022:P2"]
    # The same hostel arrival in CHAIN and in the provider's InForm.
    assert set(chain["stay_tokens"]) & set(inform["stay_tokens"]) == {"E09000033@2021-06-01"}
    # An April contact and a May application in Lambeth fall within a month of each other.
    assert set(chain["place_months"]) & set(hclic["place_months"])
    assert set(chain["areas"]) == {"E09000022", "E09000033"}
    assert hclic["areas"] == ["E09000022"]
    # The application's window (a month before to eleven after), and a month either side of that;
    # each a number standing for an area and a month, consecutive months consecutive numbers.
    months = hclic["place_months"]
    assert len(months) == 15 and months == list(range(months[0], months[0] + 15))
    assert months[0] % (1 << 20) == 2021 * 12 + 3 - 1  # March 2021
    # CHAIN flagged the date as estimated from a stated age: it is not compared as a date.
    assert chain["dob"] is None and hclic["dob"] == "1980-07-15"
    # Cases are numbered by each council, so the household is qualified by source and supplier.
    assert hclic["household"] == partner["household"] == "hclic:E09000022:HC1"
    assert chain["household"] is None


def test_no_event_tables_means_no_activity() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE raw AS SELECT 'a' AS unique_id, 'hclic' AS source, 's' AS supplier_code, "
                "'1' AS record_key, 'Jo' AS first_name, 'Smith' AS last_name")
    standardise(con, "raw", "std")
    row = con.execute("SELECT stay_tokens, place_months, areas, household FROM std").fetchone()
    assert row == (None, None, None, None)


def test_the_activity_comparison_and_stay_blocking_come_only_with_activity() -> None:
    names = {c.get_comparison("duckdb").output_column_name for c in comparisons_for({"ni_number"})}
    assert "activity" not in names
    names = {c.get_comparison("duckdb").output_column_name for c in comparisons_for({"areas"})}
    assert "activity" in names
    rules = [r.get_blocking_rule("duckdb") for r in prediction_blocking_rules({"areas"})]
    assert any(r.blocking_rule_sql == 'l."stay_tokens" = r."stay_tokens"' for r in rules)
    assert not any("stay_tokens" in r.blocking_rule_sql for r in
                   (r.get_blocking_rule("duckdb") for r in prediction_blocking_rules(set())))


def test_household_members_are_never_one_person_however_they_are_linked() -> None:
    # Twins in one H-CLIC case: same surname and date of birth. A record from another case links
    # strongly to each of them; connected components alone would make all three one person.
    ids = ["hclic:x:twin-a", "hclic:x:twin-b", "hclic:y:later"]
    households = ["hclic:x:HC1", "hclic:x:HC1", "hclic:y:HC9"]
    pairs = pa.table({
        "unique_id_l": ["hclic:x:twin-a", "hclic:x:twin-b"],
        "unique_id_r": ["hclic:y:later", "hclic:y:later"],
        "match_probability": [0.99, 0.7],
    })
    apart = household_pairs(ids, households)
    assert apart == [("hclic:x:twin-a", "hclic:x:twin-b")]
    assert len(set(cluster_records(ids, pairs, 0.5).values())) == 1
    clusters = cluster_records(ids, pairs, 0.5, not_same=apart)
    # The stronger link wins; the twins stay two people.
    assert clusters["hclic:x:twin-a"] == clusters["hclic:y:later"] != clusters["hclic:x:twin-b"]


def test_different_ni_numbers_are_fixed_evidence_not_learnt() -> None:
    from boroughhub.linkage.model_settings import NI_DIFFERS_M, settings_for_dialect

    settings = settings_for_dialect({"ni_number"}, "duckdb")
    ni = next(c for c in settings["comparisons"] if c["output_column_name"] == "ni_number")
    differs = ni["comparison_levels"][-1]
    assert differs["m_probability"] == NI_DIFFERS_M and differs["fix_m_probability"] is True


def test_a_missing_date_of_birth_brings_a_pair_in_only_with_a_shared_area_where_areas_are_known() -> None:
    def surname_rule(fields: set[str]) -> str:
        rules = [r.get_blocking_rule("duckdb").blocking_rule_sql for r in prediction_blocking_rules(fields)]
        return next(r for r in rules if r.startswith("(l.last_name = r.last_name AND substr(l.first_name"))

    assert "(l.dob IS NULL OR r.dob IS NULL))" in surname_rule(set())
    assert "array_intersect(l.areas, r.areas)" not in surname_rule(set())
    assert "((l.dob IS NULL OR r.dob IS NULL) AND array_length(array_intersect(l.areas, r.areas)) >= 1)" in (
        surname_rule({"areas"}))


def test_months_in_common_split_two_or_more_from_one() -> None:
    """Decision 0202: the activity comparison's case, run by DuckDB, puts a pair sharing two months in one area
    above a pair sharing one, and a pair sharing none (but an area) below both."""
    levels = activity_comparison().get_comparison("duckdb").comparison_levels
    case = " ".join(f"WHEN {level.sql_condition} THEN '{level.label_for_charts}'"
                    for level in levels if level.sql_condition != "ELSE")
    con = duckdb.connect()
    rows = con.execute(f"""
        SELECT (CASE {case} ELSE 'else' END) AS level FROM (VALUES
            ([10, 11, 12], [11, 12, 13], ['A'], ['A']),
            ([10, 11, 12], [12, 13, 14], ['A'], ['A']),
            ([10, 11, 12], [20, 21], ['A'], ['A']),
            ([10], [20], ['A'], ['B'])
        ) AS t(place_months_l, place_months_r, areas_l, areas_r),
        LATERAL (SELECT NULL::VARCHAR[] AS stay_tokens_l, NULL::VARCHAR[] AS stay_tokens_r)
    """).fetchall()
    assert [r[0] for r in rows] == [
        "in the same area at about the same time, in two months or more",
        "in the same area at about the same time, in one month",
        "in the same area at other times",
        "else",
    ]
