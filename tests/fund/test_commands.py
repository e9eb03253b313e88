"""The command line of item 5, against the demo's portfolio and decided round: exit codes and output."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from boroughhub.fund.giving360 import schema

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def demo(db: Any) -> None:
    from boroughhub.fund import seed_demo

    with time_machine.travel(NOW, tick=False):
        seed_demo(NOW)


def test_projects_export_json_has_each_projects_outcome_stage_lead_and_partners(demo: None, capsys: Any) -> None:
    call_command("projects", "export", "--format", "json")
    projects = json.loads(capsys.readouterr().out)
    assert len(projects) >= 60
    assert len({p["lead_organisation"] for p in projects}) == 27
    for project in projects:
        assert project["outcome_statement"] and project["stage"] and project["lead_organisation"]
        assert isinstance(project["partner_organisations"], list)
    awarded = [p for p in projects if p["id"].startswith("asc-2026-")]
    assert awarded and all(p["stage"] == "develop" for p in awarded)


def test_projects_export_csv(demo: None, capsys: Any) -> None:
    call_command("projects", "export", "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("id,title,outcome_statement,stage,lead_organisation,partner_organisations")
    assert len(lines) >= 61


def test_fund_rounds_json(demo: None, capsys: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        call_command("fund", "rounds", "--json")
    rounds = json.loads(capsys.readouterr().out)
    assert rounds == [{**rounds[0], "id": "asc-2026", "budget": 200000.0, "status": "decided"}]


def test_fund_export_writes_valid_360giving_within_the_budget(demo: None, tmp_path: Path) -> None:
    out = tmp_path / "grants.json"
    call_command("fund", "export", "--round", "asc-2026", "--format", "360giving-json", "--out", str(out))
    data = json.loads(out.read_text())
    jsonschema.validate(data, schema(), cls=jsonschema.Draft4Validator)
    assert 0 < sum(g["amountAwarded"] for g in data["grants"]) <= 200_000


def test_fund_export_refuses_an_unknown_round_and_a_missing_folder(demo: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no round 'nope'. Rounds: asc-2026"):
        call_command("fund", "export", "--round", "nope", "--format", "360giving-json", "--out", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("fund", "export", "--round", "asc-2026", "--format", "360giving-json",
                     "--out", str(tmp_path / "missing" / "x.json"))
    with pytest.raises(CommandError, match="is a folder"):
        call_command("fund", "export", "--round", "asc-2026", "--format", "360giving-json", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="Could not write"):
        call_command("projects", "export", "--format", "csv", "--out", str(tmp_path))


def test_fund_export_refuses_an_undecided_round(db: Any, tmp_path: Path) -> None:
    from boroughhub.fund import seed_open_round

    seed_open_round(NOW)
    with pytest.raises(CommandError, match="has not been decided"):
        call_command("fund", "export", "--round", "asc-2027", "--format", "360giving-json",
                     "--out", str(tmp_path / "x.json"))


def test_the_demo_step_runs_again_without_adding_anything(demo: None) -> None:
    from boroughhub.fund import seed_demo
    from boroughhub.fund.models import Application
    from boroughhub.projects.models import Project

    before = (Project.objects.count(), Application.objects.count())
    with time_machine.travel(NOW, tick=False):
        assert "already there" in seed_demo(NOW)
    assert (Project.objects.count(), Application.objects.count()) == before
    assert Project.objects.filter(awarded_from__startswith="asc-2026/").count() == \
        Application.objects.filter(outcome="funded").count() > 0
