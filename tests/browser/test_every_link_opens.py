"""Every link leads somewhere: signed in as each demo account, every same-site link followed and every
offered GET filter submitted opens; a 403 or 404 (or any error page) fails the test, listed in full.
A filter submitted with a required box left empty may answer 400 with its error summary: that is the
form saying what to enter, not a refusal.

Over plain HTTP (urllib and a cookie jar) against the served demo hub of ``hub_url``: no page needs a
script to be reached, and a crawl of a few thousand requests is quicker without a browser.
"""

from __future__ import annotations

import pytest

from boroughhub.organisations.demo_accounts import PILOT_ORGANISATIONS, demo_accounts
from tests.browser.crawl import HubSession, crawl
from tests.browser.server import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# Every pilot organisation's accounts, and two organisations that are party to nothing yet (a borough
# that may accede, and the police): the other 30 boroughs' accounts are the same shape as Southwark's.
CRAWLED = (*PILOT_ORGANISATIONS, "southwark", "met")


def test_every_demo_account_is_offered_only_pages_that_open(hub_url):
    refused: list[str] = []
    summary: list[str] = []
    accounts = [a for a in demo_accounts() if a.organisation_id in CRAWLED]
    assert {a.organisation_id for a in accounts} == set(CRAWLED)
    for account in accounts:
        session = HubSession(hub_url)
        landed = session.sign_in(account.email, DEMO_PASSWORD)
        assert landed == "/home", (account.email, landed)
        visits, bodies = crawl(session)
        summary.append(f"{account.email}: {len(visits)}")
        refused += [f"{account.email}: {v.status} {v.url} (linked from {v.found_on})"
                    for v in visits if v.refused_or_missing]
        # Every demo account holds one role: "Change role" would only bring them back home.
        assert not any(">Change role</a>" in body for body in bodies), account.email
    assert not refused, "\n".join(refused)
    # The crawl reached the pages that matter, not only the home pages.
    crawled = dict(line.split(": ") for line in summary)
    print("pages opened per account:", ", ".join(summary))  # noqa: T201 - shown with -s
    assert int(crawled["analyst@gla.example"]) > 20, summary
    assert int(crawled["ig_lead@camden.example"]) > 5, summary
