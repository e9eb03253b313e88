"""The IG lead's and privacy officer's pages, checked with the page checker; object-level access by id."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from boroughhub.agreements.models import SignOff
from boroughhub.agreements.views.describe import london
from boroughhub.audit.models import AuditEntry
from tests.pagecheck import check_page

pytestmark = pytest.mark.urls("tests.agreements.urls")


def sign_in(client, person, role: str, org: str):
    from boroughhub.organisations.acting import SESSION_KEY

    user = person(role, org)
    grant = user.role_grants.get(organisation_id=org, role=role)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_KEY] = grant.pk
    session.save()
    return client


def test_ig_lead_sees_their_agreements_and_one_in_plain_english(client, demo_agreements, demo_people):
    sign_in(client, demo_people, "ig_lead", "camden")
    listing = client.get("/agreements/")
    assert listing.status_code == 200
    check_page(listing)
    text = listing.content.decode()
    assert "dsa-pl-rsi" in text and "waiting for signatures" in text
    page = client.get("/agreements/dsa-pl-rsi/1")
    check_page(page)
    text = page.content.decode()
    for expected in ("London Borough of Camden", "Joint controller", "Rough sleeping strategic insight",
                     "special category: racial or ethnic origin", "criminal offence data",
                     "1 April 2026, 00:00 BST", "2026-03-31T23:00:00Z", "sha256:d72a1f50"):
        assert expected in text, expected
    changes = client.get("/agreements/dsa-pl-rsi/2/changes?from=1")
    check_page(changes)
    assert "/content/permissions/10/min_cell_size" in changes.content.decode()
    assert client.get("/agreements/dsa-pl-rsi/1/document.json").json()["content_hash"].startswith("sha256:")


def test_other_organisations_agreements_are_not_found_by_id(client, demo_agreements, demo_people, make_user):
    # Hillingdon is not a party to an agreement drafted by Hounslow.
    from boroughhub.agreements.store.demo import demo_actor
    from boroughhub.agreements.store.lifecycle import create_agreement
    make_user("ig_lead@hounslow.example", "hounslow", "ig_lead", password=None)
    create_agreement(demo_actor("hounslow"), "dsa-hounslow-only",
                     {"title": "Hounslow only", "parties": [{"org_id": "hounslow", "role": "controller"}]})
    sign_in(client, demo_people, "ig_lead", "hillingdon")
    for path in ("/agreements/dsa-hounslow-only/1", "/agreements/dsa-hounslow-only/1/sign",
                 "/agreements/dsa-hounslow-only/1/signatory", "/agreements/dsa-hounslow-only/1/document.json",
                 "/agreements/dsa-hounslow-only/1/changes?from=1"):
        assert client.get(path).status_code == 404, path
    assert client.post("/agreements/dsa-hounslow-only/1/signatory", {"user": "x"}).status_code == 404
    assert "dsa-hounslow-only" not in client.get("/agreements/").content.decode()


def test_analyst_cannot_open_agreement_pages(client, demo_agreements, demo_people):
    sign_in(client, demo_people, "analyst", "camden")
    assert client.get("/agreements/").status_code == 403


def test_sign_shows_the_hash_and_records_the_approval(client, demo_agreements, demo_people):
    v2 = demo_agreements["dsa-pl-rsi/2"]
    sign_in(client, demo_people, "ig_lead", "camden")
    form = client.get("/agreements/dsa-pl-rsi/2/sign")
    check_page(form)
    assert v2.content_hash in form.content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form.content.decode()).group(1)
    missing = client.post("/agreements/dsa-pl-rsi/2/sign", {"decision": "approve", "position": "SIRO",
                                                              "content_hash": v2.content_hash, "idempotency_key": key})
    facts = check_page(missing)
    assert missing.status_code == 400 and facts.error_summary and "authorised to approve" in missing.content.decode()
    stale = client.post("/agreements/dsa-pl-rsi/2/sign", {"decision": "approve", "position": "SIRO", "confirm": "on",
                                                            "content_hash": "sha256:" + "1" * 64, "idempotency_key": key})
    assert stale.status_code == 409 and not SignOff.objects.filter(version=v2, party_id="camden").exists()
    check_page(stale)
    done = client.post("/agreements/dsa-pl-rsi/2/sign", {"decision": "approve", "position": "SIRO", "confirm": "on",
                                                          "content_hash": v2.content_hash, "idempotency_key": key})
    assert done.status_code == 302
    v2.refresh_from_db()
    assert v2.status == "active"


def test_a_non_signatory_is_refused_and_audited_through_the_page(client, demo_agreements, demo_people):
    v2 = demo_agreements["dsa-pl-rsi/2"]
    sign_in(client, demo_people, "privacy_officer", "camden")
    refused = client.post("/agreements/dsa-pl-rsi/2/sign", {"decision": "approve", "position": "DPO", "confirm": "on",
                                                             "content_hash": v2.content_hash, "idempotency_key": "k"})
    assert refused.status_code == 403
    check_page(refused)
    assert AuditEntry.objects.filter(event_type="sign_refused", org="camden").exists()


def test_designate_a_signatory(client, demo_agreements, demo_people):
    sign_in(client, demo_people, "ig_lead", "gla")
    page = client.get("/agreements/dsa-pl-rsi/2/signatory")
    check_page(page)
    empty = client.post("/agreements/dsa-pl-rsi/2/signatory", {})
    assert empty.status_code == 400 and check_page(empty).error_summary
    analyst = demo_people("analyst", "gla")
    assert client.post("/agreements/dsa-pl-rsi/2/signatory", {"user": str(analyst.pk)}).status_code == 302
    assert AuditEntry.objects.filter(event_type="designation", org="gla").exists()


def test_draft_from_a_template_with_errors_in_the_summary(client, demo_agreements, demo_people):
    sign_in(client, demo_people, "ig_lead", "lambeth")
    page = client.get("/agreements/new")
    check_page(page)
    bad = client.post("/agreements/new", {"agreement_id": "Not OK!", "title": "", "first_day_0": "31",
                                          "first_day_1": "2", "first_day_2": "2027"})
    facts = check_page(bad)
    assert bad.status_code == 400 and facts.error_summary and facts.field_errors >= 3
    from boroughhub.agreements.models import Template
    template = Template.objects.first()
    good = client.post("/agreements/new", {
        "agreement_id": "dsa-lambeth-outreach", "title": "Lambeth outreach insights", "template": str(template.pk),
        "first_day_0": "30", "first_day_1": "3", "first_day_2": "2026",
        "last_day_0": "25", "last_day_1": "10", "last_day_2": "2026"})
    assert good.status_code == 302
    from boroughhub.agreements.models import AgreementVersion
    draft = AgreementVersion.objects.get(agreement_id="dsa-lambeth-outreach")
    # London midnight after each 2026 clock change: 30 March is in BST, 26 October (the end of the
    # last day in force, 25 October) in GMT.
    assert draft.content["time"]["effective_from"] == "2026-03-29T23:00:00Z"
    assert draft.content["time"]["expires_at"] == "2026-10-26T00:00:00Z"
    assert draft.lead_party_id == "lambeth" and draft.status == "draft"
    check_page(client.get("/agreements/dsa-lambeth-outreach/1"))


def test_times_are_shown_in_london_across_the_clock_change():
    assert london(datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) == "29 March 2026, 00:59 GMT"
    assert london(datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == "29 March 2026, 02:00 BST"
    assert london("2026-10-25T00:59:00Z") == "25 October 2026, 01:59 BST"
    assert london("2026-10-25T01:00:00Z") == "25 October 2026, 01:00 GMT"
