"""``boroughhub submit DIR_OR_ZIP --user EMAIL``: upload a submission from the command line.

The user must hold an active ``uploader`` grant in the organisation whose supplier code is on the
manifest. The upload runs in the foreground through the same pipeline as the web page: checks,
the agreements decision (audited), and the load. Exit status: 0 accepted or unchanged, 1 rejected,
denied or failed, 2 when the upload could not start.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from boroughhub.organisations import Role, User
from boroughhub.submissions.report_record import report_rich_table
from boroughhub.submissions.statuses import Status
from boroughhub.submissions.store import audit_refused_upload, denial_message, start_submission
from boroughhub.submissions.tasks import process_submission
from boroughhub.submissions.upload_files import manifest_supplier_code
from boroughhub.warehouse import WAITING_FOR_THE_WAREHOUSE

NOT_STARTED = 2


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=NOT_STARTED)


def choose_uploader_grant(user: Any, path: Path, organisation_id: str | None) -> Any:
    """The user's active uploader grant for the manifest's supplier (or the organisation named)."""
    grants = list(user.active_grants().filter(role=Role.UPLOADER.value))
    if not grants:
        raise _refuse(f"{user.email} holds no active uploader role. Ask your information governance lead.")
    supplier = manifest_supplier_code(path)
    if organisation_id:
        chosen = [g for g in grants if g.organisation_id == organisation_id]
        if not chosen:
            raise _refuse(f"{user.email} holds no active uploader role in {organisation_id}.")
        return chosen[0]
    if supplier is not None:
        chosen = [g for g in grants if g.organisation.supplier_code == supplier]
        if not chosen:
            held = ", ".join(sorted(f"{g.organisation.name} ({g.organisation.supplier_code or 'no supplier code'})"
                                    for g in grants))
            audit_refused_upload(
                user=user, org_id=grants[0].organisation_id, role=Role.UPLOADER.value, source="",
                rules=["manifest_invalid"], detail={"supplier_code_claimed": supplier[:40], "channel": "cli"},
            )
            raise _refuse(
                f"The manifest is for supplier {supplier}, but {user.email} uploads only for {held}. "
                "Nothing was uploaded."
            )
        return chosen[0]
    if len(grants) == 1:
        return grants[0]  # the manifest is unreadable: the checks will say why
    raise _refuse("The manifest's supplier_code cannot be read; name the organisation with --organisation.")


class Command(BaseCommand):
    help = "Upload a submission (a folder or a .zip of one) as an uploader, with a progress bar and the report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the submission folder (manifest.csv and the data files) or a .zip of it")
        parser.add_argument("--user", required=True, help="the uploader's email address")
        parser.add_argument("--organisation", help="the organisation uploading (only if the manifest cannot be read)")
        parser.add_argument("--rows", type=int, default=200, help="findings to print (default 200)")
        parser.add_argument(
            "--no-follow-up", action="store_true",
            help="do not start linkage and the insights refresh after an accepted submission",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"]).expanduser()
        if not path.exists():
            raise _refuse(f"{path} does not exist. Give the submission folder or a .zip of it.")
        user = User.objects.filter(email__iexact=options["user"].strip(), is_active=True).first()
        if user is None:
            raise _refuse(f"There is no active user {options['user']}.")
        grant = choose_uploader_grant(user, path, options.get("organisation"))
        out = self.stdout._out
        # A wide table when the output goes to a file or a pipe, where nothing else sets the width.
        console = Console(file=out, highlight=False, soft_wrap=True,
                          width=None if getattr(out, "isatty", lambda: False)() else 200)
        submission = start_submission(
            user=user, organisation=grant.organisation, role=Role.UPLOADER.value, channel="cli"
        )
        follow_up = not options["no_follow_up"]
        if options["verbosity"] == 0:  # quiet: only a submission that was not loaded says why
            submission = process_submission(submission.id, path, follow_up=follow_up)
            if not submission.loaded:
                self.print_outcome(console, submission, limit=20)
                sys.exit(1)
            return
        console.print(f"Submission {submission.id}: {path.name} for {grant.organisation.name}")
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
            console=console, transient=False,
        ) as bar:
            task = bar.add_task("Starting", total=100)

            said: list[str] = []

            def show(percent: int, message: str) -> None:
                if message.startswith(WAITING_FOR_THE_WAREHOUSE) and message not in said:
                    said.append(message)  # in full on a line of its own: the bar has room for 60 characters
                    bar.console.print(message, markup=False, highlight=False, soft_wrap=True)
                bar.update(task, completed=percent, description=message[:60])

            submission = process_submission(submission.id, path, progress_hook=show, follow_up=follow_up)
            bar.update(task, completed=100, description=Status(submission.status).label)
        self.print_outcome(console, submission, options["rows"])
        for started in getattr(submission, "follow_ups", []):
            console.print(f"Started the {started} step.", markup=False)
        if not submission.loaded:
            sys.exit(1)

    def print_outcome(self, console: Console, submission: Any, limit: int) -> None:
        summary = submission.report_summary or {}
        if submission.report_rows:
            console.print(report_rich_table(
                submission.report_rows, summary.get("lines", []),
                title=f"Validation report {submission.id}", limit=limit,
            ))
        else:
            for line in summary.get("lines", []):
                console.print(line, markup=False)
        state = submission.state
        console.print(f"Outcome: {state.label} ({state.value}). {state.explanation}", markup=False)
        errors, warnings = summary.get("errors", 0), summary.get("warnings", 0)
        console.print(
            f"{errors:,} error{'' if errors == 1 else 's'}, {warnings:,} warning{'' if warnings == 1 else 's'}.",
            markup=False,
        )
        if state is Status.DENIED:
            reason = submission.decision_reason
            extra = f" Columns not covered: {', '.join(submission.decision_fields)}." if submission.decision_fields else ""
            console.print(f"Reason: {reason}: {denial_message(reason)}{extra}", markup=False)
        if submission.warehouse_version is not None:
            console.print(
                f"Warehouse version {submission.warehouse_version} of {submission.source} from "
                f"{submission.supplier_code}, under agreement {submission.agreement_id} "
                f"version {submission.agreement_version}.", markup=False,
            )
        for note in summary.get("notes", []):
            console.print(note, markup=False)
        if submission.failure_message:
            console.print(submission.failure_message, markup=False)
