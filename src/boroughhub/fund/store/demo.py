"""The demo's fund: the portfolio of projects, one closed and decided adult social care round (two
assessors, moderated, selected within its £200,000), and for trying it out an open round to apply to.

Times are derived from the "now" given; each step is skipped when already there.
"""

from __future__ import annotations

import os
import random
from datetime import datetime, timedelta
from typing import Any

from boroughhub.fund.models import Criterion, Round
from boroughhub.organisations import DEFAULT_DEMO_PASSWORD, HUB_OPERATOR_ID, RoleGrant, User
from boroughhub.projects import seed_demo_projects

from .applications import save_application, submit_application
from .assessment import moderate, save_scores
from .decisions import decide_round

CRITERIA = (
    ("outcome", "A clear outcome for residents", "What will be different, for whom, and how we will know.", 30),
    ("need", "Evidence of need", "Data and residents' voices showing the problem is real and widespread.", 20),
    ("feasibility", "Feasibility of the pilot", "A plan, a team and partners who can run it in a year.", 25),
    ("enablers", "Hidden enablers considered", "Information governance, procurement, skills, culture, data, ethics.",
     15),
    ("value", "Value for money", "What it costs against what it could save or improve.", 10),
)
#: The demo's second assessor (the first is the demo account fund_assessor@hub.example).
SECOND_ASSESSOR = "fund_assessor.2@hub.example"

IDEAS = (
    ("Reablement at home after hospital", "hackney", ["southwark"]),
    ("Digital care records shared with home care providers", "camden", ["islington", "barnet"]),
    ("Community connectors for isolated older residents", "lambeth", ["lewisham"]),
    ("Assistive technology library", "croydon", ["merton", "wandsworth"]),
    ("Shared approved mental health professional rota", "ealing", ["hounslow"]),
    ("Direct payments made simpler", "newham", ["tower-hamlets"]),
    ("Carers' breaks marketplace", "enfield", ["haringey", "waltham-forest"]),
    ("Predicting care home placements to prevent them", "brent", ["harrow"]),
)


def demo_password() -> str:
    # The same password as the demo's other accounts (`boroughhub demo` reads the same variable).
    return os.environ.get("BOROUGHHUB_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def assessor(email: str) -> Any:
    """A fund assessor of the hub operator (created with the demo password when not there yet)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, demo_password())
        user.display_name = "Demo fund assessor 2"
        user.save(update_fields=["display_name"])
    if not RoleGrant.objects.filter(user=user, organisation_id=HUB_OPERATOR_ID, role="fund_assessor").exists():
        RoleGrant.objects.create(user=user, organisation_id=HUB_OPERATOR_ID, role="fund_assessor")
    return user


def _applicant(org_id: str) -> Any:
    email = f"project_lead@{org_id}.example"
    return User.objects.filter(email=email).first() or User.objects.create_user(email, demo_password())


def _round(round_id: str, title: str, opens_at: datetime, closes_at: datetime) -> Round:
    round_ = Round.objects.create(
        round_id=round_id, title=title, budget_pence=200_000_00, maximum_pence=80_000_00, opens_at=opens_at,
        closes_at=closes_at, minimum_partner_boroughs=1, threshold=50, public_listing=True,
        description="Pilots of new service models for adult social care, run by a lead borough with at least "
                    "one partner borough.")
    for position, (key, criterion_title, guidance, weight) in enumerate(CRITERIA):
        Criterion.objects.create(round=round_, key=key, title=criterion_title, guidance=guidance, weight=weight,
                                 position=position)
    return round_


def seed_open_round(now: datetime, round_id: str = "asc-2027") -> str:
    """An adult social care round open now (for three weeks more), and the second assessor."""
    assessor(SECOND_ASSESSOR)
    if Round.objects.filter(round_id=round_id).exists():
        return f"round {round_id} already there"
    _round(round_id, "Adult social care innovation fund 2027", now - timedelta(days=14), now + timedelta(days=21))
    return f"round {round_id} open"


def seed_demo(now: datetime) -> str:
    projects = seed_demo_projects(now)
    round_id = "asc-2026"
    if Round.objects.filter(round_id=round_id).exists():
        return f"{projects} projects added; round {round_id} already there"
    opens_at, closes_at = now - timedelta(days=150), now - timedelta(days=100)
    round_ = _round(round_id, "Adult social care innovation fund 2026", opens_at, closes_at)
    rng = random.Random(round_id)
    assessors = [assessor("fund_assessor@hub.example"), assessor(SECOND_ASSESSOR)]
    for n, (title, lead, partners) in enumerate(IDEAS):
        amount = rng.choice((35_000, 45_000, 50_000, 60_000, 75_000, 80_000))
        application = save_application(None, round_=round_, user=_applicant(lead), org_id=lead, now=opens_at, values={
            "title": title, "partner_boroughs": partners,
            "outcome_statement": f"{title}: residents who need care keep more of their independence.",
            "problem": "Demand for adult social care grows faster than budgets; residents wait too long.",
            "idea": f"Pilot {title.lower()} with the partner boroughs for twelve months and measure the outcome.",
            "has_technology": n % 2 == 1,
            "enablers": {"ig": "DPIA planned with partners' IG leads.", "procurement": "Framework call-off."},
            "budget_lines": [{"item": "Staff", "amount_pence": amount * 60}, {"item": "Delivery",
                                                                             "amount_pence": amount * 40}]})
        submit_application(application, user=application.created_by, org_id=lead, role="project_lead",
                           now=opens_at + timedelta(days=n + 1))
        quality = rng.randint(1, 5)
        for k, person in enumerate(assessors):
            entries = {key: (max(0, min(5, quality + rng.choice((-1, 0, 0, 1)))),
                             f"Assessor {k + 1}: scored against the round's guidance on {criterion_title.lower()}.")
                       for key, criterion_title, _, _ in CRITERIA}
            save_scores(application, person, entries, submit=True, org_id=HUB_OPERATOR_ID, role="fund_assessor",
                        now=closes_at + timedelta(days=3 + k))
        agreed = {key: max(0, min(5, quality)) for key, *_ in CRITERIA}
        moderate(application, agreed, "Agreed by the panel after discussing the spread.", user="system",
                 org_id=HUB_OPERATOR_ID, role="programme_manager", now=closes_at + timedelta(days=10))
    decide_round(round_, user="system", org_id=HUB_OPERATOR_ID, role="programme_manager",
                 now=closes_at + timedelta(days=14), who_name="Innovation fund panel")
    return f"{projects} projects added; round {round_id} decided"
