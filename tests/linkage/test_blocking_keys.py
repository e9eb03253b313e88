"""Cutting the rest down to the records that share a blocking rule's keys with the chosen ones."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from boroughhub.linkage.blocking_keys import equality_keys, rest_that_can_pair
from boroughhub.linkage.fixtures import load_into_warehouse
from boroughhub.linkage.link import standardised_records
from boroughhub.linkage.train import TrainedModel, settings_with_parameters


def test_the_equalities_of_guarded_and_swapped_rules_are_read() -> None:
    guarded = "(l.first_name = r.first_name AND l.last_name = r.last_name) AND (l.dob IS NULL OR r.dob IS NULL)"
    assert equality_keys(guarded) == [("first_name", "first_name"), ("last_name", "last_name")]
    swapped = "l.dob = r.dob AND substr(l.first_name, 1, 1) = substr(r.last_name, 1, 1)"
    assert equality_keys(swapped) == [("dob", "dob"), ("SUBSTRING(first_name, 1, 1)", "SUBSTRING(last_name, 1, 1)")]
    assert equality_keys("l.dob = r.dob OR l.ni_number = r.ni_number") is None  # no equality at the top


def test_the_rest_is_cut_to_records_that_can_pair(population: dict[str, pa.Table], trained_model: TrainedModel) -> None:
    con = duckdb.connect()
    load_into_warehouse(con, population)
    records = standardised_records(con)
    chosen_mask = pc.is_in(records.column("unique_id"), pa.array(records.column("unique_id").to_pylist()[:3]))
    rest = records.filter(pc.invert(chosen_mask))
    kept = rest_that_can_pair(records.filter(chosen_mask), rest, settings_with_parameters(trained_model, "duckdb"))
    assert 0 < kept.num_rows < rest.num_rows / 10
    assert kept.schema == rest.schema
    # Whole rows of the rest, none twice.
    assert len(set(kept.column("unique_id").to_pylist())) == kept.num_rows
    assert set(kept.column("unique_id").to_pylist()) <= set(rest.column("unique_id").to_pylist())
