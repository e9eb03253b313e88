"""``boroughhub network demo-data``: the demo's network (Data Week events, apprentices, guidance,
recruitment), the same as the demo set-up's step; for the demo, dev and test profiles only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "The network's demo data: a Data Week of 30+ events, 200 apprentices, 40 guidance documents (demo-data)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        demo = sub.add_parser("demo-data", help="add the demo's network (demo profile only; a second run adds nothing)")
        demo.add_argument("--today", default=None, help="the London date the demo is built around (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        from boroughhub.network import london_today, seed_network_demo

        if settings.ENV not in ("demo", "dev", "test"):
            raise CommandError("The network's demo data is for the demo: a real hub's events and guidance are "
                               "added on its pages.")
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else london_today()
        except ValueError as error:
            raise CommandError(f"--today {options['today']!r}: give a date as YYYY-MM-DD, like 2026-12-07.") from error
        self.stdout.write(f"{seed_network_demo(today)}.")
