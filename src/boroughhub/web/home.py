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
            Task("People", "Invite an organisation's first information governance lead.", "people:list"),
        ),
    ),
    Role.IG_LEAD: Home(
        "Your data sharing agreements",
        "Draft, compare and sign the agreements your organisation is party to. What you sign is what the hub allows.",
        (Task("Agreements", "Agreements your organisation is party to, and what is waiting for you.", "agreements:list"),
         Task("People", "Invite your organisation's staff to their roles, one by one or from a CSV file.", "people:list")),
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
            Task("Residents' matching", "How each load's people were matched to residents, and uncertain pairs "
                 "kept apart.", "residents:matching"),
            Task("Insights", "Rough sleeping measures across London.", "insights:london"),
            Task("Retention", "What the agreements' retention clauses delete next, and when.", "retention:due"),
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
            Task("Residents' matching", "How each load's people were matched to residents, and uncertain pairs "
                 "kept apart.", "residents:matching"),
        ),
    ),
    Role.FRONTLINE_WORKER: Home(
        "Your residents and your area",
        "Who else is involved with the residents on your team's open cases, and rough sleeping measures for London.",
        (
            Task("Find a resident", "Which other services are involved with a resident on your team's open cases, "
                 "and how to contact their practitioner.", "residents:search"),
            Task("London overview", "The headline measures with their trend.", "insights:london"),
        ),
    ),
    Role.PRIVACY_OFFICER: Home(
        "Oversee use of your organisation's data",
        "Read the audit trail of who saw what, under which agreement, and answer subject access requests.",
        (
            Task("Audit", "Entries in your organisation's scope.", "agreements:audit"),
            Task("Break-glass alerts", "Frontline workers who opened a resident without a relationship: review and "
                 "close each with an outcome; this week's spot checks.", "residents:alerts"),
            Task("A resident's access history", "Who saw a resident's involvements, when and why, for a subject "
                 "access request.", "residents:history"),
        ),
    ),
    # The rooms beside the data hub: each room adds its tasks here as it is built.
    Role.SECURITY_LEAD: Home(
        "Your council's attack surface",
        "What your council exposes to the internet, the risky exposures found, and what changed since the last run.",
        (
            Task("Attack surface", "Findings ranked by priority, and what changed since the last run.", "asm:index"),
            Task("Scope and authorisation", "What may be checked, and who authorised it.", "asm:scope"),
            Task("Run the checks", "DNS, risky ports, web and TLS checks on targets inside the scope.", "asm:run"),
            Task("How London compares", "Your council beside the others, by finding type and time to resolve.",
                 "asm:london"),
        ),
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
            Task("Recruitment support", "Vacancies, shortlists, time to fill and the saving against agency fees.",
                 "network:recruitment"),
            Task("Attack surface across councils", "Councils compared by finding type and time to resolve.",
                 "asm:london"),
            Task("Project portfolio", "Every project by borough, stage, theme, enabler risk and overdue update.",
                 "projects:portfolio"),
            Task("Innovation fund", "Rounds, the panel's moderation, selection and awards.", "fund:rounds"),
        ),
    ),
    Role.INCLUSION_WORKER: Home(
        "Get Online London at your hub",
        "Register a resident, issue a SIM or data voucher, hand over a device, refer to a skills course.",
        (
            Task("Register a resident", "Record someone your hub is helping: a reference, no name.", "getonline:new_person"),
            Task("Your hub", "People you have helped, and the devices and codes your hub holds.", "getonline:hub"),
            Task("Ask for stock", "Devices, SIM cards or data vouchers from the service team.", "getonline:request"),
        ),
    ),
    Role.INCLUSION_TEAM: Home(
        "Run Get Online London",
        "Approve hubs, manage device and SIM stock, and report to funders.",
        (
            Task("Hubs and stock requests", "Applications to be a hub, staff accounts, and requests to meet.",
                 "getonline:team"),
            Task("Stock", "Devices by stage, codes by where they are, and the files that load them.", "getonline:stock"),
            Task("Monthly report", "Devices, SIMs and learners by borough against the year's targets.", "getonline:report"),
        ),
    ),
    Role.EVENT_ORGANISER: Home(
        "Events for London's councils",
        "Create events, manage registrations and wait-lists, and check attendees in.",
        (
            Task("Events", "Upcoming events, London Data Week among them; create one and check attendees in.",
                 "network:events"),
            Task("Create an event", "Title, audience, venue or online, places and times in London time.",
                 "network:event_new"),
        ),
    ),
    Role.APPRENTICE: Home(
        "The Apprentice Hub",
        "Talks, workshops, visits and career support for apprentices in digital, data and technology.",
        (
            Task("Apprentice Hub", "Your profile, career support, opportunities and sessions attended.",
                 "network:apprentices"),
            Task("Apprentice directory", "Apprentices across London by borough, standard and cohort.",
                 "network:apprentice_directory"),
            Task("Events", "Meetups, talks and workshops.", "network:events"),
            Task("Guidance library", "Search the collaboration's guidance.", "network:guidance"),
        ),
    ),
    Role.APPRENTICE_MANAGER: Home(
        "Your apprentices",
        "Apprentices in your organisation, opportunities across London, and sessions they attended.",
        (
            Task("Apprentice Hub", "Your organisation's apprentices and their end dates.", "network:apprentices"),
            Task("Post an opportunity", "A job, visit, workshop or mentoring, with a closing date.",
                 "network:opportunity_new"),
            Task("Apprentice directory", "Apprentices across London by borough, standard and cohort.",
                 "network:apprentice_directory"),
        ),
    ),
    Role.GUIDANCE_OWNER: Home(
        "Guidance you own",
        "Keep the collaboration's guidance current: versions, review dates and what changed.",
        (
            Task("Guidance due for review", "Your guidance past its review date.", "network:guidance_review"),
            Task("Guidance library", "Search, publish and save new versions.", "network:guidance"),
        ),
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
