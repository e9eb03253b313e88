"""``boroughhub guidance …``: the guidance library from the command line.

``search QUERY [--topic T] [--stale] [--json]`` runs the very search of the library's page (same engine,
same ranking, same fields); ``flag-stale`` tells owners of guidance past its review date (run it daily;
each document is flagged once per review date).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def london_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today {text!r}: give a date as YYYY-MM-DD, for example 2026-12-07.") from error


class Command(BaseCommand):
    help = "The guidance library: search it as its page does (search); tell owners of stale guidance (flag-stale)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        search = sub.add_parser("search", help="the library page's search: ranked documents with their fields")
        search.add_argument("query", help="words to search for, as typed in the library's search box")
        search.add_argument("--topic", default="", help="only guidance with this topic, like 'data ethics'")
        search.add_argument("--stale", action="store_true", help="only guidance past its review date")
        search.add_argument("--limit", type=int, default=20, help="at most this many results (default 20)")
        search.add_argument("--json", action="store_true", help="print the results as JSON")
        search.add_argument("--today", default=None, help="the London date that decides what is stale (YYYY-MM-DD)")
        flag = sub.add_parser("flag-stale", help="notify owners of guidance past its review date")
        flag.add_argument("--today", default=None, help="the London date to flag for (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        from boroughhub.network.clock import london_today
        from boroughhub.network.guidance.search import GuidanceQuery
        from boroughhub.network.store.guidance import flag_stale_guidance
        from boroughhub.network.store.guidance_search import search_guidance

        today = london_date(options["today"]) if options["today"] else london_today()
        if options["subcommand"] == "flag-stale":
            self.stdout.write(f"{flag_stale_guidance(today)} review reminders sent to owners of guidance past its review date.")
            return
        if options["limit"] < 1:
            raise CommandError("--limit must be 1 or more.")
        query = GuidanceQuery(text=options["query"], topic=options["topic"], stale_only=options["stale"],
                              limit=options["limit"])
        hits = search_guidance(query, today)
        if options["json"]:
            # A list in rank order, each result with the fields the page shows (GuidanceHit.as_json).
            self.stdout.write(json.dumps([hit.as_json() for hit in hits], indent=2, ensure_ascii=False))
            return
        if not hits:
            self.stdout.write("Nothing matches. Try fewer or different words.")
        for hit in hits:
            flag = " (review overdue)" if hit.stale else ""
            self.stdout.write(f"{hit.rank}. {hit.title} — v{hit.version}, {hit.owner}{flag}  /guidance/{hit.slug}/")
