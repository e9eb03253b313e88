"""Every tier is decided by decide() and audited; residents without a relationship never appear."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from boroughhub.residents.store.tiers import Refused, addresses, flags, involvement_detail, search
from boroughhub.residents.vocabulary import CURRENT, NONE_KNOWN, PAST
from tests.residents.story import story_id

pytestmark = pytest.mark.django_db

PURPOSE = "Care Act review of support plan"


def entries(**filters: Any) -> list[Any]:
    from boroughhub.audit import AuditEntry

    return list(AuditEntry.objects.filter(dataset="involvement", **filters).order_by("seq"))


def test_the_demo_agreement_is_active_and_signed(residents_demo: dict[str, Any]) -> None:
    from boroughhub.agreements import AgreementVersion

    version = AgreementVersion.objects.get(agreement_id="dsa-safeguarding-adults")
    assert version.status == "active"
    assert version.content["data_subjects"]["min_age_years"] == 18


def test_search_shows_only_residents_on_the_teams_open_cases(residents_demo: Any, worker: Callable[[str], Any]) -> None:
    lambeth = worker("lambeth")
    found = search(lambeth, "okaf", PURPOSE)
    assert [r["resident"] for r in found] == [story_id("Amara")]  # Jamie Okafor is 16: the adults-only agreement hides him
    assert found[0]["why"] == "open case of your team"
    # Peter Lindqvist is known only to Westminster housing: never in Lambeth's results.
    assert search(lambeth, "Lindqvist", PURPOSE) == []
    westminster = worker("westminster")
    assert [r["resident"] for r in search(westminster, "lindq", PURPOSE)] == [story_id("Peter")]


def test_search_is_one_decision_and_one_access_naming_what_was_shown(residents_demo: Any,
                                                                      worker: Callable[[str], Any]) -> None:
    search(worker("lambeth"), "Okafor", PURPOSE)
    decision, access = entries()[-2:]
    assert (decision.event_type, decision.outcome, decision.action) == ("decision", "permit", "view_record")
    assert decision.purpose == "bhp:safeguarding-adults"
    assert decision.agreement_id == "dsa-safeguarding-adults"
    assert decision.justification == f"search: {PURPOSE}"
    assert access.event_type == "access" and access.payload["tier"] == "search"
    assert [r["record_key"] for r in access.subject_refs] == [story_id("Amara")]
    assert access.decision_entry_id == str(decision.entry_id)


def test_flags_detail_and_addresses_are_each_decided_and_audited(residents_demo: Any,
                                                                worker: Callable[[str], Any]) -> None:
    lambeth = worker("lambeth")
    shown = flags(lambeth, story_id("Amara"), PURPOSE)
    by_service = {(f.source, f.supplier): f.status for f in shown["flags"]}
    assert by_service[("hclic", "westminster")] == CURRENT
    assert by_service[("chain", "gla")] == CURRENT
    assert by_service[("asc_cld", "lambeth")] == CURRENT
    assert by_service[("inform", None)] == NONE_KNOWN
    housing = next(f for f in shown["flags"] if f.source == "hclic")
    detail = involvement_detail(lambeth, story_id("Amara"), housing.involvement_ids[0], PURPOSE)
    assert detail["key_worker"] == "Daniel Reyes" and detail["phone"] == "020 7641 3001"
    assert detail["secure_email"].endswith("@westminster.secure.example")
    known = addresses(lambeth, story_id("Amara"), PURPOSE)
    assert [a["postcode"] for a in known["addresses"]] == ["W2 1XX", "SW9 0XX"]
    tiers = [e.payload["tier"] for e in entries(event_type="access")]
    assert tiers == ["flags", "detail", "addresses"]
    decisions = entries(event_type="decision")
    assert [sorted(d.fields) for d in decisions][1] == sorted(
        ["key_worker_email", "key_worker_name", "key_worker_phone", "service", "team_name", "start_date", "end_date"])


def test_a_past_involvement_is_past(residents_demo: Any, worker: Callable[[str], Any]) -> None:
    from boroughhub.residents.models import Involvement

    Involvement.objects.filter(resident_id=story_id("Amara"), source="chain").update(end_date="2026-01-01")
    shown = flags(worker("lambeth"), story_id("Amara"), PURPOSE)
    assert {f.status for f in shown["flags"] if f.source == "chain"} == {PAST}


def test_opening_a_resident_without_relationship_is_refused_and_reveals_nothing(
        residents_demo: Any, worker: Callable[[str], Any]) -> None:
    lambeth = worker("lambeth")
    with pytest.raises(Refused) as existing:
        flags(lambeth, story_id("Peter"), PURPOSE)
    with pytest.raises(Refused) as missing:
        flags(lambeth, "R-NOBODY", PURPOSE)
    assert str(existing.value) == str(missing.value)
    assert entries(event_type="access") == []


def test_a_child_on_the_teams_case_is_never_opened(residents_demo: Any, worker: Callable[[str], Any]) -> None:
    with pytest.raises(Refused):
        flags(worker("lambeth"), story_id("Jamie"), PURPOSE)


def test_an_organisation_outside_the_agreement_is_refused_by_decide(residents_demo: Any,
                                                                  worker: Callable[[str], Any]) -> None:
    with pytest.raises(Refused, match="no relevant agreement"):
        search(worker("camden"), "Okafor", PURPOSE)
    (denial,) = entries(event_type="decision")
    assert denial.outcome == "deny" and denial.reasons[0]["code"] == "NO_AGREEMENT"


def test_a_purpose_of_use_is_required(residents_demo: Any, worker: Callable[[str], Any]) -> None:
    with pytest.raises(Refused, match="purpose of use"):
        search(worker("lambeth"), "Okafor", "")
    assert entries() == []
