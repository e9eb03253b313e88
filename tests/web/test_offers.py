"""What each session is offered (navigation, home cards, buttons, figure choices) comes from the rule
that guards each page, and every offer opens. The demo's agreements, with the term they get today."""

from __future__ import annotations

import re

import pytest

from tests.agreements.conftest import demo_agreements, demo_people  # noqa: F401 - fixtures
from tests.insights.test_pages import snapshot, snapshot_dir  # noqa: F401 - fixtures
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db

EXPECTED_SECTIONS = {
    ("analyst", "gla"): ["Home", "Insights", "Linkage review"],
    ("analyst", "camden"): ["Home", "Insights"],
    ("data_manager", "hub"): ["Home", "Submissions", "Insights"],
    ("frontline_worker", "hillingdon"): ["Home"],
    ("ig_lead", "camden"): ["Home", "Agreements", "People"],
    ("hub_admin", "hub"): ["Home", "Agreements", "Evaluation", "People", "Projects"],
    ("uploader", "westminster"): ["Home", "Submissions"],
    ("privacy_officer", "lambeth"): ["Home", "Audit"],
}


def acting_as(client, user, org, role):
    from boroughhub.organisations.acting import SESSION_KEY

    grant = user.role_grants.get(organisation_id=org, role=role)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_KEY] = grant.pk
    session.save()
    return client


def navigation(html: str) -> dict[str, str]:
    """The service navigation's sections: their text and address."""
    items = re.findall(r'<a class="govuk-service-navigation__link" href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)
    return {re.sub(r"<[^>]+>", "", text).strip(): href.replace("&amp;", "&") for href, text in items}


def home_cards(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in
            re.findall(r'<h2 class="govuk-heading-m govuk-!-margin-bottom-1"><a class="govuk-link" href="([^"]+)"', html)]


@pytest.fixture
def person(demo_agreements, demo_people, make_user):  # noqa: F811 - fixtures
    make_user("frontline_worker@hillingdon.example", "hillingdon", "frontline_worker", password=None)
    return demo_people


@pytest.mark.parametrize(("role", "org"), list(EXPECTED_SECTIONS))
def test_each_session_is_offered_exactly_what_opens_for_it(client, snapshot, person, role, org):  # noqa: F811
    acting_as(client, person(role, org), org, role)
    home = client.get("/home")
    check_page(home)
    html = home.content.decode()
    sections = navigation(html)
    assert list(sections) == EXPECTED_SECTIONS[(role, org)]
    assert "Change role" not in html  # every demo account holds one role
    for href in {*sections.values(), *home_cards(html)}:
        response = client.get(href)
        assert response.status_code == 200, (role, org, href, response.status_code)
        if not href.startswith("/admin/"):  # Django's admin has its own frame
            check_page(response)


def test_data_manager_is_offered_unrounded_figures_and_nothing_their_agreement_refuses(client, snapshot, person):  # noqa: F811
    acting_as(client, person("data_manager", "hub"), "hub", "data_manager")
    offered = navigation(client.get("/home").content.decode())["Insights"]
    assert offered == "/insights/?figures=unrounded"
    html = client.get(offered).content.decode()
    assert "These figures are not disclosure-controlled" in html
    assert "Download this table" not in html  # no export permission
    assert 'name="figures"' in html and '<select class="govuk-select" id="figures"' not in html  # one choice only
    topic_links = re.findall(r'href="(/insights/[a-z_-]+\?area=[^"]+)"', html)
    assert topic_links and all("figures=unrounded" in link for link in topic_links)
    assert client.get("/insights/").status_code == 403  # disclosure-controlled figures are not granted
    assert client.get("/linkage/review").status_code == 403


def test_borough_analyst_gets_downloads_but_no_unrounded_choice_or_linkage_review(client, snapshot, person):  # noqa: F811
    acting_as(client, person("analyst", "camden"), "camden", "analyst")
    html = client.get("/insights/").content.decode()
    assert "Download this table" in html
    assert 'name="figures"' not in html
    assert client.get("/insights/download/overview/" + re.search(
        r'/insights/download/overview/([a-z0-9_-]+)\.csv', html).group(1) + ".csv").status_code == 200
    assert client.get("/linkage/review").status_code == 403


def test_refusal_by_the_guard_is_audited_with_the_reason(client, snapshot, person):  # noqa: F811
    from boroughhub.audit import AuditEntry

    acting_as(client, person("frontline_worker", "hillingdon"), "hillingdon", "frontline_worker")
    response = client.get("/insights/")
    assert response.status_code == 403
    assert "Your role may never do this action" not in response.content.decode()  # frontline may view_aggregate
    entry = AuditEntry.objects.filter(event_type="decision", action="view_aggregate", outcome="deny",
                                      role="frontline_worker").get()
    assert entry.dataset == "metric_values"
    html = client.get("/home").content.decode()
    assert "Nothing in the hub is open to you yet" in html
    assert "Change role" not in response.content.decode()


def test_change_role_is_offered_only_to_someone_holding_another_role(client, person, make_user):
    two_roles = person("analyst", "camden")
    make_user(two_roles.email, "camden", "uploader")
    acting_as(client, two_roles, "camden", "analyst")
    assert "Change role" in client.get("/home").content.decode()
    refused = client.get("/agreements/")
    assert refused.status_code == 403
    assert "choose Change role" in refused.content.decode()

    acting_as(client, person("analyst", "westminster"), "westminster", "analyst")
    assert "Change role" not in client.get("/home").content.decode()
    refused = client.get("/agreements/")
    assert refused.status_code == 403
    check_page(refused)
    assert "Change role" not in refused.content.decode()
    assert "information governance lead" in refused.content.decode()


def test_upload_button_follows_the_upload_page_rule(client, person):
    acting_as(client, person("uploader", "westminster"), "westminster", "uploader")
    assert 'href="/submissions/upload"' in client.get("/submissions/").content.decode()
    acting_as(client, person("data_manager", "hub"), "hub", "data_manager")
    assert 'href="/submissions/upload"' not in client.get("/submissions/").content.decode()


def test_offered_url_reads_the_rule_its_guard_checks(rf, person):
    from boroughhub.agreements.access import may_open, offered_url, page_access_of
    from boroughhub.insights import views as insights
    from boroughhub.organisations.acting import Acting
    from boroughhub.organisations.roles import Role

    request = rf.get("/home")
    request.acting = None
    assert offered_url(request, "web:privacy") == "/privacy"  # no rule: open to anyone
    assert offered_url(request, "insights:london") is None  # not signed in
    assert offered_url(request, "no:such-page") is None
    uploader = person("uploader", "westminster")
    grant = uploader.role_grants.get(organisation_id="westminster", role="uploader")
    request.acting = Acting(uploader, grant.organisation, Role.UPLOADER, grant.pk)
    assert offered_url(request, "submissions:upload") == "/submissions/upload"
    assert offered_url(request, "admin:index") is None
    assert offered_url(request, "insights:download", "overview", "f1", "csv") is None
    assert page_access_of(insights.london) is insights.INSIGHT_PAGES
    assert page_access_of(insights.download) is insights.INSIGHT_DOWNLOADS
    assert not may_open(request, insights.INSIGHT_PAGES)
