"""The bound on how far changed term frequencies can have moved a stored pair's weight."""

from __future__ import annotations

import math

import pyarrow as pa

from boroughhub.linkage.train import TrainedModel
from boroughhub.linkage.weight_drift import adjusted_only_at_exact_matches, pairs_that_may_have_crossed


def _fingerprints(holds: dict[str, list[str]]) -> pa.Table:
    return pa.table({"unique_id": list(holds), "fingerprint": ["f"] * len(holds),
                     "value_hashes": pa.array(list(holds.values()), pa.list_(pa.string()))})


def _kept(pairs: list[tuple[str, str, float]]) -> pa.Table:
    return pa.table({"unique_id_l": [p[0] for p in pairs], "unique_id_r": [p[1] for p in pairs],
                     "match_weight": [p[2] for p in pairs], "drift_bits": [0.0] * len(pairs)})


def _crossed(kept: pa.Table, exact: bool = True, shared_bits: float = 0.0) -> tuple[frozenset[str], dict[str, float], float]:
    # a, b and the new n are called "x" (hash hx); c and d "y" (hy). x grows from 2 to 3 holders.
    now = {"a": ["hx"], "b": ["hx"], "c": ["hy"], "d": ["hy"], "n": ["hx"]}
    records = pa.table({"first_name": ["x", "x", "y", "y", "x"]})
    drift = pairs_that_may_have_crossed(kept, records, ["first_name"], 1.0, _fingerprints(now),
                                        _fingerprints({k: v for k, v in now.items() if k != "n"}),
                                        frozenset({"n"}), frozenset(), 0.5, shared_bits, exact)
    moved = {left + right: bits for left, right, bits in zip(*(drift.pair_drift.column(c).to_pylist()
                                                     for c in ("unique_id_l", "unique_id_r", "bits")), strict=True)}
    return drift.records_to_score, moved, drift.shared_bits


def test_a_pair_is_scored_again_only_if_its_values_can_have_moved_it_across() -> None:
    x_moved = math.log2(3 / 2)  # 0.585 bits: x's share before against now
    column_moved = math.log2(5 / 4)  # 0.32 bits: every share, the column having one more value
    records, moved, shared = _crossed(_kept([("a", "b", 0.5), ("c", "d", 0.5)]))
    assert records == {"a", "b"}  # 0.5 bits from the threshold, x moved 0.585 + 0.32
    assert list(moved) == ["ab"] and math.isclose(moved["ab"], x_moved) and math.isclose(shared, column_moved)
    # Further from the threshold than both bounds: kept as it was, with its drift noted.
    records, moved, _ = _crossed(_kept([("a", "b", 0.95), ("c", "d", -0.3)]))
    assert records == {"c", "d"} and list(moved) == ["ab"]
    # What earlier runs left unseen counts too.
    records, _, _ = _crossed(_kept([("c", "d", 0.9)]), shared_bits=0.6)
    assert records == {"c", "d"}


def test_adjustments_away_from_exact_matches_count_the_values_either_record_holds(
    trained_model: TrainedModel,
) -> None:
    assert adjusted_only_at_exact_matches(trained_model)
    pair = _kept([("a", "c", 0.8)])
    assert _crossed(pair)[0] == frozenset()
    assert _crossed(pair, exact=False)[0] == {"a", "c"}  # 0.585 + 0.32 >= 0.8


def test_a_level_that_also_needs_the_same_value_counts_as_an_exact_match() -> None:
    from boroughhub.linkage.weight_drift import _requires_equal

    assert _requires_equal('"first_name_l" = "first_name_r"', "first_name")
    assert _requires_equal('("first_name_l" = "first_name_r") AND (last_name_l IS NULL OR last_name_r IS NULL)',
                           "first_name")
    assert not _requires_equal('"first_name_l" = "first_name_r" OR last_name_l IS NULL', "first_name")
    assert not _requires_equal("jaro_winkler_similarity(first_name_l, first_name_r) >= 0.92", "first_name")
    assert not _requires_equal('"last_name_l" = "last_name_r"', "first_name")
