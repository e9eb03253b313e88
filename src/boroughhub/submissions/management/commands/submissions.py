"""``boroughhub submissions …``: the monthly cycle from the command line.

``remind`` sends the calendar's reminders that are due (run it daily; a reminder already sent is
never sent again, so running it twice is harmless). ``demo-calendar`` puts the demo's suppliers on
the calendar (the demo set-up runs it; not in production).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def london_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today {text!r}: give a date as YYYY-MM-DD, for example 2026-12-11.") from error


class Command(BaseCommand):
    help = "The submission calendar: send the reminders due (remind); put the demo's suppliers on it (demo-calendar)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        remind = sub.add_parser("remind", help="notify suppliers' uploaders of extracts due within 7 days or late")
        remind.add_argument("--today", type=str, default=None, help="the London date to remind for (default: today)")
        demo = sub.add_parser("demo-calendar", help="a monthly entry for each demo supplier (demo profile only)")
        demo.add_argument("--today", type=str, default=None, help="the London date the demo starts from")

    def handle(self, *args: Any, **options: Any) -> None:
        from boroughhub.submissions.cycle import store

        today = london_date(options["today"]) if options["today"] else store.london_today()
        if options["subcommand"] == "remind":
            sent = store.send_calendar_reminders(today)
            for organisation_id, reminder in sent:
                self.stdout.write(f"{organisation_id} uploader: {reminder.subject}")
            self.stdout.write(f"{len(sent)} calendar reminders sent for {today:%-d %B %Y}.")
        else:
            if settings.ENV not in ("demo", "dev", "test"):
                raise CommandError("The demo calendar is for the demo: keep a real hub's calendar on its calendar page.")
            created = store.seed_demo_calendar(today)
            self.stdout.write(f"{created} calendar entries added.")
