"""The clerical review pages: side-by-side records for those an agreement allows, audited, decisions kept."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pytest

from boroughhub.insights.contract import create_tables
from boroughhub.linkage.explain import score_components
from boroughhub.linkage.link import standardised_records
from boroughhub.linkage.link_tables import ensure_link_tables, save_model
from boroughhub.linkage.review import current_decisions, store_pair_scores
from tests.agreements.conftest import demo_people, pl_rsi_v1  # noqa: F401 - fixtures
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db
LEFT, RIGHT, OTHER = "chain:chain_london:C1", "hclic:E09000007:H1", "inform:provider-a:I1"
QUEUED_AT = dt.datetime(2026, 11, 1)


@pytest.fixture
def warehouse(tmp_path, settings, trained_model):
    path = tmp_path / "warehouse.duckdb"
    settings.WAREHOUSE_PATH = path
    con = duckdb.connect(str(path))
    create_tables(con)
    ensure_link_tables(con)
    con.execute("INSERT INTO identity.chain_people (supplier_code, chain_person_id, first_name, last_name, date_of_birth) "
                "VALUES ('chain_london', 'C1', 'Mohammed', 'Ali', DATE '1980-03-04')")
    con.execute("INSERT INTO main.chain_people (supplier_code, chain_person_id, gender) VALUES ('chain_london', 'C1', 'male')")
    con.execute("INSERT INTO main.chain_contacts (supplier_code, contact_id, chain_person_id, contact_date) VALUES "
                "('chain_london', 'K1', 'C1', DATE '2026-02-03'), ('chain_london', 'K2', 'C1', DATE '2026-08-09')")
    con.execute("INSERT INTO identity.hclic_people (supplier_code, person_ref, first_name, last_name, date_of_birth) "
                "VALUES ('E09000007', 'H1', 'Mohamed', 'Ali', DATE '1980-04-03')")
    con.execute("INSERT INTO main.hclic_people (supplier_code, person_ref, case_ref, gender) "
                "VALUES ('E09000007', 'H1', 'CASE1', 'male')")
    con.execute("INSERT INTO main.hclic_cases (supplier_code, case_ref, application_date) "
                "VALUES ('E09000007', 'CASE1', DATE '2025-12-01')")
    con.execute("INSERT INTO identity.inform_clients (supplier_code, inform_client_id, first_name, last_name, date_of_birth) "
                "VALUES ('provider-a', 'I1', 'Mo', 'Ali', DATE '1980-03-04')")
    for source, supplier, key, person in (("chain", "chain_london", "C1", "P1"), ("hclic", "E09000007", "H1", "P2"),
                                          ("inform", "provider-a", "I1", "P3")):
        con.execute("INSERT INTO person_link VALUES (?, ?, ?, ?, NULL, ?, 'run-1')",
                    [source, supplier, key, person, QUEUED_AT])
    for left, right, probability in ((LEFT, RIGHT, 0.6), (LEFT, OTHER, 0.3)):
        con.execute("INSERT INTO linkage_review_queue VALUES (?, ?, ?, 1.2, 'run-1', ?, 'open')",
                    [left, right, probability, QUEUED_AT])
    # What a linkage run stores: the model, the run, and each band pair's comparison-by-comparison scores.
    version = save_model(con, trained_model, "<html></html>", QUEUED_AT)
    con.execute("INSERT INTO linkage_run VALUES ('run-1', ?, ?, 'full', 'duckdb', ?, 0.5, 0.2, 3, 3, 3, 2, 2)",
                [QUEUED_AT, QUEUED_AT, version])
    pairs = pa.table({"unique_id_l": [LEFT, LEFT], "unique_id_r": [RIGHT, OTHER]})
    store_pair_scores(con, score_components(standardised_records(con), trained_model, pairs), "run-1")
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


def _pair_links(html: str) -> list[str]:
    return [part.split('"')[0] for part in html.split('href="/linkage/review/')[1:]]


def test_gla_analyst_reviews_a_pair_side_by_side_and_the_decision_is_kept(client, warehouse, pl_rsi_v1, demo_people):
    from boroughhub.audit.models import AuditEntry

    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    listing = client.get("/linkage/review")
    assert listing.status_code == 200
    check_page(listing, forbidden=("Mohammed", "Mohamed", "C1", "H1"))
    first, second = _pair_links(listing.content.decode())
    pair = client.get(f"/linkage/review/{first}")
    assert pair.status_code == 200
    html = pair.content.decode()
    check_page(pair)
    assert "Mohammed" in html and "Mohamed" in html and "1980-03-04" in html
    assert "Pair 1 of 2" in html
    # Each record's source, supplier and first and last dates; the fields that differ are marked.
    assert "CHAIN" in html and "H-CLIC" in html and "chain_london" in html and "E09000007" in html
    assert "2026-02-03" in html and "2026-08-09" in html and "2025-12-01" in html
    assert html.count("Differs</strong>") == 2  # first name and date of birth; last name and gender agree
    # Splink's waterfall: the table of weights by comparison and the chart, drawn offline.
    assert "Why the model scored this pair" in html and "Total match weight" in html and "Date of birth" in html
    assert "<svg" in html
    # Skip goes to the next pair in the queue's order.
    assert f'href="/linkage/review/{second}">Skip this pair' in html
    accesses = AuditEntry.objects.filter(event_type="access", action="link")
    assert {ref["record_key"] for entry in accesses for ref in entry.subject_refs} == {"C1", "H1"}
    missing = client.post(f"/linkage/review/{first}", {})
    check_page(missing)
    assert "Select whether these records are the same person" in missing.content.decode()
    response = client.post(f"/linkage/review/{first}", {"decision": "same", "note": "transliteration"})
    assert response.status_code == 302 and response["Location"] == f"/linkage/review/{second}"
    con = duckdb.connect(str(warehouse))
    assert list(current_decisions(con).values()) == ["same"]
    con.close()
    last = client.get(f"/linkage/review/{second}")
    assert "Pair 1 of 1" in last.content.decode() and "Skip this pair" not in last.content.decode()
    done = client.post(f"/linkage/review/{second}", {"decision": "not_same"})
    assert done["Location"] == "/linkage/review"


def test_the_queue_filters_and_pages_through_every_pair(client, warehouse, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    inform_only = client.get("/linkage/review?source=inform")
    check_page(inform_only)
    assert len(_pair_links(inform_only.content.decode())) == 1
    linked_band = client.get("/linkage/review?band=leaning-same")
    assert "1 pair waiting" in linked_band.content.decode()
    # Values no filter offers are ignored: the whole queue, not an error page.
    odd = client.get("/linkage/review?band=nonsense&source=<script>&supplier=a%20b&page=abc")
    check_page(odd)
    assert odd.status_code == 200 and len(_pair_links(odd.content.decode())) == 2
    nothing = client.get("/linkage/review?supplier=E09000033")
    check_page(nothing)
    assert "No pairs waiting match this filter" in nothing.content.decode()
    con = duckdb.connect(str(warehouse))
    for i in range(60):  # more pairs than a page holds
        con.execute("INSERT INTO linkage_review_queue VALUES (?, ?, 0.45, 0.1, 'run-1', ?, 'open')",
                    [f"chain:chain_london:X{i:02d}", f"hclic:E09000007:Y{i:02d}", QUEUED_AT])
    con.close()
    first_page = client.get("/linkage/review")
    html = first_page.content.decode()
    check_page(first_page)
    assert "62 pairs waiting: 1 to 50 shown" in html and "Review pair 50" in html and "?page=2" in html
    second_page = client.get("/linkage/review?page=2")
    html = second_page.content.decode()
    check_page(second_page)
    assert "51 to 62 shown" in html and "Review pair 62" in html and "Review pair 50<" not in html


def test_quality_page_shows_estimates_from_labels_and_no_identifiers(client, warehouse, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    before = client.get("/linkage/quality")
    assert before.status_code == 200
    check_page(before, forbidden=("Mohammed", "Mohamed", "Ali", "1980-03-04", "C1", "H1", "I1"))
    assert "No labels yet" in before.content.decode()
    first, second = _pair_links(client.get("/linkage/review").content.decode())
    client.post(f"/linkage/review/{first}", {"decision": "same"})  # the model linked it (0.6): agreed
    client.post(f"/linkage/review/{second}", {"decision": "same"})  # the model did not (0.3): missed
    after = client.get("/linkage/quality")
    html = after.content.decode()
    check_page(after, forbidden=("Mohammed", "Mohamed", "Ali", "1980-03-04", "C1", "H1", "I1"))
    assert "1 of 1" in html and "100.0%" in html  # precision
    assert "1 of 2" in html and "50.0%" in html  # recall
    assert "Model version 1 is the first" in html and "<svg" in html
    assert "Match weight of each comparison level" in html  # the chart's figures as a table beside it


@pytest.mark.parametrize("page", ["/linkage/review", "/linkage/quality"])
def test_borough_analyst_without_a_link_permission_is_refused(client, warehouse, pl_rsi_v1, demo_people, page):
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    response = client.get(page)
    assert response.status_code == 403
    check_page(response)
    assert "Mohammed" not in response.content.decode()


@pytest.fixture
def without_linking_hclic(demo_people):
    """Appendix A (term following today) with P-LINK-HCLIC taken out: the GLA's analysts may see the
    queue and link CHAIN and InForm, but not H-CLIC."""
    from boroughhub.agreements.store.demo import demo_actor, demo_document, sign_by_everyone
    from boroughhub.agreements.store.lifecycle import create_agreement

    content = demo_document()["content"]
    content["permissions"] = [p for p in content["permissions"] if p["id"] != "P-LINK-HCLIC"]
    return sign_by_everyone(create_agreement(demo_actor("camden"), "dsa-pl-rsi", content))


def test_the_queue_offers_only_pairs_the_reviewer_may_open(client, warehouse, without_linking_hclic, demo_people):
    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    listing = client.get("/linkage/review")
    check_page(listing)
    html = listing.content.decode()
    # The seeded queue's pair with an H-CLIC record says why it is not open; the other one opens.
    offered = _pair_links(html)
    assert len(offered) == 1
    assert html.count("not open to you, because your agreement does not let you link") == 1
    assert "link CHAIN and H-CLIC records" in html or "link H-CLIC and CHAIN records" in html
    pair = client.get(f"/linkage/review/{offered[0]}")
    assert pair.status_code == 200
    assert "Pair 1 of 1" in pair.content.decode() and "Skip this pair" not in pair.content.decode()
