"""What each role's home page offers: the tasks that role comes to the hub for, each shown only when
its page would open for the session (``open_tasks``), so the cards never lead to a refusal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from boroughhub.organisations import Role


@dataclass(frozen=True)
class Task:
    title: str
    description: str
    url_name: str


@dataclass(frozen=True)
class Home:
    heading: str
    intro: str
    tasks: tuple[Task, ...]


HOMES: dict[Role, Home] = {
    Role.HUB_ADMIN: Home(
        "Run the hub",
        "Register organisations, keep the dataset and purpose registers, and evaluate the collaboration.",
        (
            Task("Programme evaluation", "Value for money of the collaboration, the Green Book way.", "evaluation:index"),
            Task("Administration", "Organisations, people and their roles.", "admin:index"),
        ),
    ),
    Role.IG_LEAD: Home(
        "Your data sharing agreements",
        "Draft, compare and sign the agreements your organisation is party to. What you sign is what the hub allows.",
        (Task("Agreements", "Agreements your organisation is party to, and what is waiting for you.", "agreements:list"),),
    ),
    Role.DATA_MANAGER: Home(
        "Manage the hub's data",
        "Check submissions, quality-assure linkage and review uncertain matches.",
        (
            Task("Submissions", "Validation reports and what is loaded.", "submissions:list"),
            Task("Submission calendar", "Which supplier has sent what, and what is late or missing.",
                 "submissions:calendar"),
            Task("Supplier data quality", "Rows, warnings and missing identifiers, period by period.",
                 "submissions:quality"),
            Task("Linkage review", "Pairs of records the model is unsure about.", "linkage:review"),
            Task("Insights", "Rough sleeping measures across London.", "insights:london"),
        ),
    ),
    Role.UPLOADER: Home(
        "Send your organisation's extracts",
        "Upload CHAIN, InForm or H-CLIC extracts. Each file is checked before anything is loaded.",
        (Task("Submissions", "Upload an extract and see its validation report.", "submissions:list"),),
    ),
    Role.ANALYST: Home(
        "Rough sleeping insights",
        "Is rough sleeping rare, brief and non-recurrent? Measures for your borough and London, under disclosure control.",
        (
            # First: the summary answers "up or down, and against London?" on one screen (issue 15).
            Task("Summary", "The latest year's figures for your area beside London's, with the change on the year before.",
                 "insights:summary"),
            Task("London overview", "The headline measures with their trend.", "insights:london"),
            Task("Linkage review", "Pairs of records the model is unsure about.", "linkage:review"),
        ),
    ),
    Role.FRONTLINE_WORKER: Home(
        "Rough sleeping insights",
        "Measures for your borough and London.",
        (Task("London overview", "The headline measures with their trend.", "insights:london"),),
    ),
    Role.PRIVACY_OFFICER: Home(
        "Oversee use of your organisation's data",
        "Read the audit trail of who saw what, under which agreement, and answer subject access requests.",
        (Task("Audit", "Entries in your organisation's scope.", "agreements:audit"),),
    ),
    # The rooms beside the data hub: each room adds its tasks here as it is built.
    Role.SECURITY_LEAD: Home(
        "Your council's attack surface",
        "What your council exposes to the internet, the risky exposures found, and what changed since the last run.",
        (),
    ),
    Role.PROJECT_LEAD: Home(
        "Projects and the innovation fund",
        "Projects your borough is part of, run the outcomes way, and the fund rounds you can apply to.",
        (
            Task("Projects", "What your borough is part of, overdue updates, and projects like yours.",
                 "projects:portfolio"),
            Task("Innovation fund", "Rounds open for applications, and your borough's applications.", "fund:rounds"),
        ),
    ),
    Role.FUND_ASSESSOR: Home(
        "Assess fund applications",
        "Declare conflicts, score each criterion with a justification, and moderate with the panel.",
        (Task("Innovation fund", "Applications waiting for your assessment.", "fund:rounds"),),
    ),
    Role.PROGRAMME_MANAGER: Home(
        "Run the collaboration's programme",
        "The project portfolio, fund rounds, and recruitment support for member boroughs.",
        (
            Task("Project portfolio", "Every project by borough, stage, theme, enabler risk and overdue update.",
                 "projects:portfolio"),
            Task("Innovation fund", "Rounds, the panel's moderation, selection and awards.", "fund:rounds"),
        ),
    ),
    Role.INCLUSION_WORKER: Home(
        "Get Online London at your hub",
        "Register a resident, issue a SIM or data voucher, hand over a device, refer to a skills course.",
        (),
    ),
    Role.INCLUSION_TEAM: Home(
        "Run Get Online London",
        "Approve hubs, manage device and SIM stock, and report to funders.",
        (),
    ),
    Role.EVENT_ORGANISER: Home(
        "Events for London's councils",
        "Create events, manage registrations and wait-lists, and check attendees in.",
        (),
    ),
    Role.APPRENTICE: Home(
        "The Apprentice Hub",
        "Talks, workshops, visits and career support for apprentices in digital, data and technology.",
        (),
    ),
    Role.APPRENTICE_MANAGER: Home(
        "Your apprentices",
        "Apprentices in your organisation, opportunities across London, and sessions they attended.",
        (),
    ),
    Role.GUIDANCE_OWNER: Home(
        "Guidance you own",
        "Keep the collaboration's guidance current: versions, review dates and what changed.",
        (),
    ),
}


def home_for(role: Role) -> Home:
    return HOMES[role]


@dataclass(frozen=True)
class OpenTask:
    title: str
    description: str
    href: str


def open_tasks(home: Home, offered: Callable[[str], str | None]) -> list[OpenTask]:
    """The home's tasks whose page ``offered(url_name)`` gives an address for, in the home's order."""
    shown = []
    for task in home.tasks:
        href = offered(task.url_name)
        if href is not None:
            shown.append(OpenTask(task.title, task.description, href))
    return shown
