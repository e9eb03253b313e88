"""``boroughhub warehouse counts [--json]``, ``boroughhub warehouse restore SOURCE SUPPLIER VERSION`` and
``boroughhub warehouse queue``.

``counts`` lists rows per table, supplier and version (current and superseded), reading the
warehouse without locking it for writing. ``restore`` makes an earlier version of a supplier's
submission current again, in one transaction; only a data manager of the hub operator may do it.
``queue`` lists the work writing the warehouse and the work waiting its turn (decision 0090).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from boroughhub.organisations import HUB_OPERATOR_ID, Role, User
from boroughhub.submissions.tasks import start_after_loading
from boroughhub.warehouse import Warehouse, WarehouseHeld, Work, WriterQueue

BUSY = "The warehouse is busy with a load in another process. Try again when it has finished."


def warehouse_counts(path: Path) -> list[dict[str, Any]]:
    """Rows per table, supplier and version; empty when no warehouse has been created yet."""
    if not path.exists():
        return []
    try:
        with Warehouse(path, read_only=True) as warehouse:
            return warehouse.counts()
    except duckdb.CatalogException:
        return []  # a warehouse file without the hub's tables holds no rows
    except duckdb.IOException as error:
        raise CommandError(BUSY) from error


class Command(BaseCommand):
    help = ("Look after the warehouse: row counts, restoring an earlier version of a submission, and the work "
            "queued to write it.")

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        counts = subcommands.add_parser("counts", help="rows per table, supplier and version")
        counts.add_argument("--json", action="store_true", help="print JSON instead of a table")
        restore = subcommands.add_parser("restore", help="make an earlier version current again")
        restore.add_argument("source", choices=["chain", "inform", "hclic"])
        restore.add_argument("supplier", help="the supplier code, e.g. chain_london or E09000033")
        restore.add_argument("version", type=int)
        restore.add_argument("--user", required=True, help="the email of a data manager of the hub operator")
        subcommands.add_parser("queue", help="the work writing the warehouse now, and the work waiting its turn")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "counts":
            self.counts(as_json=options["json"])
        elif options["subcommand"] == "queue":
            self.queue()
        else:
            self.restore(options["source"], options["supplier"], options["version"], options["user"])

    def counts(self, *, as_json: bool) -> None:
        rows = warehouse_counts(Path(settings.WAREHOUSE_PATH))
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2, default=str))
            return
        console = Console(file=self.stdout._out, highlight=False)
        if not rows:
            console.print("The warehouse holds no submissions yet.")
            return
        table = Table(title=f"Warehouse rows ({settings.WAREHOUSE_PATH})")
        for column in ("table", "supplier", "version", "status", "rows"):
            table.add_column(column, justify="right" if column in ("version", "rows") else "left")
        for row in rows:
            table.add_row(row["table"], str(row["supplier_code"]), str(row["version"]), row["status"],
                          f"{row['rows']:,}")
        console.print(table)

    def queue(self) -> None:
        tickets = WriterQueue(settings.WAREHOUSE_PATH).tickets()
        if not tickets:
            self.stdout.write("Nothing is writing the warehouse and nothing is waiting.")
        for place, ticket in enumerate(tickets):
            state = "writing" if ticket.got_at is not None else ("next" if place == 0 else f"waiting, {place} ahead")
            self.stdout.write(f"{ticket.number}: {ticket.describe()} ({state}; process {ticket.pid} on {ticket.host})")

    def restore(self, source: str, supplier: str, version: int, email: str) -> None:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        allowed = user is not None and user.active_grants().filter(
            role=Role.DATA_MANAGER.value, organisation_id=HUB_OPERATOR_ID
        ).exists()
        if not allowed:
            raise CommandError(
                f"{email} is not an active data manager of the hub operator; only they may restore a version.",
                returncode=2,
            )
        work = Work(f"a restore of version {version} of {source} from {supplier}", email, HUB_OPERATOR_ID)
        try:
            with Warehouse(settings.WAREHOUSE_PATH, work=work, wait_seconds=settings.WAREHOUSE_WAIT_SECONDS,
                           on_wait=lambda message: self.stderr.write(message)) as warehouse:
                restored = warehouse.restore(source, supplier, version)
        except LookupError as error:
            raise CommandError(f"{error}. `boroughhub warehouse counts` lists the versions held.") from error
        except WarehouseHeld as held:
            raise CommandError(f"{held} Nothing was restored; try again when it has finished.") from held
        self.stdout.write(
            f"Version {restored.version} of {source} from {supplier} is current again "
            f"(submission {restored.submission_id})."
        )
        for started in start_after_loading(restored.submission_id):
            self.stdout.write(f"Started the {started} step.")
