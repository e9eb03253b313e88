"""``boroughhub demo``: set up the demo hub (idempotently) and serve it on http://127.0.0.1:8000.

Each step checks what is already there, so running the demo again reuses it.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from boroughhub.organisations import DEFAULT_DEMO_PASSWORD, Organisation, RoleGrant, User, demo_accounts
from boroughhub.web.management import demo_steps
from boroughhub.web.management.demo_steps import DATA_STEPS, DEMO_SCALE, DemoFolderHoldsAnother, plan_demo


def demo_password() -> str:
    return os.environ.get("BOROUGHHUB_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def create_demo_accounts() -> int:
    """Creates any missing demo account and grant; returns how many accounts were new."""
    created = 0
    password = demo_password()
    # One Argon2 hash for every demo account: hashing is deliberately slow (~0.1 s each), and these
    # accounts share one published password anyway.
    hashed = make_password(password)
    # On a rerun every account holds that one stored hash: check each distinct hash once, not per account.
    matches: dict[str, bool] = {}
    for account in demo_accounts():
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create(email=account.email, display_name=account.display_name, password=hashed)
            created += 1
        elif not _password_matches(user, password, matches):
            user.password = hashed
            user.save(update_fields=["password"])
        organisation = Organisation.objects.get(pk=account.organisation_id)
        if not user.active_grants().filter(organisation=organisation, role=account.role).exists():
            RoleGrant.objects.create(user=user, organisation=organisation, role=account.role, reason="Demo account")
    return created


def _password_matches(user: User, password: str, matches: dict[str, bool]) -> bool:
    if user.password not in matches:
        matches[user.password] = user.check_password(password)
    return matches[user.password]


class Command(BaseCommand):
    help = "Set up the demo hub (migrate, organisations, demo accounts, data) and serve it on 127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Only set up; do not start the web server.")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument("--areas", choices=("pilot", "all"), default="pilot",
                            help="pilot: the four pilot boroughs (default); all: every London borough and "
                                 "provider, each joining the pilot agreement by accession.")
        parser.add_argument("--scale", type=float, default=DEMO_SCALE,
                            help=f"share of London's real volume to generate (default {DEMO_SCALE}; 1.0 is "
                                 "about 850,000 person records for all London).")
        parser.add_argument("--without-data", action="store_true",
                            help="Only the database, organisations and demo accounts (no extracts, agreements, insights).")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ENV != "demo":
            raise CommandError("The demo runs only with BOROUGHHUB_ENV=demo (make demo sets it).")
        if not 0 < options["scale"] <= 2:
            raise CommandError("--scale is a share of London's real volume: a number above 0 and at most 2.")
        try:
            plan_demo(options["areas"], options["scale"])
        except DemoFolderHoldsAnother as error:
            raise CommandError(str(error)) from None
        console = Console()
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("Setting up the database", lambda: call_command("migrate", verbosity=0, interactive=False)),
            ("Creating demo accounts", create_demo_accounts),
            *([] if options["without_data"] else DATA_STEPS),
        ]
        for number, (title, step) in enumerate(steps, start=1):
            console.print(f"[bold]{number}/{len(steps)}[/bold] {title}…")
            started, cpu = time.monotonic(), cpu_seconds()
            outcome = step()
            detail = f": {outcome}" if isinstance(outcome, str) else ""
            # CPU seconds too: on a shared machine they say more than the wall clock (benchmarks/monthly_cycle.py).
            console.print(f"    done in {time.monotonic() - started:.0f} s, {cpu_seconds() - cpu:.0f} CPU-s{detail}")
        self.print_accounts(console)
        if not options["no_serve"]:
            self.serve(console, options["port"])

    def print_accounts(self, console: Console) -> None:
        console.print(f"\nDemo password for every account: [bold]{demo_password()}[/bold]")
        console.print("Accounts are ROLE@ORG.example, for example:")
        for email in ("ig_lead@camden.example", "uploader@camden.example", "analyst@westminster.example",
                      "ig_lead@gla.example", "data_manager@hub.example", "uploader@provider-a.example",
                      "privacy_officer@camden.example", "hub_admin@hub.example"):
            console.print(f"  {email}")
        if demo_steps.PLAN.areas == "all":
            console.print("Every borough and provider is a party (the 29 others joined by accession): "
                          "analyst@southwark.example sees Southwark's insights.")
        else:
            console.print("Every other borough and provider has its accounts too: ig_lead@southwark.example can "
                          "join the pilot agreement under Agreements, then a hub admin countersigns.")

    def serve(self, console: Console, port: int) -> None:
        console.print(f"\nServing boroughhub on [link]http://127.0.0.1:{port}[/link] (Ctrl+C to stop)")
        console.print("The background worker runs beside it: uploads are checked, loaded and linked there.")
        web = [sys.executable, "-m", "gunicorn", "boroughhub.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", "2", "--threads", "4", "--access-logfile", "-"]
        processes = [subprocess.Popen(web), subprocess.Popen(worker_command())]
        # Ctrl+C reaches the whole process group; a SIGTERM (kill, a supervisor) reaches only this
        # process, so it stops the web server and the worker as Ctrl+C would.
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            processes[0].wait()
        except KeyboardInterrupt:
            console.print("Stopped.")
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def cpu_seconds() -> float:
    """User and system time of this process (DuckDB's threads included) and of the children it waited for
    (the refresh's chart renderers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def worker_command() -> list[str]:
    """The background worker as the demo (and the browser tests' server) start it."""
    return [sys.executable, "-m", "boroughhub.cli", "worker", "--interval", "0.5"]
