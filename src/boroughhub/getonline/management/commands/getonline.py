"""``boroughhub getonline``: Get Online London's report, its operators' and partners' files, and the
daily removal of donor personal data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from boroughhub.getonline import figures, store
from boroughhub.getonline.boroughs import borough_code
from boroughhub.getonline.csvfiles import ImportRefused
from boroughhub.getonline.forms import AGE_BANDS, ELIGIBILITY
from boroughhub.getonline.models import Hub, Person, StockRequest
from boroughhub.getonline.rules import DeviceState, Refusal, retain_until
from boroughhub.organisations import Role, acting_grant


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
        request = sub.add_parser("request-stock", help="a hub's stock request (refused beyond the hub's cap of open requests)")
        request.add_argument("--hub", required=True, help="the hub's organisation id, for example lewisham-digital-hub")
        request.add_argument("--kind", choices=["device", "sim", "voucher"], required=True)
        request.add_argument("--quantity", type=int, required=True)
        meet = sub.add_parser("meet-request", help="allocate stock to a hub against its open request")
        meet.add_argument("request_id", type=int)
        meet.add_argument("--serials", default="", help="for a device request: serial numbers, separated by commas")
        self.add_hub_arguments(sub)
        expired = sub.add_parser("remove-expired-people",
                                 help="remove references and eligibility of people past their retention date (run daily)")
        expired.add_argument("--as-of", dest="as_of", default=None, help="YYYY-MM-DD (default: today in London)")
        remove = sub.add_parser("remove-donor-data", help="remove donors' personal data whose time is up (run daily)")
        remove.add_argument("--as-of", dest="as_of", default=None,
                            help="the day to remove data as of, YYYY-MM-DD (default: today in London)")

    def add_hub_arguments(self, sub: Any) -> None:
        """What a hub worker does on the person's page, for scripts: ``--user`` is the worker, whose
        organisation's hub gives the help (the same rules, the same audit entries)."""
        person = sub.add_parser("register-person", help="record a person at the worker's hub (no name)")
        person.add_argument("--user", required=True, help="the hub worker's email")
        person.add_argument("--reference", required=True, help="the hub's reference for the person")
        person.add_argument("--borough", required=True, help="where they live: ONS code or name, for example Lewisham")
        person.add_argument("--age-band", dest="age_band", required=True, choices=[code for code, _ in AGE_BANDS])
        person.add_argument("--eligibility", required=True,
                            help="reasons they attest, separated by commas: " + ", ".join(dict(ELIGIBILITY)))
        person.add_argument("--consent", action="store_true", help="the person agrees to the record being kept")
        for name, what in (("issue-code", "issue the hub's next SIM or voucher code to a person"),
                           ("allocate-device", "allocate a device the hub holds to a person (refused unwiped)")):
            give = sub.add_parser(name, help=what)
            give.add_argument("--user", required=True, help="the hub worker's email")
            give.add_argument("--reference", required=True, help="the person's hub reference")
            give.add_argument("--reason", default="", help="why, if they had the same help within its interval")
            if name == "issue-code":
                give.add_argument("--kind", choices=["sim", "voucher"], required=True)
            else:
                give.add_argument("--serial", required=True)
        move = sub.add_parser("move-device", help="a device's next lifecycle stage (the wipe rule applies)")
        move.add_argument("serial")
        move.add_argument("--to", required=True, choices=[s.value for s in DeviceState if s is not DeviceState.DONATED])
        move.add_argument("--certificate", default="", help="the wipe certificate's number, if not imported")
        move.add_argument("--exemption", default="", help="why no wipe is needed (for example, drive shredded)")

    def worker(self, options: dict[str, Any]) -> tuple[dict[str, Any], Hub]:
        grant = acting_grant(options["user"], [Role.INCLUSION_WORKER])
        hub = store.hub_of_organisation(grant.organisation_id)
        if hub is None:
            raise CommandError(f"{grant.organisation_id} is not an approved Get Online London hub.")
        return {"user": grant.user, "org_id": grant.organisation_id, "role": grant.role}, hub

    def person(self, hub: Hub, reference: str) -> Person:
        person = Person.objects.filter(hub=hub, reference=reference).first()
        if person is None:
            raise CommandError(f"{hub.name} has recorded nobody with the reference {reference!r}.")
        return person

    def register_person(self, options: dict[str, Any]) -> str:
        who, hub = self.worker(options)
        borough = borough_code(options["borough"])
        reasons = [r.strip() for r in options["eligibility"].split(",") if r.strip()]
        if borough is None:
            raise CommandError(f"{options['borough']!r} is not a London borough: give its name or ONS code.")
        if not reasons or set(reasons) - set(dict(ELIGIBILITY)):
            raise CommandError(f"--eligibility takes one or more of: {', '.join(dict(ELIGIBILITY))}.")
        if not options["consent"]:
            raise CommandError("The person must agree to the record being kept (--consent) before they are recorded.")
        now = store.london_now()
        today = now.date()
        store.register_person(hub, {
            "reference": options["reference"], "borough": borough, "age_band": options["age_band"],
            "eligibility": reasons, "consent_given_on": today,
            "retain_until": retain_until(today)}, who, now)
        return f"Recorded {options['reference']} at {hub.name}."

    def issue_code(self, options: dict[str, Any]) -> str:
        who, hub = self.worker(options)
        code = store.issue_code(hub, self.person(hub, options["reference"]), options["kind"], options["reason"], who,
                                store.london_now())
        return f"Issued {code.code} to {options['reference']}."

    def allocate_device(self, options: dict[str, Any]) -> str:
        who, hub = self.worker(options)
        device = store.allocate_device(hub, options["serial"], self.person(hub, options["reference"]),
                                       options["reason"], who, store.london_now())
        return f"Allocated {device.serial} to {options['reference']}."

    def move_device(self, options: dict[str, Any]) -> str:
        now = store.london_now()
        if options["certificate"]:
            store.record_wipe(options["serial"], options["certificate"], now.date(), None, now)
        if options["exemption"]:
            store.record_wipe_exemption(options["serial"], options["exemption"], None)
        device = store.move_device(options["serial"], DeviceState(options["to"]), None, now)
        return f"Device {device.serial} is now {DeviceState(device.state).label.lower()}."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            message = getattr(self, options["subcommand"].replace("-", "_"))(options)
        except ImportRefused as refused:
            self.stderr.write(f"Refused: nothing was loaded. {refused.total} problem(s):")
            for problem in refused.problems:
                self.stderr.write(f"  {problem}")
            raise SystemExit(1) from None
        except Refusal as refusal:
            raise CommandError(str(refusal)) from None
        if message:
            self.stdout.write(message)

    def load_codes(self, options: dict[str, Any]) -> str:
        batch = store.load_codes(read_text(options["file"]), options["kind"], options["operator"],
                                 options["file"].name, None, store.london_now())
        return f"Loaded {batch.code_count} {options['kind']} codes from {options['file'].name}."

    def import_donations(self, options: dict[str, Any]) -> str:
        return f"Recorded {store.import_donations(read_text(options['file']), None, store.london_now())} donated devices."

    def import_wipes(self, options: dict[str, Any]) -> str:
        return f"Recorded {store.import_wipe_log(read_text(options['file']), None)} wipe certificates."

    def import_completions(self, options: dict[str, Any]) -> str:
        return f"Recorded {store.import_completions(read_text(options['file']), None)} course completions."

    def request_stock(self, options: dict[str, Any]) -> str:
        hub = Hub.objects.filter(organisation_id=options["hub"], status="approved").first()
        if hub is None:
            raise CommandError(f"No approved hub has the organisation id {options['hub']!r}.")
        if options["quantity"] < 1:
            raise CommandError("--quantity must be 1 or more.")
        made = store.request_stock(hub, options["kind"], options["quantity"], None, store.london_now())
        return f"Request {made.pk} recorded for {hub.name}."

    def meet_request(self, options: dict[str, Any]) -> str:
        stock_request = StockRequest.objects.filter(pk=options["request_id"]).first()
        if stock_request is None:
            raise CommandError(f"There is no stock request {options['request_id']}.")
        serials = [s.strip() for s in options["serials"].split(",") if s.strip()]
        count = store.meet_request(stock_request, None, store.london_now(), serials)
        return f"Allocated {count} to {stock_request.hub.name}."

    def remove_expired_people(self, options: dict[str, Any]) -> str:
        now = store.london_now()
        as_of = iso_date(options["as_of"]) if options["as_of"] else now.date()
        return f"Removed the records of {store.remove_expired_people(as_of, now)} people past retention."

    def remove_donor_data(self, options: dict[str, Any]) -> str:
        now = store.london_now()
        as_of = iso_date(options["as_of"]) if options["as_of"] else now.date()
        return f"Removed donor personal data from {store.remove_donor_data(as_of, now)} donations."

    def demo(self, options: dict[str, Any]) -> str:
        from boroughhub.getonline import seed_demo, seed_lewisham_pilot

        return str(seed_lewisham_pilot() if options["lewisham_only"] else seed_demo())

    def report(self, options: dict[str, Any]) -> str:
        start, end, as_json = iso_date(options["start"]), iso_date(options["end"]), options["json"]
        if end < start:
            raise CommandError(f"--to ({end}) is before --from ({start}): give the first day, then the last.")
        result = figures.by_borough(store.given_between(start, end), start, end)
        if as_json:
            return json.dumps(result, indent=2)
        lines = [f"Get Online London, {figures.long_date(start)} to {figures.long_date(end)}",
                 f"{'Borough':<24}" + "".join(f"{label:>15}" for label in figures.MEASURES.values())]
        for row in [*result["boroughs"], {"borough": "London", **result["london"]}]:
            lines.append(f"{row['borough']:<24}" + "".join(f"{row[m]:>15,}" for m in figures.MEASURES))
        return "\n".join(lines)
