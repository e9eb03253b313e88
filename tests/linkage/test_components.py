"""Clustering again only the components an incremental run's changes reach gives a full relink's partition."""

from __future__ import annotations

import random
from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from boroughhub.linkage.cluster import cluster_records
from boroughhub.linkage.components import records_to_recluster

THRESHOLD = 0.5


def _pairs(rows: list[tuple[str, str, float]]) -> pa.Table:
    return pa.table({"unique_id_l": pa.array([r[0] for r in rows], pa.string()),
                     "unique_id_r": pa.array([r[1] for r in rows], pa.string()),
                     "match_probability": pa.array([r[2] for r in rows], pa.float64())})


def _reached(ids: list[str], previous: dict[str, str], pairs: pa.Table, touched: set[str],
             lost: set[str] = frozenset(), same: list[tuple[str, str]] = ()) -> set[str]:  # type: ignore[assignment]
    mask = records_to_recluster(pa.array(ids, pa.string()), pa.array([previous.get(i) for i in ids], pa.string()),
                                pairs, THRESHOLD, touched, lost, same)
    return {uid for uid, chosen in zip(ids, mask.tolist(), strict=True) if chosen}


def test_only_the_persons_a_change_reaches_are_taken() -> None:
    ids = ["a", "b", "c", "d", "e", "f", "n"]
    previous = {"a": "P1", "b": "P1", "c": "P1", "d": "P2", "e": "P2", "f": "P3"}
    pairs = _pairs([("a", "b", 0.9), ("b", "c", 0.8), ("d", "e", 0.95), ("f", "n", 0.7), ("a", "d", 0.2)])
    # A new record linking to f reaches f's person only; a pair below the threshold joins nothing.
    assert _reached(ids, previous, pairs, {"n", "f"}) == {"f", "n"}
    # c changed and its link went: its whole previous person is taken (the rest of it must keep P1 or not).
    without_c = pairs.filter(pc.invert(pc.or_(pc.equal(pairs.column("unique_id_l"), "c"),
                                              pc.equal(pairs.column("unique_id_r"), "c"))))
    assert _reached(ids, previous, without_c, {"c"}) == {"a", "b", "c"}
    # A person that lost a record that is gone is taken whole; so is a clerical decision's component.
    assert _reached(ids, previous, pairs, set(), lost={"P2"}) == {"d", "e"}
    assert _reached(ids, previous, pairs, {"a", "f"}, same=[("a", "f")]) == {"a", "b", "c", "f", "n"}


def test_persons_split_by_a_not_same_decision_are_taken_together() -> None:
    ids = ["a", "b", "c", "d"]
    # One linked component that a "not the same" decision (a, d) split into two persons.
    previous = {"a": "P1", "b": "P1", "c": "P2", "d": "P2"}
    pairs = _pairs([("a", "b", 0.99), ("b", "c", 0.6), ("c", "d", 0.98)])
    assert _reached(ids, previous, pairs, {"a"}) == {"a", "b", "c", "d"}


def _partition(labels: dict[str, str]) -> set[frozenset[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for uid, label in labels.items():
        members[label].add(uid)
    return {frozenset(m) for m in members.values()}


@pytest.mark.parametrize("seed", range(12))
def test_clustering_the_reached_records_again_gives_a_full_clusterings_partition(seed: int) -> None:
    """Random graphs, previous persons from clustering them, then an extract: some records scored again
    (their pairs dropped and new ones scored), some gone, some new, with clerical decisions both ways."""
    rng = random.Random(seed)
    ids = [f"r{i:03d}" for i in range(150)]

    def random_pairs(left: list[str], right: list[str], count: int) -> list[tuple[str, str, float]]:
        found = {}
        for _ in range(count):
            a, b = rng.choice(left), rng.choice(right)
            if a != b:
                found[tuple(sorted((a, b)))] = rng.choice([0.1, 0.4, 0.55, 0.8, 0.99])
        return [(a, b, p) for (a, b), p in found.items()]

    old_pairs = random_pairs(ids, ids, 140)
    same = [tuple(sorted(rng.sample(ids, 2))) for _ in range(3)]
    not_same = [tuple(sorted(rng.sample(ids, 2))) for _ in range(6)]
    previous = cluster_records(ids, _pairs(old_pairs), THRESHOLD, same, not_same)  # type: ignore[arg-type]

    rescored = set(rng.sample(ids, 6))
    gone = set(rng.sample(sorted(set(ids) - rescored), 4))
    new = [f"n{i:02d}" for i in range(8)]
    now_ids = sorted((set(ids) - gone) | set(new))
    kept = [p for p in old_pairs if not ({p[0], p[1]} & (rescored | gone))]
    scored = random_pairs(sorted(rescored) + new, now_ids, 30)
    pairs = _pairs(kept + scored)
    same_now = [p for p in same if not set(p) & gone]
    not_same_now = [p for p in not_same if not set(p) & gone]

    full = cluster_records(now_ids, pairs, THRESHOLD, same_now, not_same_now)  # type: ignore[arg-type]

    touched = rescored | set(new) | {uid for a, b, p in scored if p >= THRESHOLD for uid in (a, b)} | {
        uid for pair in same_now + not_same_now for uid in pair}
    again = _reached(now_ids, previous, pairs, touched, {previous[g] for g in gone}, same_now)  # type: ignore[arg-type]
    within = pairs.filter(pc.and_(pc.is_in(pairs.column("unique_id_l"), pa.array(sorted(again), pa.string())),
                                  pc.is_in(pairs.column("unique_id_r"), pa.array(sorted(again), pa.string()))))
    reclustered = cluster_records(sorted(again), within, THRESHOLD, same_now, not_same_now)  # type: ignore[arg-type]
    incremental = {uid: ("again", reclustered[uid]) if uid in again else ("kept", previous[uid]) for uid in now_ids}

    assert _partition({u: str(v) for u, v in incremental.items()}) == _partition(full)
    assert len(again) < len(now_ids)  # the test would prove nothing if every record were taken
