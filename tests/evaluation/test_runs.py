"""The store of evaluation runs (plain Python, no database) and keeping a run from the command line."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boroughhub.evaluation.run_evaluation import evaluate_stored_run, keep_as_run
from boroughhub.evaluation.runs import Channel, RunStatus, RunStore
from boroughhub.evaluation.spec import SpecValidationError

from .conftest import DATA, EXAMPLE

T0 = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)
FIRST = "00000000-0000-4000-8000-00000000000a"
SECOND = "00000000-0000-4000-8000-00000000000b"


class Ticks:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def test_runs_round_trip_and_list_newest_first(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    store.create(FIRST, title="First", spec_name="a.yaml", created_by="a@hub.test", channel=Channel.WEB, now=T0)
    store.create(SECOND, title="Second", spec_name="b.yaml", created_by="b@hub.test", channel=Channel.COMMAND_LINE,
                 now=T0 + timedelta(hours=1))
    (tmp_path / "not-a-run").mkdir()
    (tmp_path / "00000000-0000-4000-8000-00000000000c").mkdir()  # no run.json: not a run
    assert [r.title for r in store.all()] == ["Second", "First"]
    updated = store.update(FIRST, T0 + timedelta(minutes=5), status=RunStatus.DONE, headline="BCR 1.00")
    again = store.get(FIRST)
    assert again == updated and again.status == RunStatus.DONE and again.created_at == T0
    assert json.loads((tmp_path / FIRST / "run.json").read_text())["channel"] == "web"
    assert not list(tmp_path.glob(f"{FIRST}/.run-*"))  # the temporary file was moved into place


def test_only_a_uuid_names_a_run_folder(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    assert store.get("../../etc") is None
    with pytest.raises(ValueError):
        store.folder("../outside")


def test_keep_as_run_evaluates_and_records_progress(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs")
    clock = Ticks()
    run = keep_as_run(store, FIRST, EXAMPLE / "evaluation.yaml", created_by="cli user", channel=Channel.COMMAND_LINE,
                      clock=clock, formats=["json"])
    assert run.status == RunStatus.DONE and run.progress_percent == 100
    assert run.title == "London innovation programme: value-for-money evaluation (example)"
    assert sorted(p.name for p in store.input_dir(FIRST).iterdir()) == [
        "evaluation.yaml", "interview_excerpts.csv", "survey_population.csv", "survey_responses.csv"]
    assert (store.output_dir(FIRST) / "results.json").is_file()
    assert run.finished_at is not None and run.finished_at > run.created_at
    assert evaluate_stored_run(store, FIRST, ["json"], clock) == run  # delivered twice: evaluated once


def test_a_bad_spec_leaves_no_run(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: '1.0'\n", encoding="utf-8")
    with pytest.raises(SpecValidationError):
        keep_as_run(store, FIRST, bad, created_by="x", channel=Channel.COMMAND_LINE, clock=Ticks())
    assert store.all() == []


def test_a_spec_changed_after_upload_fails_with_its_problems(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    store.create(FIRST, title="Gone", spec_name="missing.yaml", created_by="x", channel=Channel.WEB, now=T0)
    run = evaluate_stored_run(store, FIRST, ["json"], Ticks())
    assert run.status == RunStatus.FAILED and run.problems and "upload the spec again" in run.failure


@pytest.mark.django_db
def test_command_keeps_a_run(settings: object, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command("evaluate", str(DATA / "e5.yaml"), "--keep-as-run", "--run-id", SECOND, "--by", "analyst",
                 "--formats", "json", stdout=out)
    run = RunStore(tmp_path / "evaluations").get(SECOND)
    assert run is not None and run.created_by == "analyst" and run.channel == Channel.COMMAND_LINE
    assert run.headline == "BCR 1.64 (Medium), NPSV £212,813"
    with pytest.raises(CommandError) as exc:
        call_command("evaluate", str(DATA / "e5.yaml"), "--keep-as-run", "--run-id", SECOND)
    assert exc.value.returncode == 2 and "already" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("evaluate", str(DATA / "e5.yaml"), "--keep-as-run", "--out", str(tmp_path / "o"))
    assert exc.value.returncode == 2
    with pytest.raises(CommandError) as exc:
        call_command("evaluate", str(DATA / "e5.yaml"), "--keep-as-run", "--run-id", "../x")
    assert exc.value.returncode == 2
