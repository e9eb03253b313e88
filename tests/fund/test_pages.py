"""The fund's pages end to end through the page checker: apply, submit (late and over-maximum refused),
assess (conflict, justification, hidden scores), moderate, decide within the budget, award, export."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from tests.pagecheck import check_page

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
GOOD = {"title": "Reablement at home", "outcome_statement": "Residents leaving hospital regain independence.",
        "problem": "Too many go straight into care homes.", "idea": "A joint reablement team.",
        "partner_boroughs": ["southwark"], "has_technology": "yes", "item-1": "Team", "amount-1": "60000",
        "item-2": "Sensors", "amount-2": "15000"}


@pytest.fixture
def signed_in(make_user: Any) -> Any:
    """A fresh test client per person (``client_acting_as`` re-signs one shared client)."""
    from django.test import Client

    from boroughhub.organisations.acting import SESSION_KEY

    def sign_in(role: str, org_id: str, email: str | None = None) -> Any:
        user = make_user(email or f"{role}@{org_id}.test", org_id, role)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[SESSION_KEY] = user.role_grants.get(organisation_id=org_id, role=role).pk
        session.save()
        return client

    return sign_in


@pytest.fixture
def open_round(db: Any) -> Any:
    from boroughhub.fund import seed_open_round
    from boroughhub.fund.models import Round

    seed_open_round(NOW)
    return Round.objects.get(round_id="asc-2027")


def apply_as(client: Any, round_id: str, data: dict[str, Any]) -> int:
    response = client.post(f"/fund/rounds/{round_id}/apply", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return int(response["Location"].rsplit("/", 1)[1])


def test_the_whole_round(signed_in: Any, open_round: Any) -> None:
    from boroughhub.audit import AuditEntry
    from boroughhub.fund.models import Application
    from boroughhub.projects.models import Project

    with time_machine.travel(NOW, tick=False) as clock:
        hackney = signed_in("project_lead", "hackney")
        check_page(hackney.get("/fund/"))
        check_page(hackney.get("/fund/rounds/asc-2027"))
        check_page(hackney.get("/fund/rounds/asc-2027/apply"))
        pk = apply_as(hackney, "asc-2027", GOOD)
        check_page(hackney.get(f"/fund/applications/{pk}"))
        over = hackney.post(f"/fund/applications/{pk}", {**GOOD, "amount-1": "70000", "action": "submit"})
        assert over.status_code == 400 and "over this round&#39;s maximum of £80,000" in over.content.decode()
        check_page(over)
        assert hackney.post(f"/fund/applications/{pk}", {**GOOD, "action": "submit"}).status_code == 302
        assert Application.objects.get(pk=pk).status == "submitted"

        lambeth = signed_in("project_lead", "lambeth", email="lead@lambeth.test")
        other = apply_as(lambeth, "asc-2027", {**GOOD, "title": "Connectors", "item-1": "Staff", "amount-1": "50000",
                                               "item-2": "", "amount-2": ""})
        assert lambeth.get(f"/fund/applications/{pk}").status_code == 200  # listed for comments
        lambeth.post(f"/fund/applications/{other}", {**GOOD, "title": "Connectors", "item-1": "Staff",
                                                     "amount-1": "50000", "item-2": "", "amount-2": "",
                                                     "action": "submit"})

        ann = signed_in("fund_assessor", "hub", email="ann@hub.test")
        page = ann.post(f"/fund/applications/{pk}/assess", {"action": "submit", "score-outcome": "4"})
        assert page.status_code == 400 and "write a justification" in page.content.decode()
        check_page(page)
        scores = {f"score-{k}": "4" for k in ("outcome", "need", "feasibility", "enablers", "value")}
        reasons = {f"justification-{k}": "Clear and evidenced." for k in ("outcome", "need", "feasibility",
                                                                            "enablers", "value")}
        assert ann.post(f"/fund/applications/{pk}/assess", {"action": "submit", **scores, **reasons}).status_code == 302
        assert ann.post(f"/fund/applications/{other}/assess",
                        {"action": "conflict", "reason": "My partner works on it."}).status_code == 302
        refused = ann.post(f"/fund/applications/{other}/assess", {"action": "submit", **scores, **reasons})
        assert refused.status_code == 400 and "conflict of interest" in refused.content.decode()

        bob = signed_in("fund_assessor", "hub", email="bob@hub.test")
        hidden = bob.get(f"/fund/applications/{pk}/assess").content.decode()
        assert "Clear and evidenced." not in hidden and "Shown once you have submitted" in hidden
        low = {k: "2" for k in scores}
        assert bob.post(f"/fund/applications/{pk}/assess", {"action": "submit", **low, **reasons}).status_code == 302
        assert "Clear and evidenced." in bob.get(f"/fund/applications/{pk}/assess").content.decode()
        assert bob.post(f"/fund/applications/{other}/assess", {"action": "submit", **low, **reasons}).status_code == 302
        assert AuditEntry.objects.filter(action="fund_score_changed").count() == 15

        panel = signed_in("programme_manager", "hub")
        moderation = panel.get(f"/fund/applications/{pk}/moderate")
        check_page(moderation)
        assert "2: discuss" in moderation.content.decode()
        agreed = {f"agreed-{k}": "4" for k in ("outcome", "need", "feasibility", "enablers", "value")}
        assert panel.post(f"/fund/applications/{pk}/moderate", {**agreed, "note": "Agreed"}).status_code == 302
        panel.post(f"/fund/applications/{other}/moderate", {**{k: "1" for k in agreed}, "note": "Weak"})
        early = panel.post("/fund/rounds/asc-2027/selection")
        assert early.status_code == 400 and "open until" in early.content.decode()
        assert panel.post("/fund/rounds/asc-2027/close").status_code == 302
        clock.shift(timedelta(minutes=5))
        late = hackney.post("/fund/rounds/asc-2027/apply", GOOD)
        late_pk = int(late["Location"].rsplit("/", 1)[1])
        refusal = hackney.post(f"/fund/applications/{late_pk}", {**GOOD, "action": "submit"}).content.decode()
        assert "This round closed at 7 December 2026, 10:00am (London time)" in refusal
        check_page(panel.get("/fund/rounds/asc-2027/selection"))
        assert panel.post("/fund/rounds/asc-2027/selection").status_code == 302
        decided = panel.get("/fund/rounds/asc-2027/selection")
        check_page(decided)
        assert "£75,000 of £200,000 funded" in decided.content.decode()

        awarded = Application.objects.get(pk=pk)
        assert awarded.outcome == "funded" and Application.objects.get(pk=other).outcome == "not_funded"
        project = Project.objects.get(slug=awarded.awarded_project_slug)
        assert project.stage == "develop" and project.funding_pence == 75_000_00
        assert project.outcome_statement == GOOD["outcome_statement"] and project.lead_organisation_id == "hackney"
        data = json.loads(panel.get("/fund/rounds/asc-2027/360giving.json").content)
        assert [g["amountAwarded"] for g in data["grants"]] == [75000.0]
        assert panel.get("/fund/rounds/asc-2027/360giving.xlsx").status_code == 200
        # The award's project cannot reach deliver until its enablers are assessed.
        refused_move = hackney.post(f"/projects/{project.slug}", {"form": "move", "target": "deliver"})
        assert refused_move.status_code == 400 and "assess each hidden enabler" in refused_move.content.decode()


def test_drafts_are_private_to_their_borough(signed_in: Any, open_round: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        pk = apply_as(signed_in("project_lead", "hackney"), "asc-2027", GOOD)
        assert signed_in("project_lead", "camden", email="c@camden.test").get(
            f"/fund/applications/{pk}").status_code == 404
        assert signed_in("fund_assessor", "hub", email="a@hub.test").get(
            f"/fund/applications/{pk}/assess").status_code == 404
        assert signed_in("analyst", "camden", email="x@camden.test").get("/fund/").status_code == 403


def test_a_programme_manager_opens_a_round(signed_in: Any, db: Any) -> None:
    from boroughhub.fund.models import Round

    panel = signed_in("programme_manager", "hub")
    check_page(panel.get("/fund/rounds/new"))
    form = {"title": "Housing pilots", "round_id": "housing-2027", "budget": "100,000", "maximum": "25000",
            "opens_on": "2027-01-11", "opens_time": "09:00", "closes_on": "2027-02-26", "closes_time": "17:00",
            "minimum_partner_boroughs": "2", "threshold": "55", "criterion-1": "Outcome", "weight-1": "60",
            "criterion-2": "Feasibility", "weight-2": "40"}
    bad = panel.post("/fund/rounds/new", {**form, "maximum": "150000", "closes_on": "2027-01-01"})
    assert bad.status_code == 400 and Round.objects.count() == 0
    check_page(bad)
    assert "no more than the budget" in bad.content.decode() and "after the open time" in bad.content.decode()
    assert panel.post("/fund/rounds/new", form).status_code == 302
    round_ = Round.objects.get(round_id="housing-2027")
    assert round_.closes_at == datetime(2027, 2, 26, 17, 0, tzinfo=UTC)  # GMT in February
    assert [c.key for c in round_.criteria.all()] == ["outcome", "feasibility"]
    assert signed_in("project_lead", "hackney").get("/fund/rounds/new").status_code == 403


def test_the_pilot_project_is_linked_only_for_roles_that_open_it(signed_in: Any, db: Any) -> None:
    from boroughhub.fund import seed_demo
    from boroughhub.fund.models import Application

    with time_machine.travel(NOW, tick=False):
        seed_demo(NOW)
    funded = Application.objects.filter(outcome="funded").first()
    assert funded is not None
    page = f"/fund/applications/{funded.pk}"
    assessor = signed_in("fund_assessor", "hub", email="a@hub.test").get(page)
    check_page(assessor)
    assert "The pilot project" not in assessor.content.decode()
    lead = signed_in("project_lead", funded.lead_organisation_id).get(page).content.decode()
    assert f'href="/projects/{funded.awarded_project_slug}">The pilot project' in lead


def test_listed_applications_take_comments_from_other_boroughs(signed_in: Any, open_round: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        hackney = signed_in("project_lead", "hackney")
        pk = apply_as(hackney, "asc-2027", GOOD)
        camden = signed_in("project_lead", "camden", email="c@camden.test")
        assert camden.post(f"/fund/applications/{pk}", {"action": "comment", "body": "x"}).status_code == 404
        hackney.post(f"/fund/applications/{pk}", {**GOOD, "action": "submit"})
        assert "Reablement at home" in camden.get("/fund/rounds/asc-2027").content.decode()
        empty = camden.post(f"/fund/applications/{pk}", {"action": "comment", "body": " "})
        assert empty.status_code == 400 and "Write your comment." in empty.content.decode()
        assert camden.post(f"/fund/applications/{pk}", {"action": "comment", "body": "We would join."}).status_code == 302
        page = hackney.get(f"/fund/applications/{pk}")
        check_page(page)
        assert "We would join." in page.content.decode() and "London Borough of Camden" in page.content.decode()
