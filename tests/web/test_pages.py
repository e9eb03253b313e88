from __future__ import annotations

import pytest

from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db


def test_start_page_says_what_the_hub_does_and_links_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 200
    facts = check_page(response)
    assert "London's shared data hub – boroughhub" in " ".join(facts.title.split())
    assert b'href="/sign-in"' in response.content


def test_pages_carry_no_gov_uk_branding(client):
    html = client.get("/").content.decode()
    assert "govuk-header__logo" not in html and "GDS Transport" not in html
    css = client.get("/static/web/govuk-frontend.min.css")
    assert css.status_code == 200
    assert b"GDS Transport" not in b"".join(css.streaming_content)


def test_security_headers_and_no_cookie_for_anonymous_visitors(client):
    response = client.get("/")
    assert "script-src 'self' 'nonce-" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert not response.cookies, "an anonymous visitor gets no cookie"


@pytest.mark.parametrize("path", ["/accessibility", "/privacy", "/sign-in"])
def test_public_pages_pass_the_page_check(client, path):
    response = client.get(path)
    assert response.status_code == 200
    check_page(response)


def test_missing_page_is_a_clear_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    facts = check_page(response)
    assert "Page not found" in facts.title


def test_home_needs_sign_in(client):
    response = client.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize(
    ("role", "org", "heading"),
    [
        ("ig_lead", "camden", "Your data sharing agreements"),
        ("uploader", "provider-a", "Send your organisation"),
        ("analyst", "westminster", "Rough sleeping insights"),
        ("privacy_officer", "lambeth", "Oversee use of your organisation"),
        ("hub_admin", "hub", "Run the hub"),
        ("data_manager", "hub", "Manage the hub"),
        ("frontline_worker", "hillingdon", "Your residents and your area"),
    ],
)
def test_each_role_has_its_home_page(client_acting_as, role, org, heading):
    client = client_acting_as(role, org)
    response = client.get("/home")
    assert response.status_code == 200
    check_page(response)
    html = response.content.decode()
    assert heading in html.replace("&#39;", "'")


def test_admin_is_for_sessions_acting_as_hub_admin_only(client_acting_as):
    client = client_acting_as("ig_lead", "camden")
    assert client.get("/admin/").status_code in (302, 403)
    client = client_acting_as("hub_admin", "hub", email="admin@hub.test")
    assert client.get("/admin/").status_code == 200


def test_hub_admin_home_links_the_demo_programme_evaluation_once_it_exists(client_acting_as, settings, tmp_path):
    from boroughhub.web.management.demo_steps import DEMO_EVALUATION_RUN

    settings.DATA_DIR = tmp_path
    client = client_acting_as("hub_admin", "hub")
    assert "example programme evaluation" not in client.get("/home").content.decode()
    output = tmp_path / "evaluations" / str(DEMO_EVALUATION_RUN) / "output"  # where the run page reads it
    output.mkdir(parents=True)
    (output / "results.json").write_text("{}")
    response = client.get("/home")
    check_page(response)
    assert f'href="/evaluation/runs/{DEMO_EVALUATION_RUN}"' in response.content.decode()
