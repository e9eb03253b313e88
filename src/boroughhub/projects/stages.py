"""The outcomes-based method's stages and the rules for moving between them.

A project starts from the end in mind: its outcome statement is the one thing it needs before it can
go anywhere. Then it runs the double diamond (discover, define, develop, deliver) and is closed; it
may be paused (and resumed where it was) or stopped at any point. A project with a technology
component cannot move past define until each hidden enabler is assessed (``enablers.py``).

Plain data and functions: the page, the command line and the fund's award all ask ``move_problems``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .enablers import EnablerAssessment, unassessed_enablers


class Stage(StrEnum):
    OUTCOME = "outcome"
    DISCOVER = "discover"
    DEFINE = "define"
    DEVELOP = "develop"
    DELIVER = "deliver"
    CLOSED = "closed"
    PAUSED = "paused"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    Stage.OUTCOME: "Outcome", Stage.DISCOVER: "Discover", Stage.DEFINE: "Define", Stage.DEVELOP: "Develop",
    Stage.DELIVER: "Deliver", Stage.CLOSED: "Closed", Stage.PAUSED: "Paused", Stage.STOPPED: "Stopped",
}

#: The method's path, in order: a project moves one step forward, or back to revisit an earlier stage.
METHOD_PATH = (Stage.OUTCOME, Stage.DISCOVER, Stage.DEFINE, Stage.DEVELOP, Stage.DELIVER, Stage.CLOSED)
#: Stages past define: a project with a technology component needs its enablers assessed to reach them.
PAST_DEFINE = frozenset({Stage.DEVELOP, Stage.DELIVER, Stage.CLOSED})
#: Where nothing more happens.
FINAL = frozenset({Stage.CLOSED, Stage.STOPPED})


@dataclass(frozen=True)
class ProjectFacts:
    """What the move rules read of a project."""

    stage: Stage
    outcome_statement: str
    has_technology: bool
    enablers: tuple[EnablerAssessment, ...] = ()
    #: The stage a paused project resumes at.
    paused_from: Stage | None = None


def allowed_targets(stage: Stage, paused_from: Stage | None = None) -> tuple[Stage, ...]:
    """The stages the method lets a project at ``stage`` move to (before the gates are asked)."""
    if stage in FINAL:
        return ()
    if stage is Stage.PAUSED:
        resume = paused_from or Stage.OUTCOME
        return (resume, Stage.STOPPED)
    index = METHOD_PATH.index(stage)
    targets = [METHOD_PATH[index + 1]] if index + 1 < len(METHOD_PATH) else []
    if index > 0:
        targets.insert(0, METHOD_PATH[index - 1])
    return (*targets, Stage.PAUSED, Stage.STOPPED)


def move_problems(project: ProjectFacts, target: Stage) -> list[str]:
    """Why ``project`` cannot move to ``target``, in words that say what to do; empty when it can."""
    if not project.outcome_statement.strip():
        return ["Write the project's outcome statement first: what partners want to be different in the world."]
    if target not in allowed_targets(project.stage, project.paused_from):
        if project.stage in FINAL:
            return [f"The project is {project.stage.label.lower()}: it cannot move any more."]
        choices = ", ".join(stage.label.lower() for stage in allowed_targets(project.stage, project.paused_from))
        return [f"A project at {project.stage.label.lower()} can move to: {choices}; "
                f"not to {target.label.lower()}."]
    if target in PAST_DEFINE and project.has_technology:
        missing = unassessed_enablers(project.enablers)
        if missing:
            names = ", ".join(enabler.label.lower() for enabler in missing)
            return [f"This project has a technology component: assess each hidden enabler (red, amber or green "
                    f"with a note and an owner) before it moves past define. Still to assess: {names}."]
    return []
