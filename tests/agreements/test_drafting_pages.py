"""Drafting and state changes through the pages: edit (optimistic lock), submit, new version, suspend."""

from __future__ import annotations

import json

import pytest

from boroughhub.agreements.models import AgreementVersion
from tests.agreements.test_pages import sign_in
from tests.pagecheck import check_page

pytestmark = pytest.mark.urls("tests.agreements.urls")


def test_amend_edit_submit_through_the_pages(client, pl_rsi_v1, demo_people):
    sign_in(client, demo_people, "ig_lead", "camden")
    check_page(client.get("/agreements/dsa-pl-rsi/1"))
    created = client.post("/agreements/dsa-pl-rsi/1/new-version")
    assert created.status_code == 302 and created["Location"].endswith("/agreements/dsa-pl-rsi/2/edit")
    v2 = AgreementVersion.objects.get(agreement_id="dsa-pl-rsi", version=2)
    page = client.get("/agreements/dsa-pl-rsi/2/edit")
    check_page(page)
    broken = client.post("/agreements/dsa-pl-rsi/2/edit", {"content": "{not json", "revision": v2.revision})
    assert broken.status_code == 400 and check_page(broken).error_summary
    content = dict(v2.content, summary="Amended: the threshold is 11.")
    saved = client.post("/agreements/dsa-pl-rsi/2/edit", {"content": json.dumps(content), "revision": v2.revision})
    assert saved.status_code == 302
    stale = client.post("/agreements/dsa-pl-rsi/2/edit", {"content": json.dumps(content), "revision": v2.revision})
    assert stale.status_code == 409 and "Reload" in stale.content.decode()
    check_page(stale)
    # No signatories designated for version 2 yet: submission is refused, with the reason shown.
    refused = client.post("/agreements/dsa-pl-rsi/2/submit", {})
    assert refused.status_code in (409, 422) and check_page(refused).error_summary
    assert "signatory" in refused.content.decode().lower()


def test_suspend_needs_a_reason_and_only_parties_may(client, pl_rsi_v1, demo_people, make_user):
    sign_in(client, demo_people, "ig_lead", "lambeth")
    empty = client.post("/agreements/dsa-pl-rsi/1/suspend", {"reason": ""})
    assert empty.status_code == 400 and check_page(empty).error_summary
    done = client.post("/agreements/dsa-pl-rsi/1/suspend", {"reason": "A breach at a provider"})
    assert done.status_code == 302
    pl_rsi_v1.refresh_from_db()
    assert pl_rsi_v1.status == "suspended"
    make_user("ig_lead@hounslow.example", "hounslow", "ig_lead", password=None)
    client.logout()
    from boroughhub.organisations.models import User
    sign_in(client, lambda role, org: User.objects.get(email="ig_lead@hounslow.example"), "ig_lead", "hounslow")
    assert client.post("/agreements/dsa-pl-rsi/1/resume", {"reason": "mine now"}).status_code == 404
    assert client.get("/agreements/dsa-pl-rsi/1/bogus").status_code == 404
