"""Searching the guidance library: what is asked, what is found, and the one interface both engines answer.

The page and ``boroughhub guidance search QUERY --json`` call the same ``GuidanceSearchEngine.search``
with the same ``GuidanceQuery``, so they return the same documents in the same order with the same fields.
SQLite FTS5 answers in the demo and tests, PostgreSQL full-text search in production (the store picks by
the database in use; docs/decisions/0140-guidance-search-two-engines.md).

Ranking, in both engines, in tiers: documents whose title and topics alone contain every word come first,
then those whose title, topics and summary do, then every other match (``LEAD_TIERS``). Within a tier the
engine's score decides: a match in the title counts most, then topics, then the summary, then the body;
ties go to the more recently reviewed document, then the title. The tiers are what a reader expects (a
document about the words before one that mentions them) and let PostgreSQL score only the first tier's
rows when it fills the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

#: Words of at least one letter or digit; everything else (quotes, operators, brackets) is dropped, so a
#: query can never be read as FTS5 or tsquery syntax.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: Weights of title, topics, summary and body (FTS5 bm25 column weights; PostgreSQL A, B, C, D).
COLUMN_WEIGHTS = (10.0, 5.0, 2.0, 1.0)
DEFAULT_LIMIT = 20
#: The columns that must alone contain every word for each tier before the last (which is every match).
LEAD_TIERS: tuple[tuple[str, ...], ...] = (("title", "topics"), ("title", "topics", "summary"))


@dataclass(frozen=True)
class GuidanceQuery:
    text: str = ""
    topic: str = ""
    owner_organisation: str = ""
    stale_only: bool = False
    limit: int = DEFAULT_LIMIT

    def words(self) -> list[str]:
        return [word.casefold() for word in _WORD.findall(self.text)][:12]


def fts5_match(words: list[str]) -> str:
    """Every word must appear (in any column); the last word also matches as a prefix ("gen" finds
    "generative") so the search answers while someone is still typing."""
    quoted = [f'"{word}"' for word in words]
    if quoted:
        quoted[-1] += "*"
    return " ".join(quoted)


def fts5_tier_match(words: list[str], columns: tuple[str, ...]) -> str:
    """``fts5_match`` limited to some columns: "does this document belong to the tier of these columns"."""
    return "{" + " ".join(columns) + "} : (" + fts5_match(words) + ")"


def tsquery_text(words: list[str]) -> str:
    """The same question for PostgreSQL's ``to_tsquery('english', ...)``: every word, last one as a prefix."""
    terms = [word.replace("'", "") for word in words if word.replace("'", "")]
    if not terms:
        return ""
    terms[-1] += ":*"
    return " & ".join(terms)


@dataclass(frozen=True)
class GuidanceHit:
    slug: str
    title: str
    summary: str
    version: int
    owner: str
    owner_organisation: str
    review_on: date
    topics: tuple[str, ...]
    stale: bool
    rank: int

    def as_json(self) -> dict[str, Any]:
        return {"rank": self.rank, "slug": self.slug, "title": self.title, "summary": self.summary,
                "version": self.version, "owner": self.owner, "owner_organisation": self.owner_organisation,
                "review_on": self.review_on.isoformat(), "topics": list(self.topics), "stale": self.stale,
                "url": f"/guidance/{self.slug}/"}


class GuidanceSearchEngine(Protocol):
    """One engine per database: ``search`` returns the hits in rank order (rank 1 first)."""

    name: str

    def search(self, query: GuidanceQuery, today: date) -> list[GuidanceHit]: ...


def topics_of(text: str) -> tuple[str, ...]:
    """Topics are stored as "|data ethics|generative ai|" so a filter is one exact LIKE on "|topic|"."""
    return tuple(topic for topic in text.split("|") if topic)


def stored_topics(topics: list[str]) -> str:
    cleaned = sorted({" ".join(topic.casefold().split()) for topic in topics if topic.strip()})
    return "|" + "|".join(cleaned) + "|" if cleaned else ""
