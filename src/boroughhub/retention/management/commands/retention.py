"""``boroughhub retention run|due``: keep every dataset's ``hub_retention`` clause (schedule ``run`` daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from boroughhub.retention.schedule import line_of
from boroughhub.retention.store import run_retention
from boroughhub.warehouse import WarehouseHeld


def _day(value: Any) -> str:
    return f"{value.day} {value:%B %Y}"


class Command(BaseCommand):
    help = ("Retention inside the hub: delete what each dataset's hub_retention clause says has expired "
            "(run), or list what is due next (due). Run `retention run` daily.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        run = sub.add_parser("run", help="delete every expired holding, audit each deletion, rewrite the "
                                         "warehouse file after a crypto-erase")
        run.add_argument("--dry-run", action="store_true", help="say what would be deleted; delete nothing")
        due = sub.add_parser("due", help="list what the clauses delete next, soonest first (counts and dates)")
        due.add_argument("--limit", type=int, default=20, help="how many lines (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["subcommand"] == "due" or options.get("dry_run", False)
        try:
            run = run_retention(dry_run=dry_run, on_wait=lambda message: self.stderr.write(message))
        except WarehouseHeld as held:
            raise CommandError(f"{held} Nothing was deleted; run the command again later.") from held
        if options["subcommand"] == "due":
            from boroughhub.retention.store import published_schedule

            schedule = published_schedule()
            lines = schedule.lines if schedule else []
            for line in lines[: options["limit"]]:
                self.stdout.write(f"{_day(line.expires_at)}  {line.dataset_label:<16} {line.supplier_code or '-':<12} "
                                  f"{line.what:<34} {line.rows:>9,} rows  {line.clause}")
            if not lines:
                self.stdout.write("Nothing held is under a retention clause.")
            return
        verb = "Would delete" if dry_run else "Deleted"
        for holding in run.due:
            line = line_of(holding)
            self.stdout.write(f"{verb} {line.dataset_label} {line.supplier_code or ''} {line.what}: {line.rows:,} "
                              f"rows, expired {_day(line.expires_at)} under {line.clause} ({line.rule})")
        total = sum(h.rows for h in run.due) if dry_run else run.rows_deleted
        self.stdout.write(f"{verb} {len(run.due)} holding(s), {total:,} rows."
                          + (" The warehouse file was rewritten (crypto-erase)." if run.rewritten else ""))
        if run.unruled:
            self.stdout.write(f"{len(run.unruled)} holding(s) are under no retention clause and were kept; "
                              "an agreement in force must name their dataset.")
