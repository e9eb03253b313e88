"""Projects run the outcomes way, and the portfolio: the public front other rooms use.

The rules (stages, the hidden-enablers gate, overdue updates, the portfolio's views and export) come
with the package and need no Django settings. The database side (``Project`` and the store's
``create_project``, which the fund's award calls) is imported on first use (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from boroughhub.projects.enablers import ENABLER_LABELS, Enabler, EnablerAssessment, Rating
from boroughhub.projects.portfolio import THEMES, ProjectSummary
from boroughhub.projects.stages import Stage, move_problems

if TYPE_CHECKING:
    from boroughhub.projects.models import Project
    from boroughhub.projects.store import NewProject, Who, create_project, seed_demo_projects

__all__ = ["ENABLER_LABELS", "THEMES", "Enabler", "EnablerAssessment", "NewProject", "Project", "ProjectSummary",
           "Rating", "Stage", "Who", "create_project", "move_problems", "seed_demo_projects"]


def __getattr__(name: str) -> Any:
    """The database side, on first use (after Django is set up)."""
    if name == "Project":
        from boroughhub.projects.models import Project

        return Project
    if name in ("NewProject", "Who", "create_project", "seed_demo_projects"):
        from boroughhub.projects import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
