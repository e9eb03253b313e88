"""``boroughhub synth``: write a synthetic London (CHAIN, InForm, H-CLIC submissions plus truth)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from boroughhub.synthetic.calibration import compare
from boroughhub.synthetic.generate import DEFAULT_END, DEFAULT_START, generate
from boroughhub.synthetic.world import area_share, home_area_weights, resolve_areas


def _date(text: str) -> date:
    return date.fromisoformat(text)


class Command(BaseCommand):
    help = "Generate realistic synthetic CHAIN, InForm and H-CLIC extracts with ground truth."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--areas", default="pilot", help="pilot, all, or comma-separated ONS codes")
        parser.add_argument("--from", dest="start", type=_date, default=DEFAULT_START, help="first date (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", type=_date, default=DEFAULT_END, help="last date (YYYY-MM-DD)")
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = London's published volumes")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", type=Path, required=True, help="folder to write the submissions into")
        parser.add_argument("--report", action="store_true", help="print the calibration comparison")
        parser.add_argument("--workers", type=int, default=1, help="processes writing the councils' H-CLIC files")
        parser.add_argument(
            "--sources", default="chain,inform,hclic",
            help="comma-separated sources to write (CHAIN is always written; chain alone is enough for --report)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console()
        try:
            councils = resolve_areas(options["areas"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(), console=console,
        ) as bar:
            task = bar.add_task("Starting", total=None)

            def show(step: str, done: int, total: int) -> None:
                bar.update(task, description=step, completed=done, total=total)

            try:
                summary = generate(
                    options["out"], areas=councils, start=options["start"], end=options["end"],
                    scale=options["scale"], seed=options["seed"], progress=show,
                    sources=tuple(sorted({"chain", *options["sources"].split(",")} - {""})),
                    workers=options["workers"],
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
        console.print(
            f"Wrote {len(summary.submissions)} submissions, {summary.source_rows:,} source rows, "
            f"{summary.persons:,} true persons and {summary.person_records:,} person records to {summary.out_dir}"
        )
        if options["report"]:
            share = area_share(councils)
            rows = compare(
                summary.out_dir, summary.start, summary.end, options["scale"], share, home_area_weights(councils)
            )
            table = Table(
                title=f"Calibration against metrics.md section 10 (London figures x {options['scale'] * share:.3f}, "
                f"area figures x {options['scale']:.3f})"
            )
            for column in ("Measure", "Period", "Published", "Synthetic", "Ratio", "Within tolerance"):
                table.add_column(column, justify="left" if column in ("Measure", "Period") else "right")
            for row in rows:
                fmt = "{:.1f}" if row.kind == "share" else "{:,.0f}"
                table.add_row(
                    row.measure, row.period, fmt.format(row.published), fmt.format(row.synthetic),
                    f"{row.ratio:.2f}", "yes" if row.within_tolerance else "NO",
                )
            console.print(table)
            if not rows:
                console.print("No published figure falls inside the period.")
