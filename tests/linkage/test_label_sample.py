"""The stratified label sample: drawn per band from the latest run's pairs, stable for a seed, stored."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from boroughhub.linkage.label_sample import (
    NothingToSample,
    band_edges,
    draw_sample,
    ensure_sample_tables,
    load_sample,
)
from boroughhub.linkage.review import record_decision

AT = dt.datetime(2026, 11, 1, 9, 0)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """A run's scored pairs: 300 pairs spread evenly over probabilities 0.05 to 1."""
    con = duckdb.connect()
    ensure_sample_tables(con)
    con.execute("INSERT INTO linkage_run VALUES ('run-1', ?, ?, 'full', 'duckdb', 1, 0.5, 0.2, 600, 600, 400, 300, 10)",
                [AT, AT])
    con.executemany("INSERT INTO linkage_scored_pairs (unique_id_l, unique_id_r, match_probability, match_weight, run_id) "
                    "VALUES (?, ?, ?, 0.0, 'run-1')",
                    [[f"chain:s:{i:04d}", f"hclic:s:{i:04d}", 0.05 + 0.95 * i / 299] for i in range(300)])
    return con


def test_bands_split_at_the_review_band_and_the_threshold() -> None:
    assert band_edges(0.5) == [0.05, 0.2, 0.5, 0.8, 0.95, 0.99, 1.0]
    assert band_edges(0.7) == [0.05, 0.2, 0.7, 0.8, 0.95, 0.99, 1.0]


def test_the_sample_is_drawn_per_band_and_stored(con: duckdb.DuckDBPyConnection) -> None:
    assert load_sample(con) is None
    sample_id = draw_sample(con, seed=11, drawn_by="7", now=AT, per_band=5)
    sample = load_sample(con)
    assert sample is not None and sample.sample_id == sample_id and sample.run_id == "run-1"
    assert [b.label for b in sample.bands] == ["0.05 to 0.20", "0.20 to 0.50", "0.50 to 0.80", "0.80 to 0.95",
                                               "0.95 to 0.99", "0.99 to 1.00"]
    assert [b.linked for b in sample.bands] == [False, False, True, True, True, True]
    assert sum(b.pairs for b in sample.bands) == 300
    # Evenly spread pairs: a band's size follows its width (0.15 of 0.95 -> about 47 pairs).
    assert sample.bands[0].pairs == pytest.approx(300 * 0.15 / 0.95, abs=1)
    by_band = {b.band: [p for p in sample.pairs if p.band == b.band] for b in sample.bands}
    # Five per band, or the whole band where it holds fewer (0.99 to 1: four pairs).
    assert [len(v) for v in by_band.values()] == [min(5, b.pairs) for b in sample.bands] == [5, 5, 5, 5, 5, 4]
    for band in sample.bands:
        assert all(band.lower <= p.probability <= band.upper for p in by_band[band.band])
    assert [p.position for p in sample.pairs] == list(range(1, 30))


def test_the_same_seed_draws_the_same_pairs_and_another_seed_others(con: duckdb.DuckDBPyConnection) -> None:
    def drawn(seed: int) -> list[tuple[str, str]]:
        sample = load_sample(con, draw_sample(con, seed=seed, drawn_by="7", now=AT, per_band=5))
        assert sample is not None
        return [(p.unique_id_l, p.unique_id_r) for p in sample.pairs]

    first = drawn(11)
    assert drawn(11) == first
    assert drawn(12) != first
    # Stored: the first sample reads back unchanged after others were drawn.
    again = load_sample(con, 1)
    assert again is not None and [(p.unique_id_l, p.unique_id_r) for p in again.pairs] == first


def test_labels_from_the_queue_count_where_their_pair_is_in_the_sample(con: duckdb.DuckDBPyConnection) -> None:
    sample = load_sample(con, draw_sample(con, seed=3, drawn_by="7", now=AT, per_band=4))
    assert sample is not None
    top = [p for p in sample.pairs if p.band == 5]
    record_decision(con, top[0].unique_id_l, top[0].unique_id_r, "same", "reviewer", AT)
    record_decision(con, top[1].unique_id_l, top[1].unique_id_r, "not_same", "reviewer", AT)
    record_decision(con, "chain:s:9999", "hclic:s:9999", "same", "reviewer", AT)  # not in the sample
    labelled = load_sample(con)
    assert labelled is not None
    top_band = labelled.band_labels()[5]
    assert (top_band.labelled, top_band.same, top_band.pairs) == (2, 1, labelled.bands[5].pairs)
    assert sum(b.labelled for b in labelled.band_labels()) == 2
    assert len(labelled.unlabelled()) == len(labelled.pairs) - 2


def test_a_sample_needs_a_pair_per_band_and_scored_pairs(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="at least one pair per band"):
        draw_sample(con, seed=1, drawn_by="7", now=AT, per_band=0)
    con.execute("DELETE FROM linkage_scored_pairs")
    with pytest.raises(NothingToSample, match="link the records first"):
        draw_sample(con, seed=1, drawn_by="7", now=AT)
    assert load_sample(con) is None  # nothing half-drawn is left behind
