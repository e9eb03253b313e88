"""``boroughhub asm scope|import|check``: a council's scope and its authorisation, importing asset lists,
and running the built-in checks (``--json`` prints the run self-described, for scripts)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from boroughhub.asm import store
from boroughhub.asm.checks import (
    DEFAULT_PORTS,
    CheckOptions,
    Resolver,
    ResolverError,
    parse_ports,
    parse_resolver,
    run_checks,
)
from boroughhub.asm.imports import FORMATS, read_inventory_file
from boroughhub.asm.report import london_time, london_today, run_as_json
from boroughhub.asm.scope import ScopeError, Target, parse_scope_entry, parse_target
from boroughhub.organisations import Role, User

ROLE = Role.SECURITY_LEAD.value


def security_lead(email: str, council: str) -> Any:
    """The user behind ``--as``, who must hold the security lead role for ``council``."""
    user = User.objects.filter(email=email.lower(), is_active=True).first()
    if user is None:
        raise CommandError(f"No active user {email}. Check the email address.")
    if not user.active_grants().filter(role=ROLE, organisation_id=council).exists():
        raise CommandError(f"{email} is not a security lead of {council}: only the council's security lead may "
                           f"change its scope or run checks. Ask its IG lead for the role.")
    return user


def read_targets(path: Path) -> list[Target]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Cannot read the targets file {path}: {error}") from None
    targets = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            targets.append(parse_target(text))
        except ScopeError as error:
            raise CommandError(f"{path} line {number}: {error} Nothing was checked.") from None
    if not targets:
        raise CommandError(f"{path} lists no targets: write one host name or host:port a line.")
    return targets


class Command(BaseCommand):
    help = "Attack surface mapping: a council's scope, its asset inventory and the built-in checks."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        scope = sub.add_parser("scope", help="add to a council's scope and record who authorised scanning it")
        scope.add_argument("--council", required=True, help="the council's organisation id, like barnet")
        scope.add_argument("--add", action="append", default=[], metavar="CIDR_OR_DOMAIN",
                           help="a domain, netblock or AS number to add (repeat for more)")
        scope.add_argument("--exclude", action="append", default=[], metavar="CIDR_OR_DOMAIN",
                           help="a domain or netblock never to check (repeat for more)")
        scope.add_argument("--remove", action="append", default=[], metavar="CIDR_OR_DOMAIN",
                           help="an entry (or exclusion) to take out of the scope")
        scope.add_argument("--withdraw", action="store_true",
                           help="withdraw the authorisation: every check is refused until it is given again")
        scope.add_argument("--authorised-by", help="who authorised scanning (name and post)")
        scope.add_argument("--reference", help="the reference of the document recording the authorisation")
        scope.add_argument("--authorised-on", help="the date of the authorisation, YYYY-MM-DD (default: today)")
        scope.add_argument("--as", dest="email", required=True, help="a security lead of the council")
        imported = sub.add_parser("import", help="import an asset list (refused whole if any line is wrong)")
        imported.add_argument("file", type=Path)
        imported.add_argument("--council", required=True)
        imported.add_argument("--format", required=True, choices=sorted(FORMATS))
        imported.add_argument("--as", dest="email", required=True)
        check = sub.add_parser("check", help="run the built-in checks on the targets inside the authorised scope")
        check.add_argument("--council", required=True)
        check.add_argument("--targets", required=True, type=Path, help="a file: one host name or host:port a line")
        check.add_argument("--as", dest="email", required=True)
        check.add_argument("--json", action="store_true", help="print the run as JSON")
        check.add_argument("--resolver", help="resolve names through this DNS server only, ADDRESS:PORT")
        check.add_argument("--ports", help="ports to try on targets without one, like 21,22,80,443 (default: "
                                           "the web ports and the risky ports)")
        check.add_argument("--timeout", type=float, default=20.0, help="seconds for all of one target's checks")
        check.add_argument("--rate", type=float, default=200.0, help="new connections a second, at most")

    def handle(self, *args: Any, **options: Any) -> None:
        options["council"] = options["council"].strip().lower()  # organisation ids are lower case
        getattr(self, "do_" + options["subcommand"])(options)

    def do_scope(self, options: dict[str, Any]) -> None:
        council = options["council"]
        user = security_lead(options["email"], council)
        now = timezone.now()
        try:
            for text in options["add"]:
                store.add_to_scope(council, text, excluded=False, by=user, role=ROLE, now=now)
            for text in options["exclude"]:
                store.add_to_scope(council, text, excluded=True, by=user, role=ROLE, now=now)
            for text in options["remove"]:
                value = parse_scope_entry(text).value
                entries = store.scope_row(council).entries.filter(value=value)
                if not entries:
                    raise CommandError(f"{value} is not in the scope of {council}: nothing was removed.")
                for entry in entries:
                    store.remove_from_scope(council, entry.pk, by=user, role=ROLE)
            if options["withdraw"]:
                store.withdraw_authorisation(council, by=user, role=ROLE)
            if options["authorised_by"] or options["reference"]:
                on = london_today(now) if not options["authorised_on"] else _date(options["authorised_on"])
                store.authorise_scope(council, authorised_by=options["authorised_by"] or "",
                                      authorised_on=on, reference=options["reference"] or "", by=user, role=ROLE)
        except (ScopeError, store.ScopeRefused) as error:
            raise CommandError(str(error)) from None
        scope = store.scope_of(council)
        self.stdout.write(f"Scope of {council}: " + (", ".join(e.value for e in scope.entries) or "nothing yet"))
        if scope.exclusions:
            self.stdout.write("Excluded: " + ", ".join(e.value for e in scope.exclusions))
        if scope.authorisation is None:
            self.stdout.write("Not authorised: every check is refused until --authorised-by and --reference are given.")
        else:
            a = scope.authorisation
            self.stdout.write(f"Authorised by {a.authorised_by} on {a.authorised_on.day} {a.authorised_on:%B %Y} "
                              f"({a.reference}).")

    def do_import(self, options: dict[str, Any]) -> None:
        council = options["council"]
        user = security_lead(options["email"], council)
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        imported = read_inventory_file(data, options["format"])
        if imported.problems:
            for problem in imported.problems:
                self.stderr.write(f"{path} {problem}")
            raise CommandError(f"{path} was refused: nothing was imported. Correct the lines above and import again.")
        outcome = store.import_inventory(council, imported, by=user, role=ROLE, now=timezone.now(),
                                         file_name=path.name)
        self.stdout.write(f"Imported {path.name}: {outcome.new_assets} new asset(s), {outcome.updated_assets} "
                          f"seen again, {outcome.findings} finding(s).")

    def do_check(self, options: dict[str, Any]) -> None:
        council = options["council"]
        user = security_lead(options["email"], council)
        targets = read_targets(options["targets"])
        try:
            server = parse_resolver(options["resolver"]) if options["resolver"] else None
            ports = parse_ports(options["ports"]) if options["ports"] else DEFAULT_PORTS
        except (ResolverError, ValueError) as error:
            raise CommandError(str(error)) from None
        if options["rate"] <= 0 or options["timeout"] <= 0:
            raise CommandError("--rate and --timeout must be more than 0.")
        started = timezone.now()
        scope = store.scope_of(council)
        run = run_checks(targets, scope, CheckOptions(
            now=started, resolver=Resolver(server), target_timeout=options["timeout"],
            connections_per_second=options["rate"], ports=ports))
        finished = timezone.now()
        saved, findings = store.record_run(council, run, by=user, role=ROLE, channel="cli", started_at=started,
                                           finished_at=finished)
        rows = store.register_rows(findings)
        if options["json"]:
            self.stdout.write(json.dumps(run_as_json(council, run, rows, saved.changes, started, finished, scope),
                                         indent=2))
            return
        self._print(run, rows, saved, finished)

    def _print(self, run: Any, rows: Any, saved: Any, finished: Any) -> None:
        console = Console(file=self.stdout, highlight=False, soft_wrap=True)
        table = Table(title=f"Findings, {london_time(finished)}")
        for column in ("Priority", "Severity", "Finding", "Target", "Evidence", "Status"):
            table.add_column(column)
        for row in rows:
            # Evidence quotes what servers sent (banners, titles): shown as text, never as rich markup.
            table.add_row(*(escape(str(cell)) for cell in (row.priority, row.severity, row.title, row.target,
                                                           row.evidence, row.status)))
        console.print(table)
        for refusal in run.refused:
            console.print(escape(f"Refused {refusal.target}: {refusal.reason}"))
        changes = saved.changes
        console.print(f"Since the last run: {len(changes['new_assets'])} new asset(s), "
                      f"{len(changes['new_findings'])} new finding(s), {len(changes['resolved'])} resolved.")


def _date(text: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--authorised-on {text!r}: write the date as YYYY-MM-DD.") from None
