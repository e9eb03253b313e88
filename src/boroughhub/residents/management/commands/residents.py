"""``boroughhub residents …``: search residents as a frontline worker would, and load the demo's residents."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from boroughhub.organisations import acting_grant
from boroughhub.residents.rules import parse_date_of_birth
from boroughhub.residents.store.demo import seed_demo_residents
from boroughhub.residents.store.submit import submit_asc_cld
from boroughhub.residents.store.tiers import Refused, search, worker_from

NO_RESULT = ("No resident you may open matches. Only residents on your team's open cases are shown; to open "
             "anyone else, use break-glass on the resident search page (it alerts privacy officers).")


class Command(BaseCommand):
    help = "Who else is involved: search residents as a frontline worker (decided and audited as on the page)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        found = sub.add_parser("search", help="the residents this worker may open, as the search page shows them")
        found.add_argument("--user", required=True, help="the frontline worker's email address")
        found.add_argument("--surname", required=True, help="the surname, or its first letters")
        found.add_argument("--forename", default="", help="the forename, or its first letters")
        found.add_argument("--dob", default=None, help="date of birth, YYYY-MM-DD")
        found.add_argument("--purpose", required=True, help="why you are looking (recorded in the audit log)")
        found.add_argument("--json", action="store_true", help="print the results as JSON")
        submit = sub.add_parser("submit-asc", help="submit an ASC CLD events file (asc_cld_events.csv) as an uploader")
        submit.add_argument("file", type=Path, help="the ASC CLD events CSV")
        submit.add_argument("--user", required=True, help="the uploader's email address")
        seed = sub.add_parser("seed-demo", help="the demo's agreement, ASC CLD submissions and residents")
        seed.add_argument("--count", type=int, default=200, help="residents to draw when no synthetic people exist")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "seed-demo":
            self.stdout.write(seed_demo_residents(count=options["count"]))
            return
        if options["subcommand"] == "submit-asc":
            self.submit_asc(options["file"], options["user"])
            return
        self.search(options)

    def submit_asc(self, path: Path, email: str) -> None:
        grant = acting_grant(email, ["uploader"])
        outcome = submit_asc_cld(grant.user, grant.organisation_id, path)
        if outcome.refusal:
            raise CommandError(outcome.refusal)
        if not outcome.report.passed:
            for row in outcome.report.rows()[:200]:
                self.stderr.write(f"line {row['line']}, column {row['column']}: {row['message']} ({row['rule']})"
                                  + (f" value {row['value']!r}" if row.get("value") else ""))
            raise CommandError(f"{path.name} was not loaded: correct the rows above and submit it again. "
                               "Nothing was changed.")
        self.stdout.write(f"{outcome.rows:,} events checked; {outcome.cases_loaded:,} adult social care cases loaded "
                          f"for {grant.organisation_id} ({outcome.residents_added:,} residents new to the hub).")
        self.stdout.write(f"Matching: {outcome.matched_to_known:,} people matched to residents the hub already "
                          f"holds; {outcome.uncertain_pairs:,} uncertain pairs kept apart (not merged).")
        if outcome.unmatched_reason:
            self.stdout.write(f"Not matched: {outcome.unmatched_reason} Each person was loaded as a new resident.")

    def search(self, options: dict[str, Any]) -> None:
        born: date | None = None
        if options["dob"]:
            try:
                born = parse_date_of_birth(options["dob"])
            except ValueError as error:
                raise CommandError(str(error)) from None
        grant = acting_grant(options["user"], ["frontline_worker"])
        worker = worker_from(grant.user, grant.organisation_id, grant.role, session_id="cli")
        try:
            results = search(worker, options["surname"], options["purpose"], options["forename"], born)
        except Refused as refused:
            raise CommandError(str(refused)) from None
        if options["json"]:
            self.stdout.write(json.dumps({"results": results, "break_glass_offered": not results}, indent=2))
        else:
            for row in results:
                self.stdout.write(f"{row['resident']}  {row['name']}  born {row['date_of_birth']}  ({row['why']})")
        if not results:
            raise CommandError(NO_RESULT)
