"""The accession pages, through the page checker: Southwark's IG lead joins the pilot agreement as a borough,
the hub admin countersigns, Camden's IG lead sees who joined and when."""

from __future__ import annotations

from typing import Any

import pytest

from boroughhub.agreements.models import Accession, Notification, SignOff
from tests.pagecheck import check_page

pytestmark = pytest.mark.urls("tests.agreements.urls")


def as_person(client: Any, email: str, org: str, role: str) -> Any:
    from boroughhub.organisations.acting import SESSION_KEY
    from boroughhub.organisations.models import User

    user = User.objects.get(email=email)
    grant = user.role_grants.get(organisation_id=org, role=role)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_KEY] = grant.pk
    session.save()
    return client


@pytest.fixture
def southwark_people(make_user: Any, demo_agreements: Any) -> dict[str, Any]:
    for role in ("ig_lead", "uploader"):
        make_user(f"{role}@southwark.example", "southwark", role, password=None)
    return demo_agreements


def test_southwark_joins_and_the_hub_admin_countersigns(client: Any, southwark_people: Any) -> None:
    version = southwark_people["dsa-pl-rsi/1"]
    sign_offs_before = SignOff.objects.count()
    as_person(client, "ig_lead@southwark.example", "southwark", "ig_lead")
    listing = client.get("/agreements/")
    check_page(listing)
    assert 'href="/agreements/join"' in listing.content.decode()

    offered = client.get("/agreements/join")
    check_page(offered)
    text = offered.content.decode()
    assert 'href="/agreements/dsa-pl-rsi/1/join"' in text and "Borough" in text
    assert "/agreements/dsa-pl-rsi/2/join" not in text and "dsa-hub-qa" not in text  # in signature; no clause

    page = client.get("/agreements/dsa-pl-rsi/1/join")
    check_page(page)
    text = page.content.decode()
    assert version.content_hash in text and 'value="borough"' in text
    assert 'value="hostel_provider"' not in text  # a borough is offered only what it may join as
    assert "permission P-UP-HCLIC" in text and "permission P-LINK-HCLIC" not in text

    missing = client.post("/agreements/dsa-pl-rsi/1/join", {"profile": "borough", "position": "SIRO",
                                                           "accountable_officer": "", "content_hash": version.content_hash})
    assert missing.status_code == 400
    facts = check_page(missing)
    assert facts is not None and "Confirm that you are authorised" in missing.content.decode()
    assert "accountable officer, for example SIRO" in missing.content.decode()
    assert not Accession.objects.exists()

    done = client.post("/agreements/dsa-pl-rsi/1/join", {
        "profile": "borough", "position": "SIRO", "accountable_officer": "Senior Information Risk Owner",
        "confirm": "on", "content_hash": version.content_hash})
    assert (done.status_code, done["Location"]) == (302, "/agreements/join")
    after = client.get("/agreements/join")
    check_page(after)
    assert "waiting for the hub admin" in after.content.decode()
    assert client.get("/agreements/dsa-pl-rsi/1/join").status_code == 404  # asked once; nothing more offered

    as_person(client, "hub_admin@hub.example", "hub", "hub_admin")
    detail = client.get("/agreements/dsa-pl-rsi/1")
    check_page(detail)
    assert 'href="/agreements/dsa-pl-rsi/1/accessions"' in detail.content.decode()
    requests = client.get("/agreements/dsa-pl-rsi/1/accessions")
    check_page(requests)
    pending = Accession.objects.get(party_id="southwark")
    assert f'href="/agreements/dsa-pl-rsi/1/accessions/{pending.pk}"' in requests.content.decode()
    form = client.get(f"/agreements/dsa-pl-rsi/1/accessions/{pending.pk}")
    check_page(form)
    no_reason = client.post(f"/agreements/dsa-pl-rsi/1/accessions/{pending.pk}", {"accession": pending.pk,
                                                                                 "decision": "decline"})
    assert no_reason.status_code == 400 and "Enter why you are declining" in no_reason.content.decode()
    countersigned = client.post(f"/agreements/dsa-pl-rsi/1/accessions/{pending.pk}",
                                {"accession": pending.pk, "decision": "countersign"})
    assert countersigned.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "joined"
    assert client.get(f"/agreements/dsa-pl-rsi/1/accessions/{pending.pk}").status_code == 404

    # Camden's IG lead is told, sees who joined and when, and has nothing to sign.
    as_person(client, "ig_lead@camden.example", "camden", "ig_lead")
    camden_list = client.get("/agreements/")
    check_page(camden_list)
    assert "London Borough of Southwark joined" in camden_list.content.decode()
    camden_view = client.get("/agreements/dsa-pl-rsi/1")
    check_page(camden_view)
    text = camden_view.content.decode()
    assert "Parties that joined by accession" in text and "London Borough of Southwark" in text
    assert "Who else may join" in text and "Hostel provider" in text
    assert SignOff.objects.count() == sign_offs_before
    assert Notification.objects.filter(organisation_id="camden", kind="accession_joined").count() == 1

    # Southwark now sees the agreement as its own, and no longer as one to join.
    as_person(client, "ig_lead@southwark.example", "southwark", "ig_lead")
    own = client.get("/agreements/")
    check_page(own)
    assert 'href="/agreements/dsa-pl-rsi/1"' in own.content.decode()
    assert 'href="/agreements/join"' not in own.content.decode()
    check_page(client.get("/agreements/dsa-pl-rsi/1"))


def test_only_what_may_be_joined_opens(client: Any, southwark_people: Any) -> None:
    as_person(client, "ig_lead@southwark.example", "southwark", "ig_lead")
    assert client.get("/agreements/dsa-pl-rsi/2/join").status_code == 404  # in signature
    assert client.get("/agreements/dsa-hub-qa/1/join").status_code == 404  # no accession clause
    assert client.get("/agreements/dsa-pl-rsi/1/accessions").status_code == 403  # the hub admin's page
    as_person(client, "ig_lead@camden.example", "camden", "ig_lead")
    assert client.get("/agreements/dsa-pl-rsi/1/join").status_code == 404  # already a party
    nothing = client.get("/agreements/join")
    check_page(nothing)
    assert "No agreement is open for your organisation" in nothing.content.decode()
    as_person(client, "uploader@southwark.example", "southwark", "uploader")
    assert client.get("/agreements/join").status_code == 403
