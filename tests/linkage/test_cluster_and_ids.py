from __future__ import annotations

import itertools

import pyarrow as pa

from boroughhub.linkage.accuracy import measure
from boroughhub.linkage.cluster import cluster_records
from boroughhub.linkage.stable_ids import assign_person_ids


def _pairs(rows: list[tuple[str, str, float]]) -> pa.Table:
    return pa.table(
        {
            "unique_id_l": [r[0] for r in rows],
            "unique_id_r": [r[1] for r in rows],
            "match_probability": [r[2] for r in rows],
        }
    )


def test_connected_components_at_threshold() -> None:
    clusters = cluster_records(["a", "b", "c", "d"], _pairs([("a", "b", 0.99), ("b", "c", 0.7), ("c", "d", 0.2)]), 0.5)
    assert clusters == {"a": "a", "b": "a", "c": "a", "d": "d"}


def test_not_same_decision_breaks_a_chain_at_its_weakest_link() -> None:
    pairs = _pairs([("a", "b", 0.99), ("b", "c", 0.6), ("c", "d", 0.98)])
    clusters = cluster_records(["a", "b", "c", "d"], pairs, 0.5, not_same=[("a", "d")])
    assert clusters == {"a": "a", "b": "a", "c": "c", "d": "c"}


def test_same_decision_links_below_threshold() -> None:
    clusters = cluster_records(["a", "b"], _pairs([("a", "b", 0.1)]), 0.5, same=[("a", "b")])
    assert clusters == {"a": "a", "b": "a"}


def test_groups_kept_apart_are_never_merged() -> None:
    pairs = _pairs([("a", "n", 0.9), ("b", "n", 0.95)])
    clusters = cluster_records(["a", "b", "n"], pairs, 0.5, keep_apart={"a": "P1", "b": "P2"})
    assert clusters["n"] == clusters["b"] != clusters["a"]


def test_ids_persist_split_and_merge() -> None:
    previous = {"a": "P1", "b": "P1", "c": "P1", "d": "P2", "e": "P3"}
    counter = itertools.count()
    # c splits off P1; d and e merge (P2 is older); f is new.
    clusters = {"a": "a", "b": "a", "c": "c", "d": "d", "e": "d", "f": "f"}
    ids = assign_person_ids(clusters, previous, {"P1": 0, "P2": 1, "P3": 2}, lambda: f"N{next(counter)}")
    assert ids["a"] == ids["b"] == "P1"
    assert ids["d"] == ids["e"] == "P2"
    assert ids["c"].startswith("N") and ids["f"].startswith("N") and ids["c"] != ids["f"]


def test_accuracy_measures() -> None:
    truth = {"a": "1", "b": "1", "c": "2", "d": "2"}
    perfect = measure({"a": "x", "b": "x", "c": "y", "d": "y"}, truth)
    assert (perfect.precision, perfect.recall, perfect.f1, perfect.cluster_f1) == (1.0, 1.0, 1.0, 1.0)
    lumped = measure({r: "x" for r in truth}, truth)
    assert lumped.recall == 1.0 and lumped.precision == 2 / 6 and lumped.cluster_f1 == 0.0
