"""How fast is the guidance library's search over 10,000 documents? Target: p95 ≤ 100 ms.

Builds a throw-away SQLite hub (the demo's engine, FTS5), loads ``--documents`` guidance documents made by
the demo's seeded generator (each with two or three extra paragraphs so they are not all alike), then runs
a fixed set of searches, each ``--repeats`` times, through ``search_guidance`` (what the page and
``boroughhub guidance search`` run: SQL, ranking, filters, building the results). The baseline, in the
same run on the same file, is a plain ``LIKE`` scan answering the same questions (every word somewhere in
title, topics, summary or body; first 20 by title): what a library without a full-text index does.

Run:  .venv/bin/python benchmarks/guidance_search.py  [--documents 10000] [--repeats 5]
Writes benchmarks/results/guidance_search.md (then run benchmarks/collect.py for RESULTS.md). With
DATABASE_URL pointing at an empty PostgreSQL database the same run measures PostgreSQL's full-text search
(GIN indexes, ts_rank in tiers; also timed: the one-pass ranking it replaced) and writes benchmarks/results/guidance_search_postgresql.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from boroughhub.network import GuidanceQuery

RESULTS_DIR = Path(__file__).resolve().parent / "results"
TODAY = date(2026, 12, 7)
QUERIES: list[tuple[str, str, bool]] = [  # (words, topic filter, stale only)
    ("generative AI", "", False), ("generative", "", False), ("data protection impact", "", False),
    ("sensors", "", False), ("open data licence", "", False), ("ethic", "", False), ("cyber incident", "", False),
    ("procurement contract", "", False), ("accessible charts", "", False), ("residents", "", False),
    ("multi-factor authentication", "", False), ("lamp post", "", False), ("WCAG", "", False),
    ("digital skills", "digital inclusion", False), ("residents", "data ethics", False), ("boroughs", "", True),
    ("firmware", "iot sensors", False), ("lawful basis", "information governance", False),
    ("backups", "", False), ("generative AI", "generative ai", True),
]


def setup_django() -> None:
    os.environ["BOROUGHHUB_DATA_DIR"] = tempfile.mkdtemp(prefix="boroughhub-bench-guidance-")
    os.environ.setdefault("BOROUGHHUB_ENV", "dev")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boroughhub.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def load_documents(count: int) -> float:
    from boroughhub.network import demo_content
    from boroughhub.network.guidance.search import stored_topics
    from boroughhub.network.models import GuidanceDocument
    from boroughhub.organisations import HUB_OPERATOR_ID, User

    owner = User.objects.create(email=f"guidance_owner@{HUB_OPERATOR_ID}.example", display_name="Owner")
    rng = random.Random(7)
    extra = list(demo_content.PARAGRAPHS.values())
    started = time.perf_counter()
    batch: list = []
    for number, item in enumerate(demo_content.guidance_documents(TODAY, count)):
        body = "\n\n".join([item.body, *rng.sample(extra, rng.randint(2, 3)),
                            f"Reviewed with {rng.choice(demo_content.FIRST_NAMES)}'s team, reference {number}."])
        batch.append(GuidanceDocument(
            slug=f"doc-{number}", title=item.title, summary=item.summary, body=body,
            topics=stored_topics(list(item.topics)), owner=owner, organisation_id=HUB_OPERATOR_ID,
            review_on=item.review_on, changed_at=datetime(2026, 12, 1, tzinfo=UTC)))
        if len(batch) == 1000:
            GuidanceDocument.objects.bulk_create(batch)
            batch = []
    GuidanceDocument.objects.bulk_create(batch)
    return time.perf_counter() - started


def like_scan(words: list[str], topic: str, stale_only: bool) -> list[str]:
    from django.db import connection

    clauses, params = [], []
    for word in words:
        clauses.append("(d.title LIKE %s OR d.topics LIKE %s OR d.summary LIKE %s OR d.body LIKE %s)")
        params += [f"%{word}%"] * 4
    if topic:
        clauses.append("d.topics LIKE %s")
        params.append(f"%|{topic}|%")
    if stale_only:
        clauses.append("d.review_on < %s")
        params.append(TODAY.isoformat())
    sql = ("SELECT d.slug FROM network_guidancedocument d JOIN organisations_user u ON u.id = d.owner_id "
           f"WHERE {' AND '.join(clauses) or '1 = 1'} ORDER BY d.title LIMIT 20")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def one_pass_ranking(query: GuidanceQuery) -> list[str]:
    """PostgreSQL only: what the engine did before the tiers (decision 0140): score every match."""
    from django.db import connection

    from boroughhub.network.guidance.search import tsquery_text
    from boroughhub.network.store.guidance_search import _filters

    where, params = _filters(query, TODAY)
    sql = ("SELECT d.slug FROM network_guidancedocument d JOIN organisations_user u ON u.id = d.owner_id, "
           f"to_tsquery('english', %s) q WHERE d.search_vector @@ q{where} "
           "ORDER BY ts_rank('{0.1,0.2,0.5,1.0}'::float4[], d.search_vector, q) DESC, d.review_on DESC, d.title "
           "LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery_text(query.words()), *params, query.limit])
        return [row[0] for row in cursor.fetchall()]


def database_version(postgres: bool) -> str:
    from django.db import connection

    if not postgres:
        return f"SQLite {__import__('sqlite3').sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    setup_django()
    from django.db import connection

    from boroughhub.network import GuidanceQuery, search_guidance
    from boroughhub.network.store.guidance_search import engine_for_database

    postgres = connection.vendor == "postgresql"
    engine = engine_for_database().name
    results = RESULTS_DIR / ("guidance_search_postgresql.md" if postgres else "guidance_search.md")

    load_s = load_documents(args.documents)
    load_before = os.getloadavg()[0]
    ours: list[float] = []
    baseline: list[float] = []
    one_pass: list[float] = []
    found: dict[str, int] = {}
    for _ in range(args.repeats):
        for text, topic, stale in QUERIES:
            query = GuidanceQuery(text=text, topic=topic, stale_only=stale)
            started = time.perf_counter()
            hits = search_guidance(query, TODAY)
            ours.append((time.perf_counter() - started) * 1000)
            found[text + topic + str(stale)] = len(hits)
            started = time.perf_counter()
            like_scan(query.words(), topic, stale)
            baseline.append((time.perf_counter() - started) * 1000)
            if postgres:
                started = time.perf_counter()
                one_pass_ranking(query)
                one_pass.append((time.perf_counter() - started) * 1000)
    top = search_guidance(GuidanceQuery(text="generative AI"), TODAY)[0].title
    p95_ours, p95_base = percentile(ours, 95), percentile(baseline, 95)
    now = datetime.now(UTC)
    lines = [
        f"# Guidance library search{' on PostgreSQL' if postgres else ''} (`benchmarks/guidance_search.py`)", "",
        f"Run {now:%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores (shared), Python "
        f"{platform.python_version()}, {database_version(postgres)}; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after. {args.documents:,} documents loaded in "
        f"{load_s:.1f} s ({'generated tsvector columns (document, lead, heading) with GIN indexes; ranked in tiers' if postgres else 'FTS5 index kept by triggers'}); {len(QUERIES)} searches × {args.repeats} repeats, each "
        "through `search_guidance` (SQL, ranking, filters, results built), as the page and the command run it.",
        f"Command: `{'DATABASE_URL=postgres://…/empty-database ' if postgres else ''}.venv/bin/python "
        f"benchmarks/guidance_search.py --documents {args.documents} --repeats {args.repeats}`",
        "", "| Search | p50 ms | p95 ms | max ms | Target |", "|---|---:|---:|---:|---|",
        f"| {engine}, ranked (ours) | {statistics.median(ours):.1f} | {p95_ours:.1f} | {max(ours):.1f} | p95 ≤ 100 ms: "
        f"{'met' if p95_ours <= 100 else 'NOT met'} |",
        f"| Plain `LIKE` scan, unranked (baseline) | {statistics.median(baseline):.1f} | {p95_base:.1f} | "
        f"{max(baseline):.1f} | |",
        *([f"| One-pass `ts_rank` of every match (before the tiers, decision 0140) | "
           f"{statistics.median(one_pass):.1f} | {percentile(one_pass, 95):.1f} | {max(one_pass):.1f} | |"]
          if postgres else []), "",
        f"**Ratio LIKE / ours at p95: {p95_base / p95_ours:.1f}×** (median {statistics.median(baseline) / statistics.median(ours):.1f}×). "
        f"Results per search (at most 20): {min(found.values())} to {max(found.values())}. First result for "
        f"“generative AI”: {top}.", "",
    ]
    results.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
