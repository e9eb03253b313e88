"""The two engines behind ``GuidanceSearchEngine``: SQLite FTS5 (demo, tests) and PostgreSQL full-text
search (production). Each turns the same ``GuidanceQuery`` into one SQL statement over its own index
(migration 0002) and returns ``GuidanceHit``s in rank order; ``search_guidance`` picks the engine of the
database in use, so the page and the command line always agree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection

from boroughhub.network.clock import london_today
from boroughhub.network.guidance.search import (
    COLUMN_WEIGHTS,
    LEAD_TIERS,
    GuidanceHit,
    GuidanceQuery,
    GuidanceSearchEngine,
    fts5_match,
    fts5_tier_match,
    topics_of,
    tsquery_text,
)
from boroughhub.network.guidance.versions import is_stale

_COLUMNS = ("d.slug, d.title, d.summary, d.version, u.display_name, u.email, d.organisation_id, d.review_on, "
            "d.topics")
_FROM = ("network_guidancedocument d JOIN organisations_user u ON u.id = d.owner_id")


def _filters(query: GuidanceQuery, today: date, placeholder: str = "%s") -> tuple[str, list[Any]]:
    clauses, params = [], []
    if query.topic:
        clauses.append(f"d.topics LIKE {placeholder}")
        params.append(f"%|{' '.join(query.topic.casefold().split())}|%")
    if query.owner_organisation:
        clauses.append(f"d.organisation_id = {placeholder}")
        params.append(query.owner_organisation)
    if query.stale_only:
        clauses.append(f"d.review_on < {placeholder}")
        params.append(today.isoformat())
    return "".join(f" AND {clause}" for clause in clauses), params


def _hits(rows: list[tuple[Any, ...]], today: date) -> list[GuidanceHit]:
    hits = []
    for number, (slug, title, summary, version, name, email, organisation, review_on, topics) in enumerate(rows, 1):
        if isinstance(review_on, str):  # SQLite returns dates of a raw query as text
            review_on = date.fromisoformat(review_on)
        hits.append(GuidanceHit(slug, title, summary, int(version), name or email, organisation, review_on,
                                topics_of(topics), is_stale(review_on, today), number))
    return hits


def _without_words(query: GuidanceQuery, today: date) -> list[GuidanceHit]:
    """No words asked: the filtered library, due for review first, then by title."""
    where, params = _filters(query, today)
    sql = f"SELECT {_COLUMNS} FROM {_FROM} WHERE 1 = 1{where} ORDER BY d.review_on, d.title LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, query.limit])
        return _hits(cursor.fetchall(), today)


def _in_tiers(tiers: list[str], tier_params: list[list[Any]], limit: int, best_first: str) -> tuple[str, list[Any]]:
    """One statement over the tiers: each tier's query (``id, tier, score`` in its own order) is limited to
    the room the tiers before it left on the page, and a tier with no room left is never run (LIMIT 0 stops
    before its scoring and sorting, in both databases). The wide columns and the owner are fetched for the
    chosen rows only."""
    ctes, params = [], []
    for number, (tier_sql, values) in enumerate(zip(tiers, tier_params, strict=True)):
        room = " - ".join(["%s", *(f"(SELECT count(*) FROM tier{before})" for before in range(number))])
        ctes.append(f"tier{number} AS MATERIALIZED ({tier_sql} LIMIT {room})")
        params += [*values, limit]
    sql = (f"WITH {', '.join(ctes)} SELECT {_COLUMNS} FROM ("
           + " UNION ALL ".join(f"SELECT * FROM tier{number}" for number in range(len(tiers)))
           + ") best JOIN network_guidancedocument d ON d.id = best.id JOIN organisations_user u ON u.id = d.owner_id "
           f"ORDER BY best.tier, {best_first}, d.review_on DESC, d.title")
    return sql, params


class SqliteFts5Engine:
    name = "sqlite-fts5"

    def search(self, query: GuidanceQuery, today: date) -> list[GuidanceHit]:
        words = query.words()
        if not words:
            return _without_words(query, today)
        where, params = _filters(query, today)
        weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
        match = fts5_match(words)
        # A tier is a column filter on the same index (LEAD_TIERS) less the tier before it; bm25() of the
        # whole question orders within a tier (lower is better).
        filters = [*(fts5_tier_match(words, columns) for columns in LEAD_TIERS), match]
        tier_filters = [filters[0], *(f"({filters[n]}) NOT ({filters[n - 1]})" for n in range(1, len(filters)))]
        tiers = [f"SELECT d.id, {number} AS tier, bm25(network_guidance_fts, {weights}) AS score "
                 "FROM network_guidance_fts f JOIN network_guidancedocument d ON d.id = f.rowid "
                 "WHERE network_guidance_fts MATCH %s AND d.id IN "
                 f"(SELECT rowid FROM network_guidance_fts WHERE network_guidance_fts MATCH %s){where} "
                 "ORDER BY score, d.review_on DESC, d.title" for number in range(len(tier_filters))]
        sql, values = _in_tiers(tiers, [[match, tier_filter, *params] for tier_filter in tier_filters],
                                query.limit, "best.score")
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            return _hits(cursor.fetchall(), today)


#: PostgreSQL's stored vectors for the LEAD_TIERS, then the whole document (migrations 0002 and 0003).
_TIER_VECTORS = {("title", "topics"): "heading_vector", ("title", "topics", "summary"): "lead_vector"}


class PostgresFullTextEngine:
    name = "postgresql-fts"

    def search(self, query: GuidanceQuery, today: date) -> list[GuidanceHit]:
        words = query.words()
        if not words:
            return _without_words(query, today)
        where, params = _filters(query, today)
        # ts_rank's weights are listed D, C, B, A; ours are A (title) first.
        weights = "{" + ",".join(str(weight / COLUMN_WEIGHTS[0]) for weight in reversed(COLUMN_WEIGHTS)) + "}"
        vectors = [*(_TIER_VECTORS[columns] for columns in LEAD_TIERS), "search_vector"]
        tiers = []
        for number, vector in enumerate(vectors):
            # Each vector holds the one before it: "in this tier" is "matches it but not the one before".
            match = f"d.{vector} @@ q" + (f" AND NOT d.{vectors[number - 1]} @@ q" if number else "")
            tiers.append(f"SELECT d.id, {number} AS tier, ts_rank('{weights}'::float4[], d.search_vector, q) AS score "
                         f"FROM network_guidancedocument d, to_tsquery('english', %s) q WHERE {match}{where} "
                         "ORDER BY score DESC, d.review_on DESC, d.title")
        sql, values = _in_tiers(tiers, [[tsquery_text(words), *params] for _ in tiers], query.limit,
                                "best.score DESC")
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            return _hits(cursor.fetchall(), today)


def engine_for_database() -> GuidanceSearchEngine:
    if connection.vendor == "postgresql":
        return PostgresFullTextEngine()
    if connection.vendor == "sqlite":
        return SqliteFts5Engine()
    raise RuntimeError(f"The guidance library has no search engine for {connection.vendor}: use PostgreSQL.")


def search_guidance(query: GuidanceQuery, today: date | None = None) -> list[GuidanceHit]:
    """What the library's search page shows and ``boroughhub guidance search --json`` prints."""
    return engine_for_database().search(query, today or london_today())
