"""The clerical review queue as a reviewer works through it: filtered, ordered, paged, "N of M".

Order: the pairs whose decision changes the most records' person come first. A pair whose two records
are in one person today would split that person if judged "not the same", so it affects every record of
that person; a pair in two persons would merge both if judged "the same", so it affects the records of
both. Ties go to the most uncertain pair (probability nearest 0.5), then to the record ids, so the order
is stable from one page to the next. (docs/decisions/0060-review-queue-order-and-explanations.md)
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from boroughhub.linkage.link_tables import ensure_link_tables
from boroughhub.linkage.model_settings import MATCH_THRESHOLD, REVIEW_LOWER, REVIEW_UPPER
from boroughhub.linkage.records import PairOfRecords

PAGE_SIZE = 50


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    lower: float
    upper: float


def _bands() -> tuple[Band, ...]:
    """Four bands of match probability: the review band split at the threshold, each half split again."""
    low_mid = (REVIEW_LOWER + MATCH_THRESHOLD) / 2
    high_mid = (MATCH_THRESHOLD + REVIEW_UPPER) / 2
    edges = [
        ("unlikely", "Unlikely", REVIEW_LOWER, low_mid),
        ("leaning-different", "Leaning different", low_mid, MATCH_THRESHOLD),
        ("leaning-same", "Leaning same (linked)", MATCH_THRESHOLD, high_mid),
        ("likely", "Likely (linked)", high_mid, REVIEW_UPPER),
    ]
    return tuple(Band(code, f"{label}: {lo:.2f} to {hi:.2f}", lo, hi) for code, label, lo, hi in edges)


BANDS = _bands()


@dataclass(frozen=True)
class QueueFilter:
    """What the reviewer narrowed the queue to; ``None`` is everything."""

    source: str | None = None
    supplier: str | None = None
    band: str | None = None


@dataclass(frozen=True)
class QueuedPair(PairOfRecords):
    unique_id_l: str
    unique_id_r: str
    probability: float
    records_affected: int


@dataclass(frozen=True)
class QueuePage:
    pairs: list[QueuedPair]
    total: int
    page: int
    page_count: int
    first_position: int  # the queue position of pairs[0], counting from 1


_ORDERED_QUEUE = """
WITH links AS (
    SELECT source || ':' || supplier_code || ':' || record_key AS unique_id, person_id FROM person_link
),
sizes AS (SELECT person_id, count(*) AS records FROM person_link GROUP BY person_id),
queue AS (
    SELECT q.unique_id_l, q.unique_id_r, q.match_probability,
           split_part(q.unique_id_l, ':', 1) AS source_l, split_part(q.unique_id_r, ':', 1) AS source_r,
           split_part(q.unique_id_l, ':', 2) AS supplier_l, split_part(q.unique_id_r, ':', 2) AS supplier_r,
           CASE WHEN pl.person_id IS NOT NULL AND pl.person_id = pr.person_id THEN coalesce(sl.records, 1)
                ELSE coalesce(sl.records, 1) + coalesce(sr.records, 1) END AS records_affected
    FROM linkage_review_queue AS q
    LEFT JOIN links AS pl ON pl.unique_id = q.unique_id_l
    LEFT JOIN links AS pr ON pr.unique_id = q.unique_id_r
    LEFT JOIN sizes AS sl ON sl.person_id = pl.person_id
    LEFT JOIN sizes AS sr ON sr.person_id = pr.person_id
    WHERE q.status = 'open'
)
SELECT unique_id_l, unique_id_r, match_probability, records_affected FROM queue
WHERE {where}
ORDER BY records_affected DESC, abs(match_probability - 0.5), unique_id_l, unique_id_r
"""


def _where(chosen: QueueFilter) -> tuple[str, list[object]]:
    clauses: list[str] = ["TRUE"]
    params: list[object] = []
    if chosen.source:
        clauses.append("(source_l = ? OR source_r = ?)")
        params += [chosen.source, chosen.source]
    if chosen.supplier:
        clauses.append("(supplier_l = ? OR supplier_r = ?)")
        params += [chosen.supplier, chosen.supplier]
    if chosen.band:
        band = next((b for b in BANDS if b.code == chosen.band), None)
        if band is None:
            raise ValueError(f"No band {chosen.band!r}; bands are {', '.join(b.code for b in BANDS)}.")
        clauses.append("match_probability >= ? AND match_probability < ?")
        params += [band.lower, band.upper]
    return " AND ".join(clauses), params


def _pairs(rows: list[tuple[str, str, float, int]]) -> list[QueuedPair]:
    return [QueuedPair(a, b, float(p), int(n)) for a, b, p, n in rows]


def queue_page(con: duckdb.DuckDBPyConnection, chosen: QueueFilter, page: int, page_size: int = PAGE_SIZE) -> QueuePage:
    """One page (from 1) of the open pairs ``chosen`` selects, in review order; a page past the end is the last."""
    ensure_link_tables(con)
    where, params = _where(chosen)
    sql = _ORDERED_QUEUE.format(where=where)
    count = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
    total = int(count[0]) if count else 0
    page_count = max(1, -(-total // page_size))
    page = min(max(1, page), page_count)
    offset = (page - 1) * page_size
    rows = con.execute(f"{sql} LIMIT ? OFFSET ?", [*params, page_size, offset]).fetchall()
    return QueuePage(_pairs(rows), total, page, page_count, offset + 1)


def ordered_pairs(con: duckdb.DuckDBPyConnection, chosen: QueueFilter) -> list[QueuedPair]:
    """Every open pair ``chosen`` selects, in review order (for "N of M", next and skip)."""
    ensure_link_tables(con)
    where, params = _where(chosen)
    return _pairs(con.execute(_ORDERED_QUEUE.format(where=where), params).fetchall())


def filter_options(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """The sources and suppliers that have open pairs: what the filter offers (nothing that selects no pair)."""
    ensure_link_tables(con)
    rows = con.execute(
        """
        SELECT DISTINCT split_part(uid, ':', 1), split_part(uid, ':', 2) FROM (
            SELECT unique_id_l AS uid FROM linkage_review_queue WHERE status = 'open'
            UNION ALL SELECT unique_id_r FROM linkage_review_queue WHERE status = 'open')
        """
    ).fetchall()
    return sorted({r[0] for r in rows}), sorted({r[1] for r in rows})
