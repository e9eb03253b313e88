"""The review queue a person can keep up with: every pair reachable page by page, the pairs that change
most persons first, filters by source, supplier and band, and "N of M" consistent with the pages."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from boroughhub.linkage.link_tables import ensure_link_tables
from boroughhub.linkage.review import record_decision
from boroughhub.linkage.review_queue import BANDS, QueueFilter, filter_options, ordered_pairs, queue_page

QUEUED_AT = dt.datetime(2026, 11, 1, 9, 0)


def _person(con: duckdb.DuckDBPyConnection, person_id: str, *unique_ids: str) -> None:
    for uid in unique_ids:
        source, supplier, key = uid.split(":", 2)
        con.execute("INSERT INTO person_link VALUES (?, ?, ?, ?, 0.9, ?, 'run-1')",
                    [source, supplier, key, person_id, QUEUED_AT])


def _queue(con: duckdb.DuckDBPyConnection, left: str, right: str, probability: float) -> None:
    left, right = sorted((left, right))
    con.execute("INSERT INTO linkage_review_queue VALUES (?, ?, ?, 0.0, 'run-1', ?, 'open')",
                [left, right, probability, QUEUED_AT])


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_link_tables(con)
    return con


def test_pairs_that_change_most_records_come_first_then_the_most_uncertain(con: duckdb.DuckDBPyConnection) -> None:
    # P-big has 5 records; a pair inside it would split it (5 records affected).
    _person(con, "P-big", *(f"chain:chain_london:B{i}" for i in range(5)))
    # P-a (2 records) and P-b (1 record): a pair across them would merge them (3 records affected).
    _person(con, "P-a", "chain:chain_london:A1", "inform:provider-a:A2")
    _person(con, "P-b", "hclic:E09000007:B1")
    # Two lone records (2 affected), one pair more uncertain than the other.
    _person(con, "P-c", "hclic:E09000007:C1")
    _person(con, "P-d", "hclic:E09000033:D1")
    _person(con, "P-e", "inform:provider-b:E1")
    _queue(con, "hclic:E09000007:C1", "hclic:E09000033:D1", 0.30)  # lone pair, |p - 0.5| = 0.20
    _queue(con, "hclic:E09000007:C1", "inform:provider-b:E1", 0.55)  # lone pair, |p - 0.5| = 0.05
    _queue(con, "chain:chain_london:A1", "hclic:E09000007:B1", 0.70)  # merge: 3 records
    _queue(con, "chain:chain_london:B0", "chain:chain_london:B3", 0.75)  # split: 5 records

    order = [(p.unique_id_l, p.unique_id_r, p.records_affected) for p in ordered_pairs(con, QueueFilter())]
    assert order == [
        ("chain:chain_london:B0", "chain:chain_london:B3", 5),
        ("chain:chain_london:A1", "hclic:E09000007:B1", 3),
        ("hclic:E09000007:C1", "inform:provider-b:E1", 2),
        ("hclic:E09000007:C1", "hclic:E09000033:D1", 2),
    ]


def test_every_open_pair_is_reachable_page_by_page_in_the_same_order(con: duckdb.DuckDBPyConnection) -> None:
    for i in range(230):  # more than the old 200-pair cut-off
        _queue(con, f"chain:chain_london:L{i:03d}", f"hclic:E09000007:R{i:03d}", 0.2 + (i % 60) / 100)
    everything = ordered_pairs(con, QueueFilter())
    seen = []
    for number in range(1, 6):
        page = queue_page(con, QueueFilter(), number, page_size=50)
        assert page.total == 230 and page.page_count == 5 and page.page == number
        assert page.first_position == (number - 1) * 50 + 1
        seen += page.pairs
    assert len(seen) == 230 and seen == everything
    assert len(queue_page(con, QueueFilter(), 5, page_size=50).pairs) == 30
    # A page past the end (a stale link after decisions) shows the last page, not an empty one.
    assert queue_page(con, QueueFilter(), 99, page_size=50).page == 5
    assert queue_page(con, QueueFilter(), 0, page_size=50).page == 1


def test_decided_pairs_leave_the_queue_and_the_rest_move_up(con: duckdb.DuckDBPyConnection) -> None:
    for i in range(60):
        _queue(con, f"chain:chain_london:L{i:02d}", f"hclic:E09000007:R{i:02d}", 0.2 + i / 100)
    first = queue_page(con, QueueFilter(), 1, page_size=50).pairs[0]
    record_decision(con, first.unique_id_l, first.unique_id_r, "same", "reviewer-1", QUEUED_AT)
    after = ordered_pairs(con, QueueFilter())
    assert len(after) == 59 and first not in after
    assert queue_page(con, QueueFilter(), 2, page_size=50).pairs[-1] == after[-1]


def test_filters_by_source_supplier_and_band(con: duckdb.DuckDBPyConnection) -> None:
    _queue(con, "chain:chain_london:C1", "hclic:E09000007:H1", 0.25)
    _queue(con, "chain:chain_london:C2", "inform:provider-a:I1", 0.45)
    _queue(con, "inform:provider-a:I2", "hclic:E09000033:H2", 0.55)
    _queue(con, "inform:provider-b:I3", "inform:provider-a:I4", 0.75)

    def keys(chosen: QueueFilter) -> set[str]:
        return {p.unique_id_l.split(":")[-1] + "-" + p.unique_id_r.split(":")[-1] for p in ordered_pairs(con, chosen)}

    assert keys(QueueFilter(source="chain")) == {"C1-H1", "C2-I1"}
    assert keys(QueueFilter(source="hclic")) == {"C1-H1", "H2-I2"}
    assert keys(QueueFilter(supplier="provider-a")) == {"C2-I1", "H2-I2", "I4-I3"}
    assert keys(QueueFilter(supplier="E09000033")) == {"H2-I2"}
    by_band = {b.code: keys(QueueFilter(band=b.code)) for b in BANDS}
    assert by_band == {"unlikely": {"C1-H1"}, "leaning-different": {"C2-I1"}, "leaning-same": {"H2-I2"},
                       "likely": {"I4-I3"}}
    assert keys(QueueFilter(source="inform", supplier="provider-a", band="likely")) == {"I4-I3"}
    page = queue_page(con, QueueFilter(source="inform"), 1)
    assert page.total == 3 and page.page_count == 1
    assert filter_options(con) == (["chain", "hclic", "inform"],
                                   ["E09000007", "E09000033", "chain_london", "provider-a", "provider-b"])
    with pytest.raises(ValueError, match="No band"):
        ordered_pairs(con, QueueFilter(band="nonsense"))


def test_bands_cover_the_review_band_without_gaps() -> None:
    from boroughhub.linkage.model_settings import MATCH_THRESHOLD, REVIEW_LOWER, REVIEW_UPPER

    assert BANDS[0].lower == REVIEW_LOWER and BANDS[-1].upper == REVIEW_UPPER
    assert all(a.upper == b.lower for a, b in zip(BANDS, BANDS[1:], strict=False))
    assert MATCH_THRESHOLD in {b.lower for b in BANDS}
