"""Inviting people on the People pages and accepting: hashes only, single use, expiry, own password,
second factor in production, every step audited, offered only to the roles it opens for."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from boroughhub.agreements import Notification
from boroughhub.audit.models import AuditEntry
from boroughhub.organisations import Invitation, RoleGrant, User
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db
SENT_AT = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
NEW_PASSWORD = "correct horse battery staple"


def _link(email: str) -> str:
    return Notification.objects.get(user__email=email, kind="invitation").link


def _invite(client, **fields):
    data = {"organisation": "camden", "email": "amira.khan@camden.gov.uk", "name": "Amira Khan", "role": "uploader",
            "starts": "", "ends": "", **fields}
    return client.post("/people/invite", data)


@time_machine.travel(SENT_AT, tick=False)
def test_an_ig_lead_invites_a_new_colleague_who_sets_their_own_password(client_acting_as):
    ig_lead = client_acting_as("ig_lead", "camden")
    page = ig_lead.get("/people/invite")
    check_page(page)
    body = page.content.decode()
    assert 'value="uploader"' in body and 'value="hub_admin"' not in body and 'value="data_manager"' not in body
    response = _invite(ig_lead, starts="7/12/2026", ends="31/3/2027")
    assert response.status_code == 302 and response["Location"] == "/people/?sent=1"
    listing = ig_lead.get("/people/?sent=1")
    check_page(listing)
    assert "Amira Khan" in listing.content.decode() and "31 March 2027" in listing.content.decode()

    invitee = User.objects.get(email="amira.khan@camden.gov.uk")
    assert not invitee.is_active and not invitee.has_usable_password()
    link = _link(invitee.email)
    token = link.rsplit("/", 1)[1]
    invitation = Invitation.objects.get(user=invitee)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert invitation.expires_at == SENT_AT + timedelta(days=14)
    assert not RoleGrant.objects.filter(user=invitee).exists()  # nothing until they accept

    anyone = Client()
    form = anyone.get(link)
    check_page(form)
    assert "Uploader, London Borough of Camden" in form.content.decode()
    mismatch = anyone.post(link, {"password": NEW_PASSWORD, "again": "something else entirely"})
    check_page(mismatch)
    assert "Enter the same password twice" in mismatch.content.decode()
    too_short = anyone.post(link, {"password": "short", "again": "short"})
    check_page(too_short)
    assert not RoleGrant.objects.filter(user=invitee).exists()
    done = anyone.post(link, {"password": NEW_PASSWORD, "again": NEW_PASSWORD})
    check_page(done)
    assert "Invitation accepted" in done.content.decode()

    invitee.refresh_from_db()
    assert invitee.is_active and invitee.check_password(NEW_PASSWORD)
    grant = RoleGrant.objects.get(user=invitee)
    assert (grant.organisation_id, grant.role, grant.granted_by.email) == ("camden", "uploader", "ig_lead@camden.test")
    assert grant.valid_until == datetime(2027, 3, 31, 23, 0, tzinfo=UTC)  # the end of 31 March in London (BST)
    steps = [(e.outcome, e.payload.get("step")) for e in AuditEntry.objects.filter(event_type="role_grant").order_by("seq")]
    assert steps == [("ok", "invited"), ("ok", "accepted")]

    again = Client().get(link)
    assert again.status_code == 410
    check_page(again)
    assert "already been accepted" in again.content.decode()
    assert AuditEntry.objects.filter(event_type="role_grant", outcome="refused", payload__reason="used").exists()
    signed_in = Client().post("/sign-in", {"email": invitee.email, "password": NEW_PASSWORD}, follow=True)
    assert signed_in.redirect_chain[-1][0] == "/home"


def test_an_invitation_expires_after_fourteen_days(client_acting_as):
    with time_machine.travel(SENT_AT, tick=False):
        _invite(client_acting_as("ig_lead", "camden"))
    link = _link("amira.khan@camden.gov.uk")
    with time_machine.travel(SENT_AT + timedelta(days=14) - timedelta(seconds=1), tick=False):
        assert Client().get(link).status_code == 200
    with time_machine.travel(SENT_AT + timedelta(days=14), tick=False):
        late = Client().post(link, {"password": NEW_PASSWORD, "again": NEW_PASSWORD})
        assert late.status_code == 410
        check_page(late)
        assert "expired" in late.content.decode()
    assert not RoleGrant.objects.filter(user__email="amira.khan@camden.gov.uk").exists()


def test_an_unknown_link_opens_nothing(db):
    response = Client().get("/people/invitation/" + "x" * 43)
    assert response.status_code == 404
    check_page(response)
    assert AuditEntry.objects.filter(event_type="role_grant", outcome="refused", payload__reason="unknown").exists()


@time_machine.travel(SENT_AT, tick=False)
def test_ig_leads_cannot_give_operator_roles_or_invite_to_another_organisation(client_acting_as):
    ig_lead = client_acting_as("ig_lead", "camden")
    for tampered in ({"role": "hub_admin"}, {"role": "data_manager"}, {"organisation": "lambeth"}):
        response = _invite(ig_lead, **tampered)
        assert response.status_code == 200
        check_page(response)
    yourself = _invite(ig_lead, email="ig_lead@camden.test", role="analyst")
    check_page(yourself)
    assert "You cannot give a role to yourself" in yourself.content.decode()
    assert not Invitation.objects.exists()
    assert not User.objects.filter(email="amira.khan@camden.gov.uk").exists()


@time_machine.travel(SENT_AT, tick=False)
def test_the_hub_admin_invites_a_new_boroughs_first_ig_lead(client_acting_as):
    admin = client_acting_as("hub_admin", "hub")
    page = admin.get("/people/invite")
    check_page(page)
    response = _invite(admin, organisation="southwark", email="ig@southwark.gov.uk", name="Sam Okafor", role="ig_lead")
    assert response.status_code == 302
    invitation = Invitation.objects.get(user__email="ig@southwark.gov.uk")
    assert (invitation.organisation_id, invitation.role, invitation.invited_as) == ("southwark", "ig_lead", "hub_admin")
    refused = _invite(admin, organisation="southwark", email="up@southwark.gov.uk", name="U", role="uploader")
    assert refused.status_code == 200 and not Invitation.objects.filter(user__email="up@southwark.gov.uk").exists()


@time_machine.travel(SENT_AT, tick=False)
def test_a_file_with_a_bad_row_invites_nobody_and_says_where(client_acting_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ig_lead = client_acting_as("ig_lead", "camden")
    check_page(ig_lead.get("/people/invite-from-file"))
    bad = b"email,name,role,from,to\na@camden.gov.uk,A,uploader,,\nb@camden.gov.uk,B,hub_admin,,\n"
    response = ig_lead.post("/people/invite-from-file",
                            {"organisation": "camden", "file": SimpleUploadedFile("staff.csv", bad, "text/csv")})
    facts = check_page(response)
    assert facts.error_summary
    body = response.content.decode()
    assert "role_not_yours_to_give" in body and "Nobody was invited" in body
    assert not Invitation.objects.exists() and not User.objects.filter(email="a@camden.gov.uk").exists()
    assert AuditEntry.objects.filter(event_type="role_grant", outcome="refused", payload__channel="file").exists()

    good = b"email,name,role,from,to\na@camden.gov.uk,A,uploader,,\nb@camden.gov.uk,B,analyst,8/12/2026,\n"
    response = ig_lead.post("/people/invite-from-file",
                            {"organisation": "camden", "file": SimpleUploadedFile("staff.csv", good, "text/csv")})
    assert response["Location"] == "/people/?sent=2"
    batches = set(Invitation.objects.values_list("batch", flat=True))
    assert len(batches) == 1 and "" not in batches
    # The same people again: the rows say they have invitations waiting, and nothing is sent twice.
    response = ig_lead.post("/people/invite-from-file",
                            {"organisation": "camden", "file": SimpleUploadedFile("staff.csv", good, "text/csv")})
    assert "already_invited" in response.content.decode() and Invitation.objects.count() == 2


@time_machine.travel(SENT_AT, tick=False)
def test_someone_who_already_has_an_account_confirms_with_their_own_password(client_acting_as, make_user):
    make_user("analyst@camden.test", "camden", "analyst")
    _invite(client_acting_as("ig_lead", "camden"), email="analyst@camden.test", name="Ana", role="privacy_officer")
    link = _link("analyst@camden.test")
    page = Client().get(link)
    assert "already have a boroughhub account" in page.content.decode()
    wrong = Client().post(link, {"password": "not their password at all"})
    check_page(wrong)
    assert not RoleGrant.objects.filter(user__email="analyst@camden.test", role="privacy_officer").exists()
    Client().post(link, {"password": "a-long-test-password"})
    assert RoleGrant.objects.filter(user__email="analyst@camden.test", role="privacy_officer").exists()


@time_machine.travel(SENT_AT, tick=False)
def test_in_production_the_first_sign_in_sets_up_the_second_factor(client_acting_as, settings):
    settings.REQUIRE_SECOND_FACTOR = True
    _invite(client_acting_as("ig_lead", "camden"))
    link = _link("amira.khan@camden.gov.uk")
    done = Client().post(link, {"password": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert "authenticator app" in done.content.decode()
    person = Client()
    response = person.post("/sign-in", {"email": "amira.khan@camden.gov.uk", "password": NEW_PASSWORD})
    assert response["Location"] == "/sign-in/code"
    code_page = person.get("/sign-in/code")
    check_page(code_page)
    assert "<svg" in code_page.content.decode()  # the QR code to set up the authenticator


def test_the_pages_open_only_for_hub_admins_and_ig_leads(client_acting_as):
    uploader = client_acting_as("uploader", "camden")
    assert uploader.get("/people/").status_code == 403
    assert "/people/" not in uploader.get("/home").content.decode()
    ig_lead = client_acting_as("ig_lead", "lambeth")
    home = ig_lead.get("/home")
    assert 'href="/people/"' in home.content.decode()


@time_machine.travel(SENT_AT, tick=False)
def test_the_hub_admins_cannot_read_an_invitation_link_in_the_admin(client_acting_as):
    _invite(client_acting_as("ig_lead", "camden"))
    token = _link("amira.khan@camden.gov.uk").rsplit("/", 1)[1]
    admin = client_acting_as("hub_admin", "hub")
    User.objects.filter(email="hub_admin@hub.test").update(is_superuser=True)  # every model's view permission
    listing = admin.get("/admin/agreements/notification/")
    assert listing.status_code == 200
    assert "You are invited" not in listing.content.decode()
    notification = Notification.objects.get(kind="invitation")
    assert admin.get(f"/admin/agreements/notification/{notification.pk}/change/").status_code in (302, 404)
    assert token not in listing.content.decode()


def test_a_waiting_invitation_can_be_cancelled_and_its_link_then_opens_nothing(client_acting_as, make_user):
    from boroughhub.organisations.acting import SESSION_KEY

    with time_machine.travel(SENT_AT, tick=False):
        other_lead = Client()
        lambeth = make_user("ig_lead@lambeth.test", "lambeth", "ig_lead")
        other_lead.force_login(lambeth, backend="django.contrib.auth.backends.ModelBackend")
        session = other_lead.session
        session[SESSION_KEY] = lambeth.role_grants.get().pk
        session.save()
        ig_lead = client_acting_as("ig_lead", "camden")
        _invite(ig_lead)
        invitation = Invitation.objects.get()
        link = _link("amira.khan@camden.gov.uk")
        assert other_lead.post(f"/people/invitations/{invitation.pk}/cancel").status_code == 404
        listing = ig_lead.get("/people/")
        check_page(listing)
        assert f"/people/invitations/{invitation.pk}/cancel" in listing.content.decode()
        assert ig_lead.post(f"/people/invitations/{invitation.pk}/cancel")["Location"] == "/people/?cancelled=1"
        check_page(ig_lead.get("/people/?cancelled=1"))
        assert ig_lead.post(f"/people/invitations/{invitation.pk}/cancel").status_code == 404  # once
        opened = Client().get(link)
        assert opened.status_code == 410 and "cancelled" in opened.content.decode()
        assert AuditEntry.objects.filter(event_type="role_grant", payload__step="cancelled").count() == 1
        # The person may be invited again at once.
        assert _invite(ig_lead).status_code == 302


def test_a_role_that_starts_later_opens_from_its_first_day_in_london(client_acting_as):
    with time_machine.travel(SENT_AT, tick=False):
        _invite(client_acting_as("ig_lead", "camden"), starts="10/12/2026", ends="9/1/2027")
        done = Client().post(_link("amira.khan@camden.gov.uk"), {"password": NEW_PASSWORD, "again": NEW_PASSWORD})
        assert "Your role starts on 10 December 2026" in done.content.decode()
        early = Client().post("/sign-in", {"email": "amira.khan@camden.gov.uk", "password": NEW_PASSWORD}, follow=True)
        assert early.status_code == 403  # no role yet: the "no role" page says what to do
    with time_machine.travel(datetime(2026, 12, 10, 0, 0, 1, tzinfo=UTC), tick=False):
        on_the_day = Client().post("/sign-in", {"email": "amira.khan@camden.gov.uk", "password": NEW_PASSWORD},
                                   follow=True)
        assert on_the_day.redirect_chain[-1][0] == "/home"
    with time_machine.travel(datetime(2027, 1, 10, 0, 0, 1, tzinfo=UTC), tick=False):
        after = Client().post("/sign-in", {"email": "amira.khan@camden.gov.uk", "password": NEW_PASSWORD}, follow=True)
        assert after.status_code == 403  # the last day was 9 January
