"""The method's stage machine and the hidden-enablers gate, without a database."""

from __future__ import annotations

import pytest

from boroughhub.projects.enablers import Enabler, EnablerAssessment, Rating, assessment_problems, worst_rating
from boroughhub.projects.stages import ProjectFacts, Stage, allowed_targets, move_problems


def facts(stage: Stage, *, outcome: str = "Fewer residents wait for care", technology: bool = False,
          enablers: tuple[EnablerAssessment, ...] = (), paused_from: Stage | None = None) -> ProjectFacts:
    return ProjectFacts(stage, outcome, technology, enablers, paused_from)


def all_assessed(**override: EnablerAssessment) -> tuple[EnablerAssessment, ...]:
    done = {e: EnablerAssessment(e, Rating.AMBER, "Known gap", "Jo Bloggs") for e in Enabler}
    done.update({Enabler(k): v for k, v in override.items()})
    return tuple(done.values())


def test_outcome_statement_comes_before_anything_else() -> None:
    problems = move_problems(facts(Stage.OUTCOME, outcome="   "), Stage.DISCOVER)
    assert problems and "outcome statement" in problems[0]
    assert move_problems(facts(Stage.OUTCOME), Stage.DISCOVER) == []


def test_the_method_moves_one_step_at_a_time() -> None:
    assert move_problems(facts(Stage.OUTCOME), Stage.DEFINE)
    assert move_problems(facts(Stage.DISCOVER), Stage.OUTCOME) == []  # back to revisit
    assert allowed_targets(Stage.DEFINE) == (Stage.DISCOVER, Stage.DEVELOP, Stage.PAUSED, Stage.STOPPED)


def test_closed_and_stopped_projects_move_no_more() -> None:
    for stage in (Stage.CLOSED, Stage.STOPPED):
        assert "cannot move" in move_problems(facts(stage), Stage.DISCOVER)[0]


def test_a_paused_project_resumes_where_it_was() -> None:
    paused = facts(Stage.PAUSED, paused_from=Stage.DEFINE)
    assert move_problems(paused, Stage.DEFINE) == []
    assert move_problems(paused, Stage.DELIVER)


def test_technology_project_cannot_pass_define_until_every_enabler_is_assessed() -> None:
    partly = all_assessed(ethics=EnablerAssessment(Enabler.ETHICS, None))
    problems = move_problems(facts(Stage.DEFINE, technology=True, enablers=partly), Stage.DEVELOP)
    assert len(problems) == 1 and "ethics" in problems[0] and "information governance" not in problems[0]
    assert move_problems(facts(Stage.DEFINE, technology=True, enablers=all_assessed()), Stage.DEVELOP) == []


@pytest.mark.parametrize("missing", ["note", "owner"])
def test_a_rating_without_note_or_owner_is_not_an_assessment(missing: str) -> None:
    half = EnablerAssessment(Enabler.DATA, Rating.GREEN, "" if missing == "note" else "ok",
                             "" if missing == "owner" else "Sam")
    problems = move_problems(facts(Stage.DEVELOP, technology=True, enablers=all_assessed(data=half)), Stage.DELIVER)
    assert problems and "data" in problems[0]


def test_the_gate_applies_to_technology_projects_only_and_not_to_going_back() -> None:
    assert move_problems(facts(Stage.DEFINE, technology=False), Stage.DEVELOP) == []
    assert move_problems(facts(Stage.DEFINE, technology=True), Stage.DISCOVER) == []
    assert move_problems(facts(Stage.DEFINE, technology=True), Stage.STOPPED) == []


def test_assessment_problems_and_worst_rating() -> None:
    assert len(assessment_problems("purple", "", "")) == 3
    assert assessment_problems("red", "why", "who") == []
    assert worst_rating(all_assessed(ig=EnablerAssessment(Enabler.INFORMATION_GOVERNANCE, Rating.RED, "x", "y"))) \
        is Rating.RED
    assert worst_rating(()) is None


def test_audit_actions_fit_the_audit_logs_field() -> None:
    """The audit log keeps an action in 20 characters (PostgreSQL refuses longer; SQLite would not say)."""
    import re
    from pathlib import Path

    import boroughhub.fund
    import boroughhub.projects

    actions = set()
    for room in (boroughhub.projects, boroughhub.fund):
        for path in Path(room.__file__).parent.rglob("*.py"):
            if "management" not in path.parts or path.name in ("fund.py", "projects.py"):
                text = path.read_text(encoding="utf-8").replace('action="store_true"', "")
                actions |= set(re.findall(r'(?:action=|_audit\("\w+", who, )"([a-z0-9_]+)"', text))
    assert actions and not [a for a in actions if len(a) > 20]
