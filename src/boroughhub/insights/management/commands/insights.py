"""``boroughhub insights refresh|export``: recompute the metrics, or write them in the long format."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from boroughhub.agreements import REASON_MESSAGES, ROUGH_SLEEPING_INSIGHT, decide_and_audit, record_access
from boroughhub.insights.audience import AREA_NAMES, visible_areas
from boroughhub.insights.export import Selection, export_csv
from boroughhub.insights.metrics import Parameters
from boroughhub.insights.published import COLUMNS
from boroughhub.insights.tasks import RefreshRefused, refresh_insights_now
from boroughhub.organisations import acting_grant
from boroughhub.warehouse import WAITING_FOR_THE_WAREHOUSE, Warehouse, WarehouseHeld

PURPOSE = ROUGH_SLEEPING_INSIGHT


class Command(BaseCommand):
    help = "Refresh the rough sleeping metrics, or export them (metric_values, long format)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="Recompute every metric from the accepted submissions and clusters.")
        refresh.add_argument("--user", required=True, help="Job owner's email (needs view_aggregate on the sources).")
        refresh.add_argument("--as-at", type=dt.date.fromisoformat, help="Data cut-off (default: latest extract end).")
        refresh.add_argument("--history-start", type=dt.date.fromisoformat, help="Default: earliest CHAIN extract start.")
        export = sub.add_parser("export", help="Write metric_values as CSV, disclosure-controlled unless --unrounded.")
        export.add_argument("--out", required=True, help="CSV file to write.")
        export.add_argument("--user", required=True, help="Email of the user exporting (needs an export permission).")
        export.add_argument("--unrounded", action="store_true",
                            help="Unrounded figures: only for a user whose agreement grants view_unrounded.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(stderr=True)
        if options["action"] == "refresh":
            self.refresh(console, options)
        else:
            self.export(console, options)

    def refresh(self, console: Console, options: dict[str, Any]) -> None:
        grant = acting_grant(options["user"], roles=("analyst", "data_manager"))
        params = Parameters(as_at=options["as_at"], history_start=options["history_start"])
        with console.status("Refreshing the metrics…") as status:

            def progress(message: str) -> None:
                if message.startswith(WAITING_FOR_THE_WAREHOUSE):  # a line of its own: logs keep it
                    console.print(message, markup=False, highlight=False, soft_wrap=True)
                status.update(f"{message}…")

            try:
                resolved = refresh_insights_now(grant.user, grant.organisation_id, grant.role, params,
                                                progress=progress)
            except RefreshRefused as refused:
                raise CommandError(f"Refresh refused by the agreements: {refused}") from None
            except WarehouseHeld as held:
                raise CommandError(f"{held} Nothing was refreshed; run the command again when it has finished.") from None
        console.print(f"Metrics refreshed: data as at {resolved.as_at}, history from {resolved.history_start}.")

    def export(self, console: Console, options: dict[str, Any]) -> None:
        unrounded = options["unrounded"]
        roles = ("analyst", "data_manager") if unrounded else ("analyst",)
        grant = acting_grant(options["user"], roles=roles)
        action = "view_unrounded" if unrounded else "export"
        decision = decide_and_audit(user=grant.user, org_id=grant.organisation_id, role=grant.role, action=action,
                                    dataset="metric_values", fields=set(COLUMNS), purpose=PURPOSE)
        if not decision.permitted:
            code = decision.primary_reason.code
            raise CommandError(f"Export refused ({code}): {REASON_MESSAGES.get(code, 'no agreement allows it').rstrip('.')}. "
                               "The refusal is recorded in the audit log.")
        min_cell = decision.obligations.min_cell_size if decision.obligations else None
        with Warehouse(settings.WAREHOUSE_PATH, read_only=True) as warehouse:
            # The same areas as on the pages: a borough's users get their borough and London (decision 0009).
            organisation = grant.organisation
            areas = visible_areas(organisation.type, organisation.ons_code, AREA_NAMES)
            count = export_csv(warehouse.connection, Path(options["out"]), Selection(areas=areas),
                               unrounded=unrounded, min_cell_size=min_cell)
        record_access(decision, row_count=count, export_sha256=hashlib.sha256(Path(options["out"]).read_bytes()).hexdigest())
        console.print(f"Wrote {count:,} rows to {options['out']}"
                      f"{' (UNROUNDED: not for publication)' if unrounded else ' (disclosure-controlled)'}.")
        sys.stdout.flush()

