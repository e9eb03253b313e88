"""The demo's portfolio: plausible synthetic projects across the collaboration's 27 member boroughs,
seeded so the same seed gives the same projects. Plain Python; ``store.seed_demo_projects`` writes them.
Times are derived from the "now" given, so the demo looks the same whatever the date.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from .enablers import Enabler
from .stages import METHOD_PATH, Stage

#: The 27 boroughs that are members of the collaboration in the demo (the other six are not).
MEMBER_BOROUGHS = (
    "barking-and-dagenham", "barnet", "brent", "camden", "croydon", "ealing", "enfield", "greenwich", "hackney",
    "hammersmith-and-fulham", "haringey", "harrow", "havering", "hillingdon", "hounslow", "islington",
    "kensington-and-chelsea", "lambeth", "lewisham", "merton", "newham", "redbridge", "southwark",
    "tower-hamlets", "waltham-forest", "wandsworth", "westminster",
)


@dataclass(frozen=True)
class Idea:
    title: str
    outcome: str
    problem: str
    themes: tuple[str, ...]
    technology: bool


IDEAS = (
    Idea("Falls prevention sensors at home", "Older residents stay safely in their own homes for longer.",
         "Falls are the commonest reason older residents are admitted to hospital and then to residential care.",
         ("adult-social-care",), True),
    Idea("Shared brokerage for home care", "Residents leaving hospital get home care within two days.",
         "Each borough brokers home care alone, competing for the same providers.", ("adult-social-care", "procurement"),
         False),
    Idea("Carers' assessment online", "Unpaid carers get support before they reach crisis.",
         "Carers wait months for an assessment and many never ask for one.", ("adult-social-care",), True),
    Idea("Temporary accommodation data standard", "Families spend fewer nights in temporary accommodation.",
         "Boroughs cannot see which placements are used by whom across London.", ("housing", "data-sharing"), True),
    Idea("Rough sleeping shared insights", "Rough sleeping in London is rare, brief and non-recurrent.",
         "Outreach, hostels and councils each hold part of the picture.", ("housing", "data-sharing"), True),
    Idea("Damp and mould early warning", "No tenant lives with damp and mould that harms their health.",
         "Repairs are reported late and the same homes come back again and again.", ("housing", "climate"), True),
    Idea("Digital skills at the library", "Every resident who wants to get online can, with support nearby.",
         "A fifth of older residents have no home internet and no one to ask.", ("digital-inclusion",), False),
    Idea("Device recycling for residents", "Residents who cannot afford a device get a refurbished one.",
         "Councils dispose of working laptops while residents go without.", ("digital-inclusion", "climate"), False),
    Idea("Cyber resilience exercises", "Councils keep serving residents through a cyber attack.",
         "Incident plans are untested and depend on systems that would be down.", ("cyber-security",), True),
    Idea("Shared security operations", "Attacks on London's councils are seen and stopped early.",
         "Few boroughs can staff monitoring around the clock alone.", ("cyber-security", "procurement"), True),
    Idea("Children's early help data", "Families get help before problems become crises.",
         "Early signs are spread across schools, health and council services.", ("childrens-services", "data-sharing"),
         True),
    Idea("Foster carer recruitment together", "More London children in care live with London foster carers.",
         "Boroughs compete for the same carers and place children far away.", ("childrens-services",), False),
    Idea("Council tax support simplified", "Residents on low incomes get the support they are entitled to.",
         "Claim forms are long and many eligible residents never apply.", ("revenues-benefits",), True),
    Idea("Net zero fleet pooling", "Council fleets are zero-emission by 2030.",
         "Electric vehicles cost more to buy than any one borough can justify.", ("climate", "procurement"), False),
    Idea("Data apprentices across London", "Councils grow their own data skills.",
         "Data roles stay vacant and agency staff cost twice as much.", ("workforce",), False),
    Idea("Shared occupational therapy assessments", "Residents get equipment and adaptations without waiting.",
         "Waiting lists for assessments run to months.", ("adult-social-care",), True),
)

UPDATE_TEXTS = (
    "Workshop held with partner boroughs; outcome indicators agreed.",
    "User research interviews complete; findings shared with the steering group.",
    "Procurement route agreed with the category lead.",
    "Information governance review under way; DPIA drafted.",
    "Pilot running in two wards; early feedback positive.",
    "Funding confirmed for the next phase.",
)


@dataclass(frozen=True)
class NewProjectPlan:
    """One demo project: what it is, and what happened to it (stage moves, assessments, updates)."""

    slug: str
    title: str
    outcome: str
    problem: str
    lead: str
    partners: tuple[str, ...]
    themes: tuple[str, ...]
    technology: bool
    created_at: datetime
    funding_pence: int
    interval_days: int
    moves: tuple[tuple[Stage, datetime], ...]
    enablers: dict[Enabler, tuple[str, str, str]]
    updates: tuple[tuple[datetime, str], ...]
    public: bool


def demo_projects(now: datetime, count: int = 64, seed: int = 2026) -> list[NewProjectPlan]:
    """``count`` projects: each idea led by a member borough with one to three partners, at a stage of the
    method, with enabler assessments for technology projects that are past define, and dated updates
    (some projects left without a recent one, so the portfolio shows overdue ones)."""
    rng = random.Random(seed)
    plans = []
    for n in range(count):
        idea = IDEAS[n % len(IDEAS)]
        lead = MEMBER_BOROUGHS[n % len(MEMBER_BOROUGHS)]
        partners = tuple(rng.sample([b for b in MEMBER_BOROUGHS if b != lead], rng.randint(1, 3)))
        created_at = now - timedelta(days=rng.randint(120, 900))
        reached = rng.choice((*METHOD_PATH[1:], Stage.PAUSED, Stage.STOPPED))
        path = list(METHOD_PATH[1:METHOD_PATH.index(reached) + 1]) if reached in METHOD_PATH else \
            [Stage.DISCOVER, reached]
        step = (now - created_at) / (len(path) + 2)
        moves = tuple((stage, created_at + step * (i + 1)) for i, stage in enumerate(path))
        interval = rng.choice((14, 30, 30, 60))
        # Most projects report on time; about one in five has gone quiet for longer than its interval.
        quiet = rng.random() < 0.2
        last = now - timedelta(days=interval * (2 if quiet else 0) + rng.randint(1, max(interval - 2, 2)))
        updates = tuple(sorted({(last - timedelta(days=interval * k), UPDATE_TEXTS[(n + k) % len(UPDATE_TEXTS)])
                                for k in range(rng.randint(1, 3)) if last - timedelta(days=interval * k) > created_at}))
        enablers = {
            enabler: (rng.choice(("red", "amber", "green", "green")),
                      f"{enabler.label} assessed with the partner boroughs' leads.", f"{lead.replace('-', ' ').title()} "
                                                                                    f"{enabler.label.lower()} lead")
            for enabler in Enabler
        }
        title = f"{idea.title} ({lead.replace('-', ' ').title()})" if n >= len(IDEAS) else idea.title
        plans.append(NewProjectPlan(
            slug=f"demo-{n + 1:03d}", title=title, outcome=idea.outcome, problem=idea.problem, lead=lead,
            partners=partners, themes=idea.themes, technology=idea.technology, created_at=created_at,
            funding_pence=rng.randint(2, 40) * 500_000, interval_days=interval, moves=moves, enablers=enablers,
            updates=updates, public=n % 3 == 0))
    return plans
