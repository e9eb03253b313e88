"""``boroughhub projects export --format json|csv [--out FILE]``: every project with its outcome
statement, stage, lead and partner organisations (the portfolio's export, for scripts and checks);
``boroughhub projects remind-overdue``: tell lead boroughs of overdue updates (run it daily)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from boroughhub.audit import record_event
from boroughhub.projects.portfolio import export_csv, export_json
from boroughhub.projects.store import notify_overdue, summaries


class Command(BaseCommand):
    help = "Export the project portfolio (each project's outcome statement, stage, lead and partners)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write every project as JSON or CSV (to standard output, or --out).")
        export.add_argument("--format", required=True, choices=("json", "csv"), help="json or csv")
        export.add_argument("--out", help="file to write (default: standard output)")
        sub.add_parser("remind-overdue", help="Tell each overdue project's lead borough, once per missed update.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "remind-overdue":
            self.stdout.write(f"{notify_overdue(timezone.now())} overdue reminders sent.")
            return
        projects = summaries(timezone.now())
        text = export_json(projects) if options["format"] == "json" else export_csv(projects)
        out = options.get("out")
        if out:
            path = Path(out)
            if not path.parent.is_dir():
                raise CommandError(f"There is no folder {path.parent}: create it or choose another --out.")
            try:
                path.write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Could not write {path}: {error.strerror}. Give a file name for --out.") from None
        else:
            sys.stdout.write(text)
        record_event("access", "ok", user="system", action="projects_exported",
                     payload={"format": options["format"], "projects": len(projects), "channel": "cli"})
        if out:
            self.stderr.write(f"{len(projects)} projects written to {out}.")
