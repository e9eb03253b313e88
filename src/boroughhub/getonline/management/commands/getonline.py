"""``boroughhub getonline``: Get Online London's report, its operators' and partners' files, and the
daily removal of donor personal data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from boroughhub.getonline import figures, store
from boroughhub.getonline.csvfiles import ImportRefused
from boroughhub.getonline.rules import Refusal


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"'{text}' is not a date: write it as YYYY-MM-DD, for example 2026-11-01.") from None


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text. Save it as CSV UTF-8 and try again.") from None


class Command(BaseCommand):
    help = "Get Online London: the monthly report's figures, loading operators' and partners' files, donor data removal."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        report = sub.add_parser("report", help="devices, SIMs, data vouchers and learners by borough for a period")
        report.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        report.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD (included)")
        report.add_argument("--json", action="store_true", help="print the figures as JSON")
        codes = sub.add_parser("load-codes", help="load an operator's CSV of SIM or voucher codes (all or nothing)")
        codes.add_argument("file", type=Path)
        codes.add_argument("--kind", choices=["sim", "voucher"], required=True)
        codes.add_argument("--operator", required=True, help="the mobile operator that sent the file")
        donations = sub.add_parser("import-donations", help="record donated devices from the refurbisher's CSV")
        donations.add_argument("file", type=Path)
        wipes = sub.add_parser("import-wipes", help="record wipe certificates from the erasure tool's log CSV")
        wipes.add_argument("file", type=Path)
        completions = sub.add_parser("import-completions", help="record course completions from the learning platform's CSV")
        completions.add_argument("file", type=Path)
        demo = sub.add_parser("demo", help="the demo's hubs in every borough and a year of synthetic activity")
        demo.add_argument("--lewisham-only", action="store_true",
                          help="only the Lewisham hub the browser test uses (a worker, SIM codes, two laptops)")
        remove = sub.add_parser("remove-donor-data", help="remove donors' personal data whose time is up (run daily)")
        remove.add_argument("--as-of", dest="as_of", default=None,
                            help="the day to remove data as of, YYYY-MM-DD (default: today in London)")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["subcommand"]
        try:
            if name == "report":
                self.report(iso_date(options["start"]), iso_date(options["end"]), options["json"])
            elif name == "load-codes":
                batch = store.load_codes(read_text(options["file"]), options["kind"], options["operator"],
                                         options["file"].name, None, store.london_now())
                self.stdout.write(f"Loaded {batch.code_count} {options['kind']} codes from {options['file'].name}.")
            elif name == "import-donations":
                count = store.import_donations(read_text(options["file"]), None, store.london_now())
                self.stdout.write(f"Recorded {count} donated devices.")
            elif name == "import-wipes":
                self.stdout.write(f"Recorded {store.import_wipe_log(read_text(options['file']), None)} wipe certificates.")
            elif name == "demo":
                from boroughhub.getonline import seed_demo, seed_lewisham_pilot

                self.stdout.write(seed_lewisham_pilot() if options["lewisham_only"] else seed_demo())
            elif name == "import-completions":
                count = store.import_completions(read_text(options["file"]), None)
                self.stdout.write(f"Recorded {count} course completions.")
            else:
                now = store.london_now()
                as_of = iso_date(options["as_of"]) if options["as_of"] else now.date()
                self.stdout.write(f"Removed donor personal data from {store.remove_donor_data(as_of, now)} donations.")
        except ImportRefused as refused:
            self.stderr.write(f"Refused: nothing was loaded. {refused.total} problem(s):")
            for problem in refused.problems:
                self.stderr.write(f"  {problem}")
            raise SystemExit(1) from None
        except Refusal as refusal:
            raise CommandError(str(refusal)) from None

    def report(self, start: date, end: date, as_json: bool) -> None:
        if end < start:
            raise CommandError(f"--to ({end}) is before --from ({start}): give the first day, then the last.")
        result = figures.by_borough(store.given_between(start, end), start, end)
        if as_json:
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(f"Get Online London, {figures.long_date(start)} to {figures.long_date(end)}")
        self.stdout.write(f"{'Borough':<24}" + "".join(f"{label:>15}" for label in figures.MEASURES.values()))
        for row in [*result["boroughs"], {"borough": "London", **result["london"]}]:
            self.stdout.write(f"{row['borough']:<24}" + "".join(f"{row[m]:>15,}" for m in figures.MEASURES))
