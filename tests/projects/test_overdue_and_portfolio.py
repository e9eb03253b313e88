"""Overdue updates, the portfolio's views, "find projects like mine", the export and public fields."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from boroughhub.projects.enablers import Rating
from boroughhub.projects.overdue import update_due
from boroughhub.projects.portfolio import (
    ProjectSummary,
    by_enabler_risk,
    export_csv,
    export_json,
    part_of,
    projects_like,
)
from boroughhub.projects.public import public_view, unknown_public_fields
from boroughhub.projects.stages import Stage

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_no_update_for_the_stated_interval_is_overdue() -> None:
    due = update_due(Stage.DISCOVER, START, START + timedelta(days=10), 30, START + timedelta(days=41))
    assert due is not None and due.overdue and due.days_overdue == 1
    on_time = update_due(Stage.DISCOVER, START, START + timedelta(days=10), 30, START + timedelta(days=39))
    assert on_time is not None and not on_time.overdue


def test_before_the_first_update_the_clock_runs_from_the_start() -> None:
    due = update_due(Stage.OUTCOME, START, None, 14, START + timedelta(days=15))
    assert due is not None and due.overdue


@pytest.mark.parametrize("stage", [Stage.CLOSED, Stage.STOPPED, Stage.PAUSED])
def test_finished_or_paused_projects_are_never_overdue(stage: Stage) -> None:
    assert update_due(stage, START, None, 14, START + timedelta(days=400)) is None


def summary(n: int, title: str, *, lead: str = "hackney", partners: tuple[str, ...] = (), themes: tuple[str, ...] = (),
            technology: bool = False, worst: Rating | None = None, outcome: str = "") -> ProjectSummary:
    return ProjectSummary(n, f"p-{n}", title, outcome or title, "", Stage.DISCOVER, lead, partners, themes,
                          technology, worst, False, 1250000)


def test_views_by_borough_and_enabler_risk() -> None:
    projects = [summary(1, "A", partners=("southwark",)), summary(2, "B", lead="southwark"), summary(3, "C"),
                summary(4, "D", technology=True, worst=Rating.GREEN), summary(5, "E", technology=True, worst=Rating.RED),
                summary(6, "F", technology=True)]
    assert [p.id for p in part_of(projects, "southwark")] == [1, 2]
    assert [p.id for p in by_enabler_risk(projects)] == [6, 5, 4]


def test_find_projects_like_mine_ranks_shared_words_and_themes() -> None:
    projects = [summary(1, "Falls prevention sensors in care homes", themes=("adult-social-care",)),
                summary(2, "Council tax single person discount review", themes=("revenues-benefits",)),
                summary(3, "Care home hospital discharge tracker", themes=("adult-social-care",))]
    found = projects_like(projects, "sensors to prevent falls for people in care homes", ["adult-social-care"])
    assert [like.project.id for like in found] == [1, 3]
    assert "sensors" in found[0].shared_words and found[0].shared_themes == ("adult-social-care",)
    # "prevent" finds "prevention", "fall" finds "falls": shared words are shown as the project has them.
    stems = projects_like(projects, "prevent a fall")
    assert [like.project.id for like in stems] == [1] and stems[0].shared_words == ("falls", "prevention")


def test_export_carries_outcome_stage_lead_and_partners() -> None:
    projects = [summary(1, "=cmd()", partners=("southwark", "lambeth"), outcome="Fewer falls")]
    data = json.loads(export_json(projects))[0]
    assert data["outcome_statement"] == "Fewer falls" and data["stage"] == "discover"
    assert data["lead_organisation"] == "hackney" and data["partner_organisations"] == ["southwark", "lambeth"]
    row = next(csv.DictReader(io.StringIO(export_csv(projects))))
    assert row["partner_organisations"] == "southwark; lambeth" and row["title"] == "'=cmd()"


def test_public_view_shows_only_marked_fields() -> None:
    fields = {"outcome_statement": "Fewer falls", "problem": "Falls", "funding": "£10,000", "owner": "Jo"}
    assert public_view(fields, ["problem", "owner"]) == {"problem": "Falls"}
    assert unknown_public_fields(["problem", "owner"]) == ["owner"]
