"""Pages and downloads that can carry personal or unpublished data are never kept by a browser or proxy."""

from __future__ import annotations

import pytest

from tests.agreements.conftest import demo_people, pl_rsi_v1  # noqa: F401 - fixtures
from tests.insights.test_pages import CAMDEN, snapshot, snapshot_dir  # noqa: F401 - fixtures
from tests.linkage.conftest import population, trained_model  # noqa: F401 - fixtures
from tests.linkage.test_review_pages import signed_in, warehouse  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def assert_not_stored(response):
    assert response.headers.get("Cache-Control") == "no-store", (response.status_code, response.headers)


def test_linkage_pair_page_with_names_and_dates_of_birth_is_no_store(client, warehouse, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    listing = client.get("/linkage/review")
    assert_not_stored(listing)
    token = listing.content.decode().split("/linkage/review/")[1].split('"')[0]
    pair = client.get(f"/linkage/review/{token}")
    assert pair.status_code == 200 and "Mohammed" in pair.content.decode()
    assert_not_stored(pair)


def test_xlsx_and_csv_downloads_are_no_store(client, snapshot, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    for fmt in ("xlsx", "csv"):
        download = client.get(f"/insights/download/cohorts/annual-cohorts.{fmt}?area={CAMDEN}")
        assert download.status_code == 200
        assert_not_stored(download)


def test_audit_log_and_refusals_are_no_store(client_acting_as):
    officer = client_acting_as("privacy_officer", "camden")
    log = officer.get("/agreements/audit")
    assert log.status_code == 200
    assert_not_stored(log)
    assert_not_stored(officer.get("/no-such-page"))
    assert_not_stored(client_acting_as("analyst", "camden").get("/submissions/"))  # a 403 page


def test_static_assets_stay_cacheable(client):
    css = client.get("/static/web/govuk-frontend.min.css")
    assert css.status_code == 200
    assert "no-store" not in css.headers.get("Cache-Control", "")
