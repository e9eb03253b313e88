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
    v1 = demo_agreements["dsa-pl-rsi/1"]
    starts = v1.content["time"]["effective_from"]  # follows the set-up day (demo_window)
    for expected in ("London Borough of Camden", "Joint controller", "Rough sleeping strategic insight",
                     "special category: racial or ethnic origin", "criminal offence data",
                     london(v1.effective_from), starts, v1.content_hash[:15],
                     "UK GDPR Article 6(1)(e): public task",
                     "UK GDPR Article 9(2)(g): substantial public interest, under DPA 2018 Schedule 1 paragraph 6: "
                     "statutory and government purposes",
                     "Legal power: Housing Act 1996 Part 7, homelessness", "Reviewed every", "12 months",
                     "Encryption at rest", "CHAIN extract"):
        assert expected in text, expected
    for code in ("A6-1-e", "A9-2-g", "dpa_sch1", "S1-P2-6", "ha1996-pt7", "dpv:EncryptionAtRest", "P12M"):
        assert code not in text, code
    changes = client.get("/agreements/dsa-pl-rsi/2/changes?from=1")
    check_page(changes)
    text = changes.content.decode()
    assert ("Suppression threshold for Rough sleeping aggregate insights raised from 10 to 11 for all parties "
            "(permission P-INSIGHTS).") in text
    assert "/content/" not in text and "What changed from version 1 to version 2" in text
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
                 "/agreements/dsa-hounslow-only/1/changes?from=1", "/agreements/dsa-hounslow-only/1/signed",
                 "/agreements/dsa-hounslow-only/1/changes"):
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
    assert done.status_code == 302 and done["Location"].endswith("/agreements/dsa-pl-rsi/2/signed")
    v2.refresh_from_db()
    assert v2.status == "active"
    confirmation = client.get(done["Location"])
    check_page(confirmation)
    text = confirmation.content.decode()
    assert "govuk-panel" in text and "Approval recorded" in text and "London Borough of Camden" in text
    assert v2.content_hash in text and "now <strong>active</strong>" in text
    sign_off = SignOff.objects.get(version=v2, party_id="camden")
    assert f"Number {sign_off.audit_seq}" in text and "SIRO" in text


def test_sign_page_puts_the_decision_first_then_what_changed_then_the_full_text(
        client, demo_agreements, demo_people):
    sign_in(client, demo_people, "ig_lead", "camden")
    form = client.get("/agreements/dsa-pl-rsi/2/sign")
    check_page(form)
    text = form.content.decode()
    decision = text.index('name="decision"')
    changed = text.index('id="what-changed"')
    full_text = text.index('id="full-text"')
    assert decision < changed < full_text
    highlighted = text[changed:full_text]
    assert "Suppression threshold for Rough sleeping aggregate insights raised from 10 to 11" in highlighted
    assert "govuk-notification-banner" in text[decision:changed + 200]
    # Everything else waits, folded away, after the change.
    assert text.index("Uploaders at Greater London Authority may upload CHAIN extract") > full_text
    assert text.index("UK GDPR Article 6(1)(e): public task") > full_text


def test_confirmation_after_an_approval_that_leaves_others_to_sign(client, pl_rsi_v1, demo_people):
    from boroughhub.agreements.store.demo import amendment_content, demo_actor, sign_by_everyone
    from boroughhub.agreements.store.lifecycle import start_new_version

    # Version 2 with only Hillingdon, Westminster and the providers signed: Camden's approval is not the last.
    v2 = start_new_version(demo_actor("camden"), pl_rsi_v1.agreement, amendment_content(pl_rsi_v1))
    v2 = sign_by_everyone(v2, except_parties=("camden", "gla", "lambeth"))
    sign_in(client, demo_people, "ig_lead", "camden")
    assert client.get("/agreements/dsa-pl-rsi/2/signed").status_code == 404  # nothing recorded yet
    key = "confirm-others-waiting"
    done = client.post("/agreements/dsa-pl-rsi/2/sign", {"decision": "approve", "position": "SIRO", "confirm": "on",
                                                          "content_hash": v2.content_hash, "idempotency_key": key})
    assert done.status_code == 302
    confirmation = client.get(done["Location"])
    check_page(confirmation)
    text = confirmation.content.decode()
    assert "Approval recorded" in text and "in signature" in text
    waiting = text.split("becomes active when")[1].split("</ul>")[0]
    assert "Greater London Authority (signatory: " in waiting and "London Borough of Lambeth (signatory: " in waiting
    assert waiting.count("<li>") == 2  # Camden has just signed; Hillingdon, Westminster and the providers had


def test_confirmation_after_a_decline_says_the_version_cannot_become_active(client, demo_agreements, demo_people):
    v2 = demo_agreements["dsa-pl-rsi/2"]
    sign_in(client, demo_people, "ig_lead", "camden")
    done = client.post("/agreements/dsa-pl-rsi/2/sign", {
        "decision": "decline", "position": "SIRO", "reason": "The threshold should stay at 10 for H-CLIC.",
        "content_hash": v2.content_hash, "idempotency_key": "decline-once"})
    assert done.status_code == 302
    confirmation = client.get(done["Location"])
    check_page(confirmation)
    text = confirmation.content.decode()
    assert "Decline recorded" in text and "The threshold should stay at 10 for H-CLIC." in text
    assert "cannot become active while your organisation does not approve it" in text
    assert "London Borough of Camden (signatory" in text  # Camden is still among those to approve
    v2.refresh_from_db()
    assert v2.status == "in_signature"


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
    # The form is filled in as rendered: each box by the name the page gives it, found by its id.
    named = rendered_input_names(page.content.decode())
    good = client.post("/agreements/new", {
        named["agreement_id"]: "dsa-lambeth-outreach", named["title"]: "Lambeth outreach insights",
        named["template"]: str(template.pk),
        named["first_day-day"]: "30", named["first_day-month"]: "3", named["first_day-year"]: "2026",
        named["last_day-day"]: "25", named["last_day-month"]: "10", named["last_day-year"]: "2026"})
    assert good.status_code == 302, "the form as rendered was refused"
    from boroughhub.agreements.models import AgreementVersion
    draft = AgreementVersion.objects.get(agreement_id="dsa-lambeth-outreach")
    # London midnight after each 2026 clock change: 30 March is in BST, 26 October (the end of the
    # last day in force, 25 October) in GMT.
    assert draft.content["time"]["effective_from"] == "2026-03-29T23:00:00Z"
    assert draft.content["time"]["expires_at"] == "2026-10-26T00:00:00Z"
    assert draft.lead_party_id == "lambeth" and draft.status == "draft"
    version_page = client.get("/agreements/dsa-lambeth-outreach/1")
    check_page(version_page)
    assert "How this version differs from its template" in version_page.content.decode()
    # S7: a first version is compared with its template's defaults: here, the dates typed into the form.
    differs = client.get("/agreements/dsa-lambeth-outreach/1/changes")
    check_page(differs)
    text = differs.content.decode()
    assert "What changed from the template Pan-London insight sharing (version 1) to version 1" in text
    assert "The agreement now comes into force at 30 March 2026, 00:00 BST instead of 1 April 2026, 00:00 BST." in text
    assert "The agreement now ends at 26 October 2026, 00:00 GMT instead of 1 April 2028, 00:00 BST." in text
    assert client.get("/agreements/dsa-pl-rsi/1/changes").status_code == 404  # drafted without a template


def rendered_input_names(html: str) -> dict[str, str]:
    """id → name of every input on a page (radios by their first item's id prefix)."""
    named = {}
    for tag in re.findall(r"<input[^>]*>", html):
        ident, name = re.search(r'id="([^"]+)"', tag), re.search(r'name="([^"]+)"', tag)
        if ident and name:
            named[ident.group(1)] = name.group(1)
            named.setdefault(ident.group(1).split("-")[0], name.group(1))
    return named


def test_times_are_shown_in_london_across_the_clock_change():
    assert london(datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) == "29 March 2026, 00:59 GMT"
    assert london(datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == "29 March 2026, 02:00 BST"
    assert london("2026-10-25T00:59:00Z") == "25 October 2026, 01:59 BST"
    assert london("2026-10-25T01:00:00Z") == "25 October 2026, 01:00 GMT"
