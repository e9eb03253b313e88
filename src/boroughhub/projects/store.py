"""The projects room's database side: create a project, move it (the rules of ``stages.py`` asked
first), assess its enablers, record updates (watchers notified), and read the portfolio.

Each change is one transaction with its audit entry ("registry" for what the register holds,
"decision" for stage moves): a change that cannot be audited is not made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction

from boroughhub.audit import record_event
from boroughhub.organisations import Organisation

from .enablers import Enabler, EnablerAssessment, Rating, assessment_problems, worst_rating
from .models import EnablerAssessmentRecord, Project, ProjectPartner, StageMove, StatusUpdate, Watcher
from .overdue import update_due
from .portfolio import THEMES, ProjectSummary
from .public import unknown_public_fields
from .stages import Stage, move_problems


class ProjectRefused(ValueError):
    """A change the rules refuse; ``problems`` say what to do."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Who:
    """Who is making a change: a signed-in user acting for an organisation, or a named system step."""

    user: Any
    org_id: str | None
    role: str | None
    name: str


def who_of_request(request: Any) -> Who:
    acting = request.acting
    user = acting.user
    # Names are kept in 200 characters beside each move and update (an email may be longer).
    return Who(user, acting.org_id, str(acting.role), (user.display_name or user.email)[:200])


SYSTEM = Who("system", None, None, "boroughhub")


@dataclass(frozen=True)
class NewProject:
    slug: str
    title: str
    outcome_statement: str
    lead_organisation: str
    problem: str = ""
    partners: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    suppliers: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    has_technology: bool = False
    starts_on: date | None = None
    ends_on: date | None = None
    funding_pence: int = 0
    update_interval_days: int = 30
    stage: Stage = Stage.OUTCOME
    awarded_from: str = ""
    #: The data sharing agreement it shares data under, and its activity in the programme evaluation.
    agreement_id: str = ""
    evaluation_activity: str = ""
    public_fields: tuple[str, ...] = field(default_factory=tuple)


def new_project_problems(new: NewProject) -> list[str]:
    problems = []
    if not new.outcome_statement.strip():
        problems.append("Write the outcome statement first: what partners want to be different in the world.")
    if not new.title.strip():
        problems.append("Enter a title.")
    if not Organisation.objects.filter(pk=new.lead_organisation, type="borough").exists():
        problems.append("Choose the lead borough.")
    for org_id in (*new.partners, *new.funders, *new.suppliers):
        if not Organisation.objects.filter(pk=org_id).exists():
            problems.append(f"There is no organisation {org_id!r}: choose one from the list.")
    unknown_themes = sorted(set(new.themes) - set(THEMES))
    if unknown_themes:
        problems.append(f"Unknown themes: {', '.join(unknown_themes)}.")
    if unknown_public_fields(new.public_fields):
        problems.append(f"These fields cannot be public: {', '.join(unknown_public_fields(new.public_fields))}.")
    if not 1 <= new.update_interval_days <= 365:
        problems.append("Updates are due at least every 365 days and at most every day.")
    return problems


def create_project(new: NewProject, who: Who, now: datetime) -> Project:
    """A new project (its first stage move recorded), or ``ProjectRefused`` saying what to fix."""
    problems = new_project_problems(new)
    if Project.objects.filter(slug=new.slug).exists():
        problems.append(f"A project with the id {new.slug!r} exists already.")
    if problems:
        raise ProjectRefused(problems)
    with transaction.atomic():
        project = Project.objects.create(
            slug=new.slug, title=new.title, outcome_statement=new.outcome_statement, problem=new.problem,
            stage=new.stage.value, lead_organisation_id=new.lead_organisation, has_technology=new.has_technology,
            themes=list(new.themes), starts_on=new.starts_on, ends_on=new.ends_on, funding_pence=new.funding_pence,
            update_interval_days=new.update_interval_days, created_at=now,
            created_by=who.user if who.user != "system" else None, awarded_from=new.awarded_from,
            agreement_id=new.agreement_id, evaluation_activity=new.evaluation_activity,
            is_public=bool(new.public_fields), public_fields=list(new.public_fields))
        for kind, orgs in (("partner", new.partners), ("funder", new.funders), ("supplier", new.suppliers)):
            for org_id in dict.fromkeys(orgs):
                if not (kind == "partner" and org_id == new.lead_organisation):
                    ProjectPartner.objects.create(project=project, organisation_id=org_id, kind=kind)
        StageMove.objects.create(project=project, to_stage=new.stage.value, moved_by=_user(who),
                                 moved_by_name=who.name, moved_at=now,
                                 note="Awarded by the fund" if new.awarded_from else "Project registered")
        _audit("registry", who, "project_created", project, {"stage": new.stage.value, "awarded_from": new.awarded_from})
    return project


def change_details(project: Project, *, title: str, outcome_statement: str, problem: str, themes: Iterable[str],
                   has_technology: bool, update_interval_days: int, who: Who) -> None:
    """The lead's edit of what the project is. The outcome statement stays required; turning on the
    technology component applies the enablers gate from the next move on (a project already past define
    stays where it is, and cannot move on until its enablers are assessed)."""
    problems = []
    if not outcome_statement.strip():
        problems.append("The outcome statement cannot be empty: say what partners want to be different.")
    if not title.strip():
        problems.append("Enter a title.")
    unknown = sorted(set(themes) - set(THEMES))
    if unknown:
        problems.append(f"Unknown themes: {', '.join(unknown)}.")
    if not 1 <= update_interval_days <= 365:
        problems.append("Updates are due at least every 365 days and at most every day.")
    if problems:
        raise ProjectRefused(problems)
    with transaction.atomic():
        project.title, project.outcome_statement, project.problem = title.strip(), outcome_statement.strip(), problem
        project.themes, project.has_technology = sorted(set(themes)), has_technology
        project.update_interval_days = update_interval_days
        project.save(update_fields=["title", "outcome_statement", "problem", "themes", "has_technology",
                                    "update_interval_days"])
        _audit("registry", who, "project_details_set", project, {"has_technology": has_technology})


def _user(who: Who) -> Any:
    return who.user if who.user != "system" else None


def _audit(event_type: str, who: Who, action: str, project: Project, payload: dict[str, Any]) -> None:
    record_event(event_type, "ok", user=who.user, org_id=who.org_id, role=who.role, action=action,
                 payload={"project": project.slug, **payload})


def assessments_of(project: Project) -> tuple[EnablerAssessment, ...]:
    return tuple(EnablerAssessment(Enabler(a.enabler), Rating(a.rating), a.note, a.owner)
                 for a in project.enabler_assessments.all())


def facts_of(project: Project) -> Any:
    from .stages import ProjectFacts

    return ProjectFacts(Stage(project.stage), project.outcome_statement, project.has_technology,
                        assessments_of(project), Stage(project.paused_from) if project.paused_from else None)


def move_stage(project: Project, target: Stage, who: Who, now: datetime, note: str = "") -> StageMove:
    """Move ``project`` to ``target`` if the method allows it; who and when are recorded."""
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        problems = move_problems(facts_of(project), target)
        if problems:
            raise ProjectRefused(problems)
        before = Stage(project.stage)
        project.paused_from = before.value if target is Stage.PAUSED else ""
        project.stage = target.value
        project.save(update_fields=["stage", "paused_from"])
        move = StageMove.objects.create(project=project, from_stage=before.value, to_stage=target.value,
                                        moved_by=_user(who), moved_by_name=who.name, moved_at=now, note=note)
        _audit("decision", who, "project_stage_moved", project, {"from": before.value, "to": target.value})
    return move


def assess_enabler(project: Project, enabler: Enabler, rating: str, note: str, owner: str, who: Who,
                   now: datetime) -> None:
    problems = assessment_problems(rating, note, owner)
    if problems:
        raise ProjectRefused([f"{enabler.label}: {problem}" for problem in problems])
    with transaction.atomic():
        EnablerAssessmentRecord.objects.update_or_create(
            project=project, enabler=enabler.value,
            defaults={"rating": rating, "note": note.strip(), "owner": owner.strip(), "assessed_by": _user(who),
                      "assessed_at": now})
        _audit("registry", who, "enabler_assessed", project, {"enabler": enabler.value, "rating": rating})


def record_update(project: Project, summary: str, who: Who, now: datetime) -> StatusUpdate:
    """A dated status update; each watcher (but the writer) gets a notification."""
    if not summary.strip():
        raise ProjectRefused(["Write what has happened since the last update."])
    from boroughhub.agreements import Notification

    with transaction.atomic():
        update = StatusUpdate.objects.create(project=project, written_at=now, written_by=_user(who),
                                             written_by_name=who.name, summary=summary.strip())
        for watcher in project.watchers.exclude(user=_user(who)):
            Notification.objects.create(
                organisation_id=watcher.organisation_id, role=watcher.role, user=watcher.user, kind="project_update",
                subject=f"New update on {project.title}", body=summary.strip()[:500],
                link=f"/projects/{project.slug}", created_at=now)
        _audit("registry", who, "project_update", project, {"watchers": project.watchers.count()})
    return update


def watch(project: Project, who: Who, on: bool) -> None:
    if on:
        Watcher.objects.get_or_create(project=project, user=who.user,
                                      defaults={"organisation_id": who.org_id, "role": who.role or ""})
    else:
        Watcher.objects.filter(project=project, user=who.user).delete()


def last_update_at(project: Project) -> datetime | None:
    latest = project.updates.order_by("-written_at").first()
    return latest.written_at if latest else None


def is_overdue(project: Project, now: datetime) -> bool:
    due = update_due(Stage(project.stage), project.created_at, last_update_at(project),
                     project.update_interval_days, now)
    return bool(due and due.overdue)


def notify_overdue(now: datetime) -> int:
    """Tell each overdue project's lead borough (its project leads) once per missed due date; returns how
    many notifications were sent. Run daily (``boroughhub projects remind-overdue``)."""
    from boroughhub.agreements import notify

    sent = 0
    for project in Project.objects.exclude(stage__in=[Stage.CLOSED.value, Stage.STOPPED.value, Stage.PAUSED.value]):
        due = update_due(Stage(project.stage), project.created_at, last_update_at(project),
                         project.update_interval_days, now)
        if due is None or not due.overdue:
            continue
        sent += notify(project.lead_organisation_id, "project_lead", "project_overdue",
                       f"Update overdue: {project.title}",
                       f"An update was due on {due.due_at:%d %B %Y}. Post one on the project's page.",
                       link=f"/projects/{project.slug}", key=f"project-overdue-{project.slug}-{due.due_at:%Y%m%d}")
    return sent


def summaries(now: datetime, projects: Iterable[Project] | None = None) -> list[ProjectSummary]:
    """Every project (or those given) as the portfolio's summary rows."""
    rows = []
    queryset = projects if projects is not None else Project.objects.all()
    for project in Project.objects.filter(pk__in=[p.pk for p in queryset]).prefetch_related(
            "partners", "enabler_assessments", "updates"):
        partners = project.partners.all()
        latest = max((u.written_at for u in project.updates.all()), default=None)
        due = update_due(Stage(project.stage), project.created_at, latest, project.update_interval_days, now)
        rows.append(ProjectSummary(
            id=project.pk, slug=project.slug, title=project.title, outcome_statement=project.outcome_statement,
            problem=project.problem, stage=Stage(project.stage), lead_organisation=project.lead_organisation_id,
            partner_organisations=tuple(p.organisation_id for p in partners if p.kind == "partner"),
            themes=tuple(project.themes), has_technology=project.has_technology,
            worst_enabler=worst_rating(assessments_of(project)), overdue=bool(due and due.overdue),
            funding_pence=project.funding_pence,
            funders=tuple(p.organisation_id for p in partners if p.kind == "funder")))
    rows.sort(key=lambda row: row.title)
    return rows


def seed_demo_projects(now: datetime, count: int = 64, seed: int = 2026) -> int:
    """The demo's portfolio (``demo.py``'s synthetic projects), added once; returns how many were added."""
    from .demo import demo_projects

    added = 0
    for plan in demo_projects(now, count=count, seed=seed):
        if Project.objects.filter(slug=plan.slug).exists():
            continue
        project = create_project(NewProject(
            slug=plan.slug, title=plan.title, outcome_statement=plan.outcome, lead_organisation=plan.lead,
            problem=plan.problem, partners=plan.partners, themes=plan.themes, has_technology=plan.technology,
            starts_on=plan.created_at.date(), funding_pence=plan.funding_pence,
            update_interval_days=plan.interval_days,
            agreement_id="dsa-pl-rsi" if "data-sharing" in plan.themes and "housing" in plan.themes else "",
            public_fields=("outcome_statement", "problem", "stage", "organisations", "themes") if plan.public else ()),
            SYSTEM, plan.created_at)
        for stage, at in plan.moves:
            if stage is Stage.DEVELOP and project.has_technology:
                for enabler, (rating, note, owner) in plan.enablers.items():
                    assess_enabler(project, enabler, rating, note, owner, SYSTEM, at)
            move_stage(project, stage, SYSTEM, at)
        for at, text in plan.updates:
            record_update(project, text, SYSTEM, at)
        added += 1
    return added
