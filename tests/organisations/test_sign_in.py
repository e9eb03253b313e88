from __future__ import annotations

import pytest
from django.test import Client

from boroughhub.audit.models import AuditEntry
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def session_entries(**payload_match):
    entries = AuditEntry.objects.filter(event_type="session").order_by("seq")
    return [e for e in entries if all(e.payload.get(k) == v for k, v in payload_match.items())]


def test_sign_in_with_one_role_goes_straight_home(client, make_user):
    make_user("uploader@camden.test", "camden", "uploader")
    response = client.post("/sign-in", {"email": "uploader@camden.test", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/home"
    assert "Uploader, London Borough of Camden" in response.content.decode()
    assert session_entries(event="choose_role")[-1].org == "camden"


def test_user_with_two_roles_chooses_one_and_acts_only_as_it(client, make_user):
    make_user("both@example.test", "camden", "analyst")
    make_user("both@example.test", "gla", "ig_lead")
    response = client.post("/sign-in", {"email": "both@example.test", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/choose-role"
    check_page(response)
    # Submitting without a choice shows the GOV.UK error summary.
    check_page(client.post("/choose-role", {}))
    from boroughhub.organisations.models import RoleGrant

    gla = RoleGrant.objects.get(user__email="both@example.test", organisation_id="gla")
    response = client.post("/choose-role", {"grant": gla.pk}, follow=True)
    assert "Information governance lead, Greater London Authority" in response.content.decode()


def test_wrong_password_and_unknown_user_get_the_same_clear_message_and_are_audited(client, make_user):
    make_user("analyst@lambeth.test", "lambeth", "analyst")
    for email, reason in (("analyst@lambeth.test", "bad_password"), ("nobody@lambeth.test", "unknown_user")):
        response = client.post("/sign-in", {"email": email, "password": "wrong-password-here"})
        assert response.status_code == 200
        check_page(response)
        assert "Enter a correct email address and password" in response.content.decode()
        assert session_entries(reason=reason), f"no audit entry for {reason}"


def test_empty_form_shows_field_errors_in_the_error_summary(client):
    response = client.post("/sign-in", {"email": "", "password": ""})
    facts = check_page(response)
    assert facts.error_summary and facts.field_errors == 2


def test_repeated_failures_lock_the_account_out_with_a_clear_page(client, make_user, settings):
    make_user("target@camden.test", "camden", "analyst")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in", {"email": "target@camden.test", "password": "guess-guess-guess"})
    response = client.post("/sign-in", {"email": "target@camden.test", "password": PASSWORD})
    assert response.status_code == 429
    check_page(response)
    assert "Too many attempts" in response.content.decode()
    assert session_entries(reason="locked_out")


def test_user_without_any_role_is_refused_clearly_and_audited(client, make_user):
    make_user("nobody@camden.test")
    response = client.post("/sign-in", {"email": "nobody@camden.test", "password": PASSWORD}, follow=True)
    assert response.status_code == 403
    check_page(response)
    assert session_entries(reason="no_role_held")


def test_a_user_cannot_act_for_an_organisation_they_hold_no_grant_in(client, make_user):
    make_user("analyst@camden.test", "camden", "analyst")
    other = make_user("analyst@lambeth.test", "lambeth", "analyst")
    lambeth_grant = other.role_grants.get()
    client.post("/sign-in", {"email": "analyst@camden.test", "password": PASSWORD})
    response = client.post("/choose-role", {"grant": lambeth_grant.pk})
    assert response.status_code == 200  # the form again, with an error
    check_page(response)
    assert session_entries(reason="role_not_held")
    home = client.get("/home", follow=True).content.decode()
    assert "Lambeth" not in home


def test_revoked_grant_ends_the_session_at_the_next_request(client_acting_as):
    from django.utils import timezone

    client = client_acting_as("analyst", "camden")
    assert client.get("/home").status_code == 200
    from boroughhub.organisations.models import RoleGrant

    RoleGrant.objects.filter(organisation_id="camden", role="analyst").update(revoked_at=timezone.now())
    response = client.get("/home")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_csrf_failure_gets_a_clear_page_and_an_audit_entry(make_user):
    make_user("analyst@camden.test", "camden", "analyst")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/sign-in", {"email": "analyst@camden.test", "password": PASSWORD})
    assert response.status_code == 403
    check_page(response)
    assert "Your form could not be sent" in response.content.decode()
    assert session_entries(event="csrf_failure")


def test_sign_out_is_audited(client_acting_as):
    client = client_acting_as("analyst", "camden")
    response = client.post("/sign-out")
    check_page(response)
    assert session_entries(event="sign_out")
    assert client.get("/home").status_code == 302


def test_second_factor_is_asked_when_required(client, make_user, settings):
    import django_otp.oath
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.REQUIRE_SECOND_FACTOR = True
    user = make_user("secure@camden.test", "camden", "analyst")
    response = client.post("/sign-in", {"email": "secure@camden.test", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/sign-in/code"
    facts = check_page(response)
    assert "Set up your authenticator app" in facts.title
    assert client.get("/home").status_code == 302, "no access before the second factor"
    device = TOTPDevice.objects.get(user=user)
    wrong = client.post("/sign-in/code", {"code": "000000" if device.bin_key else "111111"})
    check_page(wrong)
    assert "The code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    code = django_otp.oath.totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post("/sign-in/code", {"code": f"{code:06d}"}, follow=True)
    assert response.redirect_chain[-1][0] == "/home"
    from boroughhub.agreements.views.signing import MFA_AT_SESSION_KEY

    assert client.session.get(MFA_AT_SESSION_KEY), "signing needs the time of the second factor"


def test_a_sign_out_link_opened_directly_offers_the_button(client_acting_as):
    client = client_acting_as("analyst", "camden")
    response = client.get("/sign-out")
    assert response.status_code == 200
    check_page(response)
    assert client.get("/home").status_code == 200, "a GET never signs anyone out"
