"""``boroughhub evaluate SPEC.yaml --out DIR``: validate a spec, evaluate it and write the report."""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from boroughhub.evaluation.errors_text import issue_location
from boroughhub.evaluation.outputs import ALL_FORMATS, write_outputs
from boroughhub.evaluation.results import evaluate, simulates
from boroughhub.evaluation.run_evaluation import keep_as_run
from boroughhub.evaluation.runs import Channel, RunStatus, new_run_id
from boroughhub.evaluation.spec import SpecValidationError
from boroughhub.evaluation.store import run_store
from boroughhub.evaluation.validate import load_spec


class Command(BaseCommand):
    help = "Evaluate a programme's value for money from an evaluation spec (YAML) and write the report."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("spec", help="evaluation spec (YAML); CSV paths are relative to it")
        parser.add_argument("--out", help="output directory")
        parser.add_argument("--scenario", help="scenario the Monte Carlo and the report's headline use")
        parser.add_argument("--draws", type=int, help="Monte Carlo draws (default: the spec's)")
        parser.add_argument("--seed", type=int, help="Monte Carlo seed (default: the spec's)")
        parser.add_argument("--formats", default=",".join(ALL_FORMATS),
                            help="comma-separated subset of json,csv,xlsx,html,pdf")
        parser.add_argument("--no-monte-carlo", action="store_true", help="skip the Monte Carlo simulation")
        parser.add_argument("--validate-only", action="store_true", help="check the spec and its CSVs only")
        parser.add_argument("--keep-as-run", action="store_true",
                            help="keep the spec, its CSVs and the outputs as a run in the hub's list of evaluation "
                                 "runs (instead of --out)")
        parser.add_argument("--run-id", help="with --keep-as-run: the run's id (a UUID; default: a new one)")
        parser.add_argument("--by", help="with --keep-as-run: who the run list says started it "
                                         "(default: your user name)")

    def handle(self, *args: Any, **opts: Any) -> None:
        console = Console(stderr=False, highlight=False, soft_wrap=True)
        formats = [f.strip() for f in opts["formats"].split(",") if f.strip()]
        unknown = sorted(set(formats) - set(ALL_FORMATS))
        if unknown:
            raise CommandError(f"unknown format(s): {', '.join(unknown)} (choose from {', '.join(ALL_FORMATS)})",
                               returncode=2)
        if opts["keep_as_run"]:
            self._keep_as_run(console, opts, formats)
            return
        if not opts["validate_only"] and not opts["out"]:
            raise CommandError("--out DIR is required (or use --validate-only or --keep-as-run)", returncode=2)
        if opts["draws"] is not None and opts["draws"] < 100:
            raise CommandError("--draws must be at least 100", returncode=2)
        try:
            plan = load_spec(opts["spec"])
        except SpecValidationError as exc:
            self._print_report(console, exc)
            raise CommandError(f"{exc}; nothing was computed and no file was written", returncode=2) from None
        for w in plan.warnings:
            console.print(f"[yellow]warning[/] {w.code} at {issue_location(w)}: {w.message}")
        if opts["validate_only"]:
            console.print(f"[green]{opts['spec']} is valid.[/]")
            return
        scenario = opts["scenario"]
        if scenario is not None and scenario != "central" and scenario not in plan.scenarios:
            raise CommandError(f"scenario {scenario!r} is not defined (choose from central, "
                               f"{', '.join(plan.scenarios)})", returncode=2)
        try:
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=console, transient=False) as progress:
                on_draws = None
                if simulates(plan, scenario, not opts["no_monte_carlo"], opts["seed"]):
                    on_draws = _draws_bar(progress, opts["draws"] or plan.settings.monte_carlo.draws)
                results = evaluate(plan, scenario=scenario, draws=opts["draws"], seed=opts["seed"],
                                   monte_carlo=not opts["no_monte_carlo"], progress=on_draws)
                steps = progress.add_task("Writing outputs", total=None)
                written = write_outputs(results, Path(opts["out"]), formats,
                                        step=lambda name: progress.update(steps, description=f"Writing {name}"))
                progress.update(steps, description="Outputs written", total=1, completed=1)
        except (OSError, ValueError, KeyError, RuntimeError, jinja2.TemplateError) as exc:
            # A report that cannot be rendered is a failure to report, not a traceback; no output was moved in.
            raise CommandError(f"evaluation failed: {exc}", returncode=1) from None
        p = results.central.scopes["programme"]
        npsv = f"{'−' if p.npsv < 0 else ''}£{abs(p.npsv):,.2f}"
        console.print(f"Programme: NPSV {npsv}, BCR {p.bcr:.2f} ({p.vfm_band})" if p.bcr is not None
                      else f"Programme: NPSV {npsv}, BCR not defined")
        console.print(f"Wrote {len(written)} files to {opts['out']}")

    def _keep_as_run(self, console: Console, opts: dict[str, Any], formats: list[str]) -> None:
        if opts["out"] or opts["validate_only"] or opts["scenario"] or opts["draws"] or opts["seed"] is not None \
                or opts["no_monte_carlo"]:
            raise CommandError("--keep-as-run evaluates the spec as it stands: leave out --out, --validate-only, "
                               "--scenario, --draws, --seed and --no-monte-carlo", returncode=2)
        store = run_store()
        run_id = opts["run_id"] or new_run_id()
        try:
            store.folder(run_id)
        except ValueError as exc:
            raise CommandError(f"{exc}: give --run-id as a UUID, or leave it out", returncode=2) from None
        if store.get(run_id) is not None:
            raise CommandError(f"there is already an evaluation run {run_id}", returncode=2)
        by = opts["by"] or _user_name()
        try:
            run = keep_as_run(store, run_id, Path(opts["spec"]), created_by=by, channel=Channel.COMMAND_LINE,
                              clock=timezone.now, formats=formats)
        except SpecValidationError as exc:
            self._print_report(console, exc)
            raise CommandError(f"{exc}; nothing was computed and no run was kept", returncode=2) from None
        if run.status != RunStatus.DONE:
            raise CommandError(f"evaluation run {run.id} failed: {run.failure}", returncode=1)
        console.print(f"Programme: {run.headline}")
        console.print(f"Kept as evaluation run {run.id} in {store.folder(run.id)}")

    def _print_report(self, console: Console, exc: SpecValidationError) -> None:
        table = Table(title=f"{len(exc.report.errors)} error(s) in the evaluation spec", show_lines=False)
        for col in ("Code", "Where", "Problem"):
            table.add_column(col, overflow="fold")
        for issue in exc.report.errors:
            table.add_row(issue.code, issue_location(issue), issue.message)
        console.print(table)


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container with no passwd entry)
        return "unknown user"


def _draws_bar(progress: Progress, total: int) -> Callable[[int, int], None]:
    """A "Monte Carlo draws" bar, shown only when the simulation runs."""
    task = progress.add_task("Monte Carlo draws", total=total)

    def on_draws(done: int, of: int) -> None:
        progress.update(task, completed=done, total=of)

    return on_draws
