"""``boroughhub link_files`` (exposed as ``link-files``): link and deduplicate CSV files of people."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from boroughhub.linkage.backend_choice import BACKEND_NAMES
from boroughhub.linkage.files import FileLinkError, link_files, mapping_help, parse_mapping, write_csv
from boroughhub.linkage.model_settings import MATCH_THRESHOLD
from boroughhub.linkage.report import training_report_html


class Command(BaseCommand):
    help = (
        "Link and deduplicate CSV files of people: writes file,record_id,cluster_id. "
        "Dates of birth may be ISO (YYYY-MM-DD), YYYYMMDD or DD/MM/YYYY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--map",
            dest="mapping",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=mapping_help(),
        )
        parser.add_argument("--id-column", default=None, help="column identifying a row (default: row number)")
        parser.add_argument("--out", required=True, type=Path, help="clusters CSV to write")
        parser.add_argument("--pairs", type=Path, default=None, help="also write the scored pairs here, with each pair's match weight by comparison "
            "(prior_weight plus every <comparison>_weight adds up to match_weight; <comparison>_level says what "
            "the comparison found)")
        parser.add_argument("--report", type=Path, default=None,
                            help="also write the model's training report here: its parameters as a table and "
                            "Splink's charts as SVG, one self-contained HTML file (nothing loaded from the internet)")
        parser.add_argument("--backend", choices=BACKEND_NAMES, default="duckdb")
        parser.add_argument("--threshold", type=float, default=MATCH_THRESHOLD, help="match probability to link at")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(stderr=True)
        try:
            mapping = parse_mapping(options["mapping"])
            with Progress(
                SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True
            ) as progress:
                task = progress.add_task("Starting", total=None)

                def step(description: str) -> None:
                    progress.update(task, description=description)
                    console.log(description)

                result = link_files(
                    options["files"],
                    mapping,
                    id_column=options["id_column"],
                    backend=options["backend"],
                    threshold=options["threshold"],
                    progress=step,
                    explain=options["pairs"] is not None,
                )
        except FileLinkError as error:
            raise CommandError(str(error)) from error
        write_csv(result.clusters, options["out"])
        if options["pairs"]:
            write_csv(result.pairs, options["pairs"])
        if options["report"]:
            options["report"].parent.mkdir(parents=True, exist_ok=True)
            options["report"].write_text(
                training_report_html(result.model, 1, datetime.now(UTC).replace(tzinfo=None)), encoding="utf-8"
            )
        for path, date_format in result.date_formats.items():
            console.print(f"{path}: dates of birth read as {date_format or 'not recognised'}")
        console.print(
            f"{result.clusters.num_rows:,} records in {result.cluster_count:,} clusters "
            f"({result.pairs.num_rows:,} scored pairs) → {options['out']}"
        )
