"""Records whose dates of birth no keying slip explains are two people, however they are linked."""

from __future__ import annotations

import pyarrow as pa

from boroughhub.linkage.cluster import cluster_persons, dates_of_birth_that_contradict


def test_keying_slips_explain_a_difference_and_years_apart_do_not() -> None:
    ids = ["a", "b", "c", "d", "e", "f", "g"]
    born = ["1985-06-21", "1985-06-12", "1958-06-21", "1986-12-06", "1985-01-01", "1987-07-02", None]
    one = dict.fromkeys(ids, "a")
    apart = set(dates_of_birth_that_contradict(ids, born, one))
    # Against a: b two digits swapped; c the year's digits swapped; d and f within five years (left to the
    # model: a source can get the year and the day wrong at once); e a 1 January default; g no date.
    assert not {p for p in apart if "a" in p}
    assert ("b", "c") in apart  # 12 June 1985 and 21 June 1958: no one slip turns one into the other
    assert ("c", "d") in apart and ("c", "f") in apart and ("c", "e") in apart
    assert not [p for p in apart if "g" in p]


def test_a_chain_through_a_record_without_a_date_of_birth_is_broken_at_its_weakest_link() -> None:
    # Kemal Rashid born 1985 and a boy of the same name born 2019, joined through a record without a date.
    records = pa.table({"unique_id": ["father", "nodate", "son"],
                        "dob": ["1985-06-21", None, "2019-03-01"]})
    pairs = pa.table({"unique_id_l": ["father", "nodate"], "unique_id_r": ["nodate", "son"],
                      "match_probability": [0.9, 0.6]})
    clusters = cluster_persons(records, pairs, 0.5)
    assert clusters["father"] == clusters["nodate"] != clusters["son"]


def test_a_clerical_same_person_decision_outranks_the_dates() -> None:
    records = pa.table({"unique_id": ["x", "y"], "dob": ["1950-02-03", "1990-07-08"]})
    pairs = pa.table({"unique_id_l": ["x"], "unique_id_r": ["y"], "match_probability": [0.2]})
    clusters = cluster_persons(records, pairs, 0.5, same=[("x", "y")])
    assert clusters["x"] == clusters["y"]
