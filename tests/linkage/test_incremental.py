"""Incremental linkage gives a full relink's partition, merging and splitting existing persons.

The seeded case: London is linked without a new monthly extract (every fifth record of each source
held back). The extract then arrives: the held-back records, one existing record corrected to
another person's identifiers (so the person it was in must split), and one existing record gone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from boroughhub.linkage.backend_duckdb import DuckDBBackend
from boroughhub.linkage.explain import score_components, term_frequency_levels
from boroughhub.linkage.fixtures import load_into_warehouse
from boroughhub.linkage.incremental import record_fingerprints, what_changed
from boroughhub.linkage.link import link_persons, standardised_records
from boroughhub.linkage.link_tables import save_model
from boroughhub.linkage.predict import predict_pairs, predict_pairs_touching
from boroughhub.linkage.train import TrainedModel

from .conftest import NOW

KEYS = {"chain_people": "chain_person_id", "inform_clients": "inform_client_id", "hclic_people": "person_ref"}
COLUMNS = ["first_name", "full_name", "last_name"]
SOURCES = {"chain_people": "chain", "inform_clients": "inform", "hclic_people": "hclic"}


def _links(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute("SELECT source, supplier_code, record_key, person_id FROM person_link").fetchall()
    return {f"{s}:{c}:{k}": p for s, c, k, p in rows}


def _partition(links: dict[str, str]) -> set[frozenset[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for uid, person in links.items():
        members[person].add(uid)
    return {frozenset(m) for m in members.values()}


def _uid(table: str, row: dict[str, object]) -> str:
    return f"{SOURCES[table]}:{row['supplier_code']}:{row[KEYS[table]]}"


def _before_the_extract(population: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return {name: table.take([i for i in range(table.num_rows) if i % 5 != 4]) for name, table in population.items()}


def _after_the_extract(population: dict[str, pa.Table], linked: dict[str, str]) -> tuple[dict[str, pa.Table], str, str]:
    """All records; one InForm record of a person with several records takes a stranger's identifiers,
    one H-CLIC record of another such person is gone. Returns (tables, corrected uid, removed uid)."""
    sizes: dict[str, int] = defaultdict(int)
    for person in linked.values():
        sizes[person] += 1
    inform = population["inform_clients"].to_pylist()
    hclic = population["hclic_people"].to_pylist()
    corrected = next(i for i, r in enumerate(inform) if sizes.get(linked.get(_uid("inform_clients", r), ""), 0) >= 3)
    stranger = next(r for r in population["chain_people"].to_pylist()[::-1]
                    if linked.get(_uid("chain_people", r)) != linked[_uid("inform_clients", inform[corrected])])
    inform[corrected] = {**inform[corrected], **{k: stranger[k] for k in ("first_name", "last_name", "date_of_birth")},
                         "ni_number": None, "chain_person_id": None, "other_names": None}
    removed = next(i for i, r in enumerate(hclic) if sizes.get(linked.get(_uid("hclic_people", r), ""), 0) >= 3
                   and linked.get(_uid("hclic_people", r)) != linked[_uid("inform_clients", inform[corrected])])
    removed_uid = _uid("hclic_people", hclic[removed])
    del hclic[removed]
    tables = dict(population, inform_clients=pa.Table.from_pylist(inform, schema=population["inform_clients"].schema),
                  hclic_people=pa.Table.from_pylist(hclic, schema=population["hclic_people"].schema))
    return tables, _uid("inform_clients", inform[corrected]), removed_uid


def test_incremental_run_gives_a_full_relinks_partition_merging_and_splitting(
    population: dict[str, pa.Table], trained_model: TrainedModel
) -> None:
    con = duckdb.connect()
    load_into_warehouse(con, _before_the_extract(population))
    save_model(con, trained_model, "<html></html>", NOW)
    link_persons(con, now=NOW)
    before = _links(con)

    tables, corrected, removed = _after_the_extract(population, before)
    load_into_warehouse(con, tables)
    run = link_persons(con, mode="incremental", now=datetime(2026, 7, 1))
    incremental = _links(con)

    relinked = duckdb.connect()
    load_into_warehouse(relinked, tables)
    save_model(relinked, trained_model, "<html></html>", NOW)
    link_persons(relinked, now=datetime(2026, 7, 1))
    full = _links(relinked)

    assert set(incremental) == set(full) and removed not in incremental
    assert _partition(incremental) == _partition(full)
    # The state the next run starts from, written as a delta, is what the full relink wrote whole: the same
    # fingerprints, and the same links (weights of pairs far from the threshold are not scored again).
    for query in ("SELECT unique_id, fingerprint, value_hashes FROM linkage_record_state ORDER BY ALL",
                  "SELECT unique_id_l, unique_id_r FROM linkage_scored_pairs WHERE match_probability >= 0.5 ORDER BY ALL"):
        assert con.execute(query).fetchall() == relinked.execute(query).fetchall()
    assert con.execute("SELECT count(*) = count(DISTINCT (unique_id_l, unique_id_r)) FROM linkage_scored_pairs"
                       ).fetchall() == [(True,)]
    _assert_drift_bounds_the_weights(con, relinked)
    # person_link is changed row by row, yet reads as written whole by this run, and so does its history.
    assert con.execute("SELECT DISTINCT run_id FROM person_link").fetchall() == [(run.run_id,)]
    history = "SELECT source, supplier_code, record_key, person_id FROM linkage_person_link_history WHERE run_id = ?"
    assert sorted(con.execute(history, [run.run_id]).fetchall()) == sorted(
        con.execute("SELECT source, supplier_code, record_key, person_id FROM person_link").fetchall())
    # Only pairs touching the held-back and corrected records were scored.
    assert 0 < run.pairs_scored < con.execute("SELECT count(*) FROM linkage_scored_pairs").fetchone()[0]  # type: ignore[index]

    # Merges: an incremental person holding records of two persons from before.
    previous_persons: dict[str, set[str]] = defaultdict(set)
    for uid, person in incremental.items():
        if uid in before:
            previous_persons[person].add(before[uid])
    assert any(len(p) > 1 for p in previous_persons.values())
    # Splits: the corrected record left its person, and the person it left still exists without it.
    old_person = before[corrected]
    others = [uid for uid, person in before.items() if person == old_person and uid != corrected and uid in incremental]
    assert others and all(incremental[uid] != incremental[corrected] for uid in others)
    assert incremental[others[0]] == old_person  # the larger part keeps the id
    # A person that kept its records from before (and perhaps gained new ones) keeps its id; most do.
    old_members = {frozenset(m) for m in _partition(before)}
    kept = [m for m in _partition(incremental) if frozenset(u for u in m if u in before) in old_members]
    assert len(kept) > 0.9 * len(old_members)
    assert all(len({before[u] for u in m if u in before} | {incremental[u] for u in m}) == 1 for m in kept)


def _assert_drift_bounds_the_weights(con: duckdb.DuckDBPyConnection, relinked: duckdb.DuckDBPyConnection) -> None:
    """Every pair the incremental run kept as it was is off a full relink's weight by no more than its drift."""
    full = relinked.sql("SELECT unique_id_l, unique_id_r, match_weight AS full_weight FROM linkage_scored_pairs")
    con.register("full_pairs", full.to_arrow_table())
    rows = con.execute(
        "SELECT abs(s.match_weight - f.full_weight), s.drift_bits + d.shared_bits, s.drift_bits + d.shared_bits > 0 "
        "FROM linkage_scored_pairs AS s JOIN full_pairs AS f USING (unique_id_l, unique_id_r) "
        "CROSS JOIN linkage_weight_drift AS d"
    ).fetchall()
    assert rows and all(off <= drift + 1e-6 for off, drift, _ in rows)
    assert any(off > 1e-9 for off, _, _ in rows)  # some weights did move without being scored again


def test_changes_are_found_by_fingerprint(population: dict[str, pa.Table]) -> None:
    con = duckdb.connect()
    load_into_warehouse(con, population)
    first = record_fingerprints(standardised_records(con), COLUMNS)
    inform = population["inform_clients"].to_pylist()
    inform[0] = {**inform[0], "date_of_birth": date(1901, 2, 3)}
    inform[1] = {**inform[1], "gender": inform[1]["gender"]}  # same values: not a change
    load_into_warehouse(con, dict(population, inform_clients=pa.Table.from_pylist(
        inform[:-1], schema=population["inform_clients"].schema)))
    changes = what_changed(record_fingerprints(standardised_records(con), COLUMNS), first)
    assert changes.changed == {_uid("inform_clients", inform[0])}
    assert changes.removed == {_uid("inform_clients", inform[-1])}
    assert not changes.new


def test_incremental_without_stored_pairs_scores_everything(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    run = link_persons(warehouse, mode="incremental", now=NOW)
    assert run.pairs_scored == warehouse.execute("SELECT count(*) FROM linkage_scored_pairs").fetchone()[0]  # type: ignore[index]
    again = link_persons(warehouse, mode="incremental", now=datetime(2026, 7, 1))
    assert again.pairs_scored == 0


def test_pairs_touching_some_records_are_a_full_predicts_pairs_touching_them(
    population: dict[str, pa.Table], trained_model: TrainedModel
) -> None:
    con = duckdb.connect()
    load_into_warehouse(con, population)
    records = standardised_records(con)
    backend = DuckDBBackend()
    try:
        full = predict_pairs(backend, records, trained_model)
        chosen = pa.array(records.column("unique_id").to_pylist()[::7], pa.string())
        touching = predict_pairs_touching(backend, records, trained_model, chosen)
    finally:
        backend.close()
    expected = full.filter(pc.or_(pc.is_in(full.column("unique_id_l"), chosen), pc.is_in(full.column("unique_id_r"), chosen)))
    assert touching.num_rows == expected.num_rows > 0
    assert touching.column("unique_id_l") == expected.column("unique_id_l")
    assert touching.column("unique_id_r") == expected.column("unique_id_r")
    # Same weights: the term frequencies are over all records, not over the chosen ones.
    differences = pc.abs(pc.subtract(touching.column("match_weight"), expected.column("match_weight")))
    assert pc.max(differences).as_py() < 1e-9


def _scored(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], float]:
    rows = con.execute("SELECT unique_id_l, unique_id_r, match_probability FROM linkage_scored_pairs").fetchall()
    return {(left, right): p for left, right, p in rows}


def test_a_name_grown_common_changes_a_stored_pairs_decision_as_a_full_relink_does(
    population: dict[str, pa.Table], trained_model: TrainedModel
) -> None:
    """The extract brings many strangers sharing one linked pair's full name: agreeing on it now counts
    for less, the pair falls below the threshold, and only re-scoring it (its level used that name's
    frequency) gives the full relink's answer."""
    con = duckdb.connect()
    load_into_warehouse(con, population)
    save_model(con, trained_model, "<html></html>", NOW)
    link_persons(con, now=NOW)
    records = standardised_records(con)
    linked = con.sql("SELECT unique_id_l, unique_id_r, match_probability, match_weight FROM linkage_scored_pairs "
                         "WHERE match_probability >= 0.5").to_arrow_table()
    levels = score_components(records, trained_model, linked)
    assert {t[2] for t in term_frequency_levels(trained_model)} == {"full_name", "last_name", "first_name"}
    gamma, full_name_level, _ = next(t for t in term_frequency_levels(trained_model) if t[2] == "full_name")
    at_full_name = linked.filter(pc.equal(levels.column(gamma), full_name_level))
    weakest = pc.sort_indices(at_full_name, [("match_weight", "ascending")])[0].as_py()
    pair = (at_full_name.column("unique_id_l")[weakest].as_py(), at_full_name.column("unique_id_r")[weakest].as_py())
    weight = at_full_name.column("match_weight")[weakest].as_py()
    full_names = records.column("full_name").to_pylist()
    name = full_names[records.column("unique_id").to_pylist().index(pair[0])]
    holders = full_names.count(name)
    # Enough strangers to move the weight two bits below the threshold (frequency up by 2^(weight + 2)).
    strangers = math.ceil(holders * 2 ** (weight + 2))
    assert strangers <= 200, "the seeded population has no weakly linked full-name pair"

    row = next(r for t, table in population.items() for r in table.to_pylist()
                             if _uid(t, r) == pair[0])
    hclic = population["hclic_people"]
    template = hclic.to_pylist()[0]
    grown = [{**template, "person_ref": f"grown-{i}", "first_name": row["first_name"], "last_name": row["last_name"],
              "date_of_birth": date(1905 + (i * 11) % 100, 1 + i % 12, 1 + (i * 5) % 28),
              **{k: None for k in ("ni_number", "chain_person_id", "other_names") if k in template}}
             for i in range(strangers)]
    tables = dict(population, hclic_people=pa.concat_tables(
        [hclic, pa.Table.from_pylist(grown, schema=hclic.schema)]))
    load_into_warehouse(con, tables)
    link_persons(con, mode="incremental", now=datetime(2026, 7, 1))

    relinked = duckdb.connect()
    load_into_warehouse(relinked, tables)
    save_model(relinked, trained_model, "<html></html>", NOW)
    link_persons(relinked, now=datetime(2026, 7, 1))

    incremental, full = _scored(con).get(pair), _scored(relinked).get(pair)
    assert (incremental is None) == (full is None)  # both below the 0.05 kept, or both scored the same
    assert incremental is None or full is not None and abs(incremental - full) < 1e-9
    assert (full or 0.0) < 0.5  # was linked before the extract
    _assert_drift_bounds_the_weights(con, relinked)
    assert _partition(_links(con)) == _partition(_links(relinked))


def test_month_after_month_the_incremental_partition_stays_a_full_relinks(
    population: dict[str, pa.Table], trained_model: TrainedModel
) -> None:
    """Three extracts in a row: the drift each run leaves unseen adds up, and the running bounds hold it."""
    def month(share: int) -> dict[str, pa.Table]:
        return {name: table.take([i for i in range(table.num_rows) if i % 10 < share])
                for name, table in population.items()}

    con = duckdb.connect()
    load_into_warehouse(con, month(6))
    save_model(con, trained_model, "<html></html>", NOW)
    link_persons(con, now=NOW)
    for number, share in enumerate((7, 8, 10), start=1):
        tables = month(share)
        load_into_warehouse(con, tables)
        run = link_persons(con, mode="incremental", now=datetime(2026, 6 + number, 1))
        relinked = duckdb.connect()
        load_into_warehouse(relinked, tables)
        save_model(relinked, trained_model, "<html></html>", NOW)
        link_persons(relinked, now=datetime(2026, 6 + number, 1))
        assert _partition(_links(con)) == _partition(_links(relinked)), f"extract {number}"
        _assert_drift_bounds_the_weights(con, relinked)
        assert run.pairs_scored < relinked.execute("SELECT count(*) FROM linkage_scored_pairs").fetchall()[0][0]
    shared = con.execute("SELECT shared_bits FROM linkage_weight_drift").fetchall()[0][0]
    assert shared > 0  # the columns' totals grew every month
