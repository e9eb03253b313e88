"""``boroughhub fund rounds [--json]`` and ``boroughhub fund export --round ROUND_ID --format
360giving-json|360giving-xlsx|360giving-csv --out FILE``: the fund's rounds, and its awards in the
360Giving Data Standard (validated against the bundled schema before anything is written)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from boroughhub.audit import record_event
from boroughhub.fund.giving360 import (
    package,
    spreadsheet_csv,
    spreadsheet_rows,
    spreadsheet_xlsx,
    validation_problems,
)
from boroughhub.fund.models import Round
from boroughhub.fund.store import FundRefused, awarded_grants, round_listing, seed_demo, seed_open_round

FORMATS = ("360giving-json", "360giving-xlsx", "360giving-csv")


class Command(BaseCommand):
    help = "The innovation fund's rounds, and its awarded grants in the 360Giving Data Standard."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rounds = sub.add_parser("rounds", help="List the rounds: id, budget and status.")
        rounds.add_argument("--json", action="store_true", help="print JSON (for scripts)")
        export = sub.add_parser("export", help="Write a decided round's awarded grants in the 360Giving standard.")
        export.add_argument("--round", required=True, help="the round's id (see `boroughhub fund rounds`)")
        export.add_argument("--format", required=True, choices=FORMATS, help=", ".join(FORMATS))
        export.add_argument("--out", required=True, help="file to write")
        demo = sub.add_parser("demo", help="Add the demo portfolio and fund (a decided round), or an open round.")
        demo.add_argument("--open-round", action="store_true", help="add only an open round to apply to")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "rounds":
            self.rounds(options["json"])
        elif action == "export":
            self.export(options["round"], options["format"], Path(options["out"]))
        else:
            now = timezone.now()
            self.stdout.write(seed_open_round(now) if options["open_round"] else seed_demo(now))

    def rounds(self, as_json: bool) -> None:
        listing = round_listing(timezone.now())
        if as_json:
            sys.stdout.write(json.dumps(listing, indent=2) + "\n")
            return
        table = Table("Id", "Title", "Budget", "Status", "Submitted")
        for r in listing:
            table.add_row(r["id"], r["title"], f"£{r['budget']:,.0f}", r["status"], str(r["applications_submitted"]))
        Console().print(table if listing else "There are no rounds yet.")

    def export(self, round_id: str, fmt: str, out: Path) -> None:
        round_ = Round.objects.filter(round_id=round_id).first()
        if round_ is None:
            known = ", ".join(Round.objects.order_by("round_id").values_list("round_id", flat=True)) or "none yet"
            raise CommandError(f"There is no round {round_id!r}. Rounds: {known}.")
        if not out.parent.is_dir():
            raise CommandError(f"There is no folder {out.parent}: create it or choose another --out.")
        if out.is_dir():
            raise CommandError(f"{out} is a folder: give a file name for --out, for example {out / 'grants.json'}.")
        try:
            grants = awarded_grants(round_)
        except FundRefused as refused:
            raise CommandError(str(refused)) from None
        if not grants:
            raise CommandError(f"Round {round_id} funded no applications: there is nothing to publish.")
        data = package(grants, title=f"{round_.title}: awarded grants", issued=timezone.now())
        problems = validation_problems(data)
        if problems:
            raise CommandError("The export does not validate against the 360Giving schema, so nothing was written:\n"
                               + "\n".join(problems))
        if fmt == "360giving-json":
            content = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        elif fmt == "360giving-csv":
            content = spreadsheet_csv(spreadsheet_rows(data)).encode("utf-8")
        else:
            content = spreadsheet_xlsx(spreadsheet_rows(data))
        try:
            out.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Could not write {out}: {error.strerror}. Choose another --out.") from None
        record_event("access", "ok", user="system", action="grants_360_exported",
                     payload={"round": round_id, "format": fmt, "grants": len(grants), "channel": "cli"})
        self.stderr.write(f"{len(grants)} awarded grants of {round_id} written to {out} (valid 360Giving data).")
