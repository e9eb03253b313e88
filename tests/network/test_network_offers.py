"""Each network role's navigation and home cards lead only to pages that open for it."""

import re

import pytest

from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db

ROLES = [("event_organiser", "camden"), ("apprentice", "camden"), ("apprentice_manager", "lambeth"),
         ("guidance_owner", "hub"), ("programme_manager", "hub")]


@pytest.mark.parametrize(("role", "org"), ROLES)
def test_every_offer_opens(acting_as, role, org):
    client = acting_as(role, org)
    home = client.get("/home")
    check_page(home)
    html = home.content.decode()
    offered = set(re.findall(r'<a class="govuk-service-navigation__link" href="([^"]*)"', html))
    offered |= set(re.findall(r'<h2 class="govuk-heading-m govuk-!-margin-bottom-1"><a class="govuk-link" href="([^"]+)"', html))
    assert "/network/" in offered and len(offered) >= 3
    landing = client.get("/network/").content.decode()
    offered |= set(re.findall(r'<li><a class="govuk-link" href="([^"]+)"', landing))
    for href in offered:
        response = client.get(href)
        assert response.status_code == 200, (role, href, response.status_code)
        check_page(response)


def test_the_data_hub_s_roles_are_not_sent_to_the_network(acting_as):
    client = acting_as("analyst", "camden")
    assert "/network/" not in client.get("/home").content.decode()
    assert client.get("/network/").status_code == 403
