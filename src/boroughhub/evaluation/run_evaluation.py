"""Evaluating a stored run: read its input folder, compute, write its output folder, say how it went.

The same steps for every run: the background task runs them for an upload, the ``evaluate --keep-as-run``
command and the demo set-up run them in the foreground. Whatever goes wrong ends as a ``failed`` run with a
sentence saying what to do, never as a run stuck in "Evaluating".
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from pathlib import Path

from boroughhub.evaluation.errors_text import issue_location
from boroughhub.evaluation.outputs import ALL_FORMATS, write_outputs
from boroughhub.evaluation.plan import Plan
from boroughhub.evaluation.results import Results, evaluate, simulates
from boroughhub.evaluation.runs import Channel, Clock, EvaluationRun, Problem, RunStatus, RunStore
from boroughhub.evaluation.spec import SpecValidationError
from boroughhub.evaluation.validate import load_spec

logger = logging.getLogger(__name__)

UNEXPECTED_FAILURE = ("The evaluation stopped because of a problem on the hub's side; nothing was published for "
                      "this run. Try again by uploading the spec again; if it fails again, contact the hub's "
                      "administrators and quote the run number.")
#: The share of the progress bar the Monte Carlo simulation takes when it runs (writing the rest).
SIMULATION_SHARE = 70


def problems_of(exc: SpecValidationError) -> tuple[Problem, ...]:
    return tuple(Problem(i.code, issue_location(i), i.message) for i in exc.report.errors)


def headline_of(results: Results) -> str:
    p = results.central.scopes["programme"]
    npsv = f"{'−' if p.npsv < 0 else ''}£{abs(p.npsv):,.0f}"
    bcr = f"BCR {p.bcr:.2f} ({p.vfm_band})" if p.bcr is not None else "BCR not defined"
    return f"{bcr}, NPSV {npsv}"


def keep_inputs(store: RunStore, run_id: str, spec: Path, plan: Plan) -> None:
    """Copy the spec and every CSV file it names into the run's input folder."""
    inputs = store.input_dir(run_id)
    inputs.mkdir(parents=True, exist_ok=True)
    shutil.copy(spec, inputs / spec.name)
    for name in plan.file_sha256:
        target = inputs / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(spec.parent / name, target)


def keep_as_run(store: RunStore, run_id: str, spec: Path, *, created_by: str, channel: Channel, clock: Clock,
                formats: Iterable[str] = ALL_FORMATS) -> EvaluationRun:
    """Validate a spec on disk, keep it as a run and evaluate it now (the command line and the demo)."""
    plan = load_spec(spec)  # a SpecValidationError leaves no run behind
    keep_inputs(store, run_id, spec, plan)
    store.create(run_id, title=plan.settings.name, spec_name=spec.name, created_by=created_by, channel=channel,
                 now=clock())
    return evaluate_stored_run(store, run_id, formats, clock)


def evaluate_stored_run(store: RunStore, run_id: str, formats: Iterable[str], clock: Clock) -> EvaluationRun:
    run = store.get(run_id)
    if run is None:
        raise LookupError(f"no evaluation run {run_id}")
    if not run.status.still_working:
        return run  # a task delivered twice does not evaluate twice
    run = store.update(run_id, clock(), status=RunStatus.RUNNING, progress="Checking the spec and its files",
                       progress_percent=0)
    try:
        plan = load_spec(store.spec_path(run))
        results = _evaluate_with_progress(store, run, plan, clock)
        _write_with_progress(store, run, results, list(formats), clock)
    except SpecValidationError as exc:
        problems = problems_of(exc)
        return store.update(run_id, clock(), status=RunStatus.FAILED, finished_at=clock(), progress="Failed",
                            problems=problems,
                            failure=f"{len(problems)} error(s) in the spec or its files: nothing was computed. "
                                    "Correct them and upload the spec again.")
    except Exception:
        logger.exception("evaluation run %s failed", run_id)
        shutil.rmtree(store.output_dir(run_id), ignore_errors=True)
        return store.update(run_id, clock(), status=RunStatus.FAILED, finished_at=clock(), progress="Failed",
                            failure=UNEXPECTED_FAILURE)
    return store.update(run_id, clock(), status=RunStatus.DONE, finished_at=clock(), progress="Finished",
                        progress_percent=100, headline=headline_of(results))


def _evaluate_with_progress(store: RunStore, run: EvaluationRun, plan: Plan, clock: Clock) -> Results:
    if not simulates(plan):
        store.update(run.id, clock(), progress="Computing present values and switching values")
        return evaluate(plan)
    reported = -1

    def on_draws(done: int, total: int) -> None:
        nonlocal reported
        percent = SIMULATION_SHARE * done // max(total, 1)
        if percent >= reported + 5:  # run.json is rewritten every 5%, not every batch of draws
            reported = percent
            store.update(run.id, clock(), progress=f"Monte Carlo simulation: {done:,} of {total:,} draws",
                         progress_percent=percent)

    return evaluate(plan, progress=on_draws)


def _write_with_progress(store: RunStore, run: EvaluationRun, results: Results, formats: list[str],
                         clock: Clock) -> None:
    start = SIMULATION_SHARE if results.monte_carlo is not None else 10
    steps = ["results.json", "CSV tables", "results.xlsx", "charts", "report.html", "report.pdf"]

    def on_step(name: str) -> None:
        done = steps.index(name) if name in steps else 0
        store.update(run.id, clock(), progress=f"Writing {name}",
                     progress_percent=start + (99 - start) * done // len(steps))

    write_outputs(results, store.output_dir(run.id), formats, step=on_step)
