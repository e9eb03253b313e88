"""A stratified sample of scored pairs for people to label: drawn per band of match probability, stored.

The population is every pair the latest run kept (``linkage_scored_pairs``). It is cut into bands at the
review band's edges and the threshold, so each band is wholly linked or wholly not, and at 0.95 and 0.99,
where most linked pairs sit. In each band the pairs are ranked by an MD5 of the seed and the two record ids
and the first ``per_band`` are taken: the same seed over the same pairs always gives the same sample, and a
pair keeps its rank when other pairs come and go. The sample, each band's size and the seed are stored, so
the page shows the same sample until someone draws another.

Labels are the review decisions (``linkage_review_decision``), keyed by the two records: a label made in
the ordinary queue counts wherever its pair falls in the sample, and a label made on a sample pair is
obeyed by every later clustering like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from boroughhub.linkage.link_tables import ensure_link_tables
from boroughhub.linkage.model_settings import MATCH_THRESHOLD, PAIRS_KEPT_FROM, REVIEW_LOWER, REVIEW_UPPER
from boroughhub.linkage.records import PairOfRecords
from boroughhub.linkage.sample_estimate import BandLabels

PAIRS_PER_BAND = 20
# Above the review band: most linked pairs are near-certain, and a sample spread over 0.8 to 1 would
# rarely draw the few doubtful ones that pull precision down.
HIGH_EDGES = (0.95, 0.99)

SAMPLE_DDL = """
CREATE TABLE IF NOT EXISTS linkage_label_sample (
    sample_id INTEGER PRIMARY KEY,
    drawn_at TIMESTAMP NOT NULL,
    drawn_by VARCHAR NOT NULL,
    seed BIGINT NOT NULL,
    run_id VARCHAR,
    threshold DOUBLE NOT NULL,
    per_band INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS linkage_label_sample_band (
    sample_id INTEGER NOT NULL,
    band INTEGER NOT NULL,
    lower DOUBLE NOT NULL,
    upper DOUBLE NOT NULL,
    linked BOOLEAN NOT NULL,
    pairs BIGINT NOT NULL,
    PRIMARY KEY (sample_id, band)
);
CREATE TABLE IF NOT EXISTS linkage_label_sample_pair (
    sample_id INTEGER NOT NULL,
    band INTEGER NOT NULL,
    position INTEGER NOT NULL,
    unique_id_l VARCHAR NOT NULL,
    unique_id_r VARCHAR NOT NULL,
    match_probability DOUBLE NOT NULL,
    PRIMARY KEY (sample_id, unique_id_l, unique_id_r)
);
"""


class NothingToSample(ValueError):
    pass


def ensure_sample_tables(con: duckdb.DuckDBPyConnection) -> None:
    ensure_link_tables(con)
    con.execute(SAMPLE_DDL)


@dataclass(frozen=True)
class SampleBand:
    band: int
    lower: float
    upper: float  # the last band includes 1.0 itself
    linked: bool
    pairs: int

    @property
    def label(self) -> str:
        return f"{self.lower:.2f} to {self.upper:.2f}"


@dataclass(frozen=True)
class SamplePair(PairOfRecords):
    band: int
    position: int  # in the sample's order, from 1: bands shuffled together, so the order says nothing of the score
    unique_id_l: str
    unique_id_r: str
    probability: float
    label: str | None  # the latest decision: "same", "not_same" or None


@dataclass(frozen=True)
class LabelSample:
    sample_id: int
    drawn_at: datetime
    seed: int
    run_id: str | None
    threshold: float
    per_band: int
    bands: tuple[SampleBand, ...]
    pairs: tuple[SamplePair, ...]

    def band_labels(self) -> list[BandLabels]:
        """Each band's size and labels, for ``estimate_from_sample``."""
        return [BandLabels(b.lower, b.upper, b.linked, b.pairs,
                           labelled=sum(1 for p in self.pairs if p.band == b.band and p.label),
                           same=sum(1 for p in self.pairs if p.band == b.band and p.label == "same"))
                for b in self.bands]

    def unlabelled(self) -> list[SamplePair]:
        return [p for p in self.pairs if p.label is None]


def band_edges(threshold: float = MATCH_THRESHOLD) -> list[float]:
    """Edges from the lowest kept probability to 1, split at the review band, the threshold and above."""
    inner = {REVIEW_LOWER, threshold, REVIEW_UPPER, *HIGH_EDGES}
    return [PAIRS_KEPT_FROM, *sorted(e for e in inner if PAIRS_KEPT_FROM < e < 1.0), 1.0]


def _band_case(edges: Sequence[float]) -> str:
    """SQL giving a probability's band number; edges are our own floats, not user input."""
    whens = " ".join(f"WHEN match_probability < {edge!r} THEN {i}" for i, edge in enumerate(edges[1:-1]))
    return f"CASE {whens} ELSE {len(edges) - 2} END"


def draw_sample(con: duckdb.DuckDBPyConnection, seed: int, drawn_by: str, now: datetime,
                per_band: int = PAIRS_PER_BAND, threshold: float | None = None) -> int:
    """Draw and store a sample of the latest run's scored pairs; returns its id (the newest sample is shown)."""
    if per_band < 1:
        raise ValueError("Draw at least one pair per band.")
    ensure_sample_tables(con)
    run = con.execute("SELECT run_id, threshold FROM linkage_run ORDER BY started_at DESC LIMIT 1").fetchone()
    scored = con.execute("SELECT count(*) FROM linkage_scored_pairs").fetchone()
    if not scored or not scored[0]:
        raise NothingToSample("No linkage run has scored any pairs yet: link the records first, then draw a sample.")
    run_id = run[0] if run else None
    threshold = threshold if threshold is not None else (float(run[1]) if run else MATCH_THRESHOLD)
    edges = band_edges(threshold)
    band_of = _band_case(edges)
    row = con.execute("SELECT coalesce(max(sample_id), 0) + 1 FROM linkage_label_sample").fetchone()
    sample_id = int(row[0]) if row else 1
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("INSERT INTO linkage_label_sample VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [sample_id, now, drawn_by, seed, run_id, threshold, per_band])
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE linkage_tmp_banded AS
            SELECT unique_id_l, unique_id_r, match_probability, {band_of} AS band,
                   md5(CAST(? AS VARCHAR) || '|' || unique_id_l || '|' || unique_id_r) AS draw_order
            FROM linkage_scored_pairs WHERE match_probability >= ?
            """,
            [seed, edges[0]],
        )
        sizes = dict(con.execute("SELECT band, count(*) FROM linkage_tmp_banded GROUP BY band").fetchall())
        con.executemany("INSERT INTO linkage_label_sample_band VALUES (?, ?, ?, ?, ?, ?)",
                        [[sample_id, i, lower, upper, lower >= threshold, int(sizes.get(i, 0))]
                         for i, (lower, upper) in enumerate(zip(edges[:-1], edges[1:], strict=True))])
        con.execute(
            """
            INSERT INTO linkage_label_sample_pair
            SELECT ?, band, row_number() OVER (ORDER BY draw_order), unique_id_l, unique_id_r, match_probability
            FROM (SELECT * FROM linkage_tmp_banded
                  QUALIFY row_number() OVER (PARTITION BY band ORDER BY draw_order) <= ?)
            """,
            [sample_id, per_band],
        )
        con.execute("DROP TABLE linkage_tmp_banded")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return sample_id


def load_sample(con: duckdb.DuckDBPyConnection, sample_id: int | None = None) -> LabelSample | None:
    """The given sample (or the newest) with each pair's latest label; None before any was drawn."""
    ensure_sample_tables(con)
    where, params = ("WHERE sample_id = ?", [sample_id]) if sample_id is not None else ("", [])
    row = con.execute(
        f"SELECT sample_id, drawn_at, seed, run_id, threshold, per_band FROM linkage_label_sample {where} "
        "ORDER BY sample_id DESC LIMIT 1", params).fetchone()
    if row is None:
        return None
    bands = tuple(SampleBand(int(b), float(lo), float(hi), bool(linked), int(n)) for b, lo, hi, linked, n in con.execute(
        "SELECT band, lower, upper, linked, pairs FROM linkage_label_sample_band WHERE sample_id = ? ORDER BY band",
        [row[0]]).fetchall())
    pairs = tuple(SamplePair(int(b), int(pos), left, right, float(p), label) for b, pos, left, right, p, label in con.execute(
        """
        WITH latest AS (
            SELECT unique_id_l, unique_id_r, arg_max(decision, decided_at) AS decision
            FROM linkage_review_decision GROUP BY unique_id_l, unique_id_r
        )
        SELECT s.band, s.position, s.unique_id_l, s.unique_id_r, s.match_probability, l.decision
        FROM linkage_label_sample_pair AS s LEFT JOIN latest AS l USING (unique_id_l, unique_id_r)
        WHERE s.sample_id = ? ORDER BY s.position
        """, [row[0]]).fetchall())
    return LabelSample(int(row[0]), row[1], int(row[2]), row[3], float(row[4]), int(row[5]), bands, pairs)


def latest_run_id(con: duckdb.DuckDBPyConnection) -> str | None:
    ensure_link_tables(con)
    row = con.execute("SELECT run_id FROM linkage_run ORDER BY started_at DESC LIMIT 1").fetchone()
    return str(row[0]) if row else None
