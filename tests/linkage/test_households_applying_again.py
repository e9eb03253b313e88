"""What households say about their people: a household applying again brings the same people."""

from __future__ import annotations

import pyarrow as pa

from boroughhub.linkage.cluster import cluster_persons


def _records(rows: list[tuple[str, str | None, str | None, str | None]]) -> pa.Table:
    """(unique id, household, role, full name) per record."""
    return pa.table({name: [row[i] for row in rows] for i, name in
                     enumerate(("unique_id", "household", "household_role", "full_name"))})


def _pairs(pairs: list[tuple[str, str, float]]) -> pa.Table:
    return pa.table({"unique_id_l": [p[0] for p in pairs], "unique_id_r": [p[1] for p in pairs],
                     "match_probability": [p[2] for p in pairs]})


# A mother and her son, in a case of 2021 and again in a case of 2023.
FAMILY = [
    ("h:1:mum", "h:HC1", "main_applicant", "ann lee"),
    ("h:1:son", "h:HC1", "child", "tom lee"),
    ("h:2:mum", "h:HC2", "main_applicant", "ann lee"),
    ("h:2:son", "h:HC2", "child", "tom lee"),
]


def test_a_household_applying_again_brings_its_child_even_without_a_date_of_birth() -> None:
    # The son's second record has no date of birth: on its own evidence it falls short.
    pairs = _pairs([("h:1:mum", "h:2:mum", 0.99), ("h:1:son", "h:2:son", 0.3)])
    clusters = cluster_persons(_records(FAMILY), pairs, 0.5)
    assert clusters["h:1:son"] == clusters["h:2:son"] != clusters["h:1:mum"]
    # Without the mother's two records in one person, the weak pair stays apart.
    alone = cluster_persons(_records(FAMILY), _pairs([("h:1:son", "h:2:son", 0.3)]), 0.5)
    assert alone["h:1:son"] != alone["h:2:son"]


def test_only_the_same_full_name_is_brought_along() -> None:
    rows = [*FAMILY[:3], ("h:2:son", "h:HC2", "child", "sam lee")]
    pairs = _pairs([("h:1:mum", "h:2:mum", 0.99), ("h:1:son", "h:2:son", 0.3)])
    clusters = cluster_persons(_records(rows), pairs, 0.5)
    assert clusters["h:1:son"] != clusters["h:2:son"]


def test_two_children_of_families_that_share_no_adult_are_two_children() -> None:
    # Two boys called Tom Lee born on the same day, in two unrelated families: their own evidence is
    # strong, but no adult of one household is an adult of the other.
    rows = [*FAMILY[:2], ("h:3:dad", "h:HC3", "main_applicant", "raj lee"), ("h:3:son", "h:HC3", "child", "tom lee")]
    pairs = _pairs([("h:1:son", "h:3:son", 0.9)])
    clusters = cluster_persons(_records(rows), pairs, 0.5)
    assert clusters["h:1:son"] != clusters["h:3:son"]
    # The same pair with the mothers one person: the same boy, applying again with his mother.
    clusters = cluster_persons(_records(FAMILY), _pairs([("h:1:son", "h:2:son", 0.9), ("h:1:mum", "h:2:mum", 0.95)]),
                               0.5)
    assert clusters["h:1:son"] == clusters["h:2:son"]


def test_adults_and_records_without_households_are_clustered_on_their_own_evidence() -> None:
    rows = [("h:1:mum", "h:HC1", "main_applicant", "ann lee"), ("h:1:son", "h:HC1", "child", "tom lee"),
            ("h:3:mum", "h:HC3", "main_applicant", "ann lee"), ("c:9", None, None, "ann lee")]
    pairs = _pairs([("h:1:mum", "h:3:mum", 0.9), ("c:9", "h:3:mum", 0.8)])
    clusters = cluster_persons(_records(rows), pairs, 0.5)
    assert clusters["h:1:mum"] == clusters["h:3:mum"] == clusters["c:9"]
    no_households = pa.table({"unique_id": ["a", "b"], "household": pa.array([None, None], pa.string())})
    assert cluster_persons(no_households, _pairs([("a", "b", 0.7)]), 0.5) == {"a": "a", "b": "a"}


def test_each_h_clic_record_carries_its_relationship_in_the_household() -> None:
    import duckdb

    from boroughhub.linkage.records import person_records_sql
    from boroughhub.linkage.standardise import standardise
    from boroughhub.warehouse.tables import schema_statements

    con = duckdb.connect()
    for statement in schema_statements():
        con.execute(statement)
    con.execute("INSERT INTO identity.hclic_people (supplier_code, person_ref, first_name, last_name) "
                "VALUES ('E09000022', 'P1', 'Ann', 'Lee'), ('E09000022', 'P2', 'Tom', 'Lee')")
    con.execute("INSERT INTO main.hclic_people (supplier_code, person_ref, case_ref, relationship) "
                "VALUES ('E09000022', 'P1', 'HC1', 'main_applicant'), ('E09000022', 'P2', 'HC1', 'child')")
    con.execute("CREATE TABLE raw AS " + person_records_sql(con))
    standardise(con, "raw", "std")
    rows = con.execute("SELECT unique_id, household, household_role FROM std ORDER BY unique_id").fetchall()
    assert rows == [("hclic:E09000022:P1", "hclic:E09000022:HC1", "main_applicant"),
                    ("hclic:E09000022:P2", "hclic:E09000022:HC1", "child")]
