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
    GuidanceHit,
    GuidanceQuery,
    GuidanceSearchEngine,
    fts5_match,
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


class SqliteFts5Engine:
    name = "sqlite-fts5"

    def search(self, query: GuidanceQuery, today: date) -> list[GuidanceHit]:
        words = query.words()
        if not words:
            return _without_words(query, today)
        where, params = _filters(query, today)
        weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
        # First tier: the title and topics alone contain every word (FTS5 column filter on the same index);
        # within a tier, bm25() is lower for a better match.
        sql = (f"SELECT {_COLUMNS} FROM network_guidance_fts f JOIN network_guidancedocument d ON d.id = f.rowid "
               "JOIN organisations_user u ON u.id = d.owner_id "
               f"WHERE network_guidance_fts MATCH %s{where} "
               "ORDER BY d.id IN (SELECT rowid FROM network_guidance_fts WHERE network_guidance_fts MATCH %s) DESC, "
               f"bm25(network_guidance_fts, {weights}), d.review_on DESC, d.title LIMIT %s")
        match = fts5_match(words)
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, *params, f"{{title topics}} : ({match})", query.limit])
            return _hits(cursor.fetchall(), today)


class PostgresFullTextEngine:
    name = "postgresql-fts"

    def search(self, query: GuidanceQuery, today: date) -> list[GuidanceHit]:
        words = query.words()
        if not words:
            return _without_words(query, today)
        where, params = _filters(query, today)
        # ts_rank's weights are listed D, C, B, A; ours are A (title) first.
        weights = "{" + ",".join(str(weight / COLUMN_WEIGHTS[0]) for weight in reversed(COLUMN_WEIGHTS)) + "}"
        rank = f"ts_rank('{weights}'::float4[], d.search_vector, q)"

        def tier(number: int, match: str) -> str:
            return (f"(SELECT d.id, {number} AS tier, {rank} AS score FROM network_guidancedocument d, "
                    f"to_tsquery('english', %s) q WHERE {match}{where} "
                    "ORDER BY score DESC, d.review_on DESC, d.title LIMIT %s)")

        # Tier 1 (heading_vector: title and topics, migration 0003) is ranked first; the Append under the
        # LIMIT only runs tier 2, which ranks every other match, when tier 1 leaves room on the page. The
        # wide columns and the owner are fetched for the chosen rows only.
        sql = (f"SELECT {_COLUMNS} FROM ("
               + tier(1, "d.heading_vector @@ q") + " UNION ALL "
               + tier(2, "d.search_vector @@ q AND NOT d.heading_vector @@ q")
               + " LIMIT %s) best JOIN network_guidancedocument d ON d.id = best.id "
               "JOIN organisations_user u ON u.id = d.owner_id "
               "ORDER BY best.tier, best.score DESC, d.review_on DESC, d.title")
        tier_params = [tsquery_text(words), *params, query.limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*tier_params, *tier_params, query.limit])
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
