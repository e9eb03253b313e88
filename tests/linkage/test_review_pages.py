"""The clerical review pages: side-by-side records for those an agreement allows, audited, decisions kept."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from boroughhub.insights.contract import create_tables
from boroughhub.linkage.link_tables import ensure_link_tables
from boroughhub.linkage.review import current_decisions
from tests.agreements.conftest import demo_people, pl_rsi_v1  # noqa: F401 - fixtures
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db
LEFT, RIGHT = "chain:chain_london:C1", "hclic:E09000007:H1"


@pytest.fixture
def warehouse(tmp_path, settings):
    path = tmp_path / "warehouse.duckdb"
    settings.WAREHOUSE_PATH = path
    con = duckdb.connect(str(path))
    create_tables(con)
    ensure_link_tables(con)
    con.execute("INSERT INTO identity.chain_people (supplier_code, chain_person_id, first_name, last_name, date_of_birth) "
                "VALUES ('chain_london', 'C1', 'Mohammed', 'Ali', DATE '1980-03-04')")
    con.execute("INSERT INTO main.chain_people (supplier_code, chain_person_id, gender) VALUES ('chain_london', 'C1', 'male')")
    con.execute("INSERT INTO identity.hclic_people (supplier_code, person_ref, first_name, last_name, date_of_birth) "
                "VALUES ('E09000007', 'H1', 'Mohamed', 'Ali', DATE '1980-04-03')")
    con.execute("INSERT INTO main.hclic_people (supplier_code, person_ref, gender) VALUES ('E09000007', 'H1', 'male')")
    con.execute("INSERT INTO linkage_review_queue VALUES (?, ?, 0.6, 1.2, 'run-1', ?, 'open')",
                [LEFT, RIGHT, dt.datetime(2026, 11, 1)])
    con.close()
    return path


def signed_in(client, user, org, role):
    from boroughhub.organisations.acting import SESSION_KEY

    grant = user.role_grants.get(organisation_id=org, role=role)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_KEY] = grant.pk
    session.save()
    return client


def test_gla_analyst_reviews_a_pair_side_by_side_and_the_decision_is_kept(client, warehouse, pl_rsi_v1, demo_people):
    from boroughhub.audit.models import AuditEntry

    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    listing = client.get("/linkage/review")
    assert listing.status_code == 200
    check_page(listing, forbidden=("Mohammed", "Mohamed", "C1", "H1"))
    token = listing.content.decode().split("/linkage/review/")[1].split('"')[0]
    pair = client.get(f"/linkage/review/{token}")
    assert pair.status_code == 200
    html = pair.content.decode()
    check_page(pair)
    assert "Mohammed" in html and "Mohamed" in html and "1980-03-04" in html
    accesses = AuditEntry.objects.filter(event_type="access", action="link")
    assert {ref["record_key"] for entry in accesses for ref in entry.subject_refs} == {"C1", "H1"}
    missing = client.post(f"/linkage/review/{token}", {})
    check_page(missing)
    assert "Select whether these records are the same person" in missing.content.decode()
    response = client.post(f"/linkage/review/{token}", {"decision": "same", "note": "transliteration"})
    assert response.status_code == 302
    con = duckdb.connect(str(warehouse))
    assert list(current_decisions(con).values()) == ["same"]


def test_borough_analyst_without_a_link_permission_is_refused(client, warehouse, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    response = client.get("/linkage/review")
    assert response.status_code == 403
    check_page(response)
    assert "Mohammed" not in response.content.decode()
