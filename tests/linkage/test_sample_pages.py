"""The label sample on the pages: drawn from the quality page, labelled blind, estimated by band, audited."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from tests.agreements.conftest import demo_people, pl_rsi_v1  # noqa: F401 - fixtures
from tests.linkage.test_review_pages import LEFT, OTHER, RIGHT, _pair_links, signed_in, warehouse  # noqa: F401
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db
IDENTIFIERS = ("Mohammed", "Mohamed", "Ali", "1980-03-04", "C1", "H1", "I1")


@pytest.fixture
def scored(warehouse):  # noqa: F811 - the review pages' warehouse, with the run's scored pairs
    con = duckdb.connect(str(warehouse))
    con.executemany("INSERT INTO linkage_scored_pairs (unique_id_l, unique_id_r, match_probability, match_weight, run_id) "
                    "VALUES (?, ?, ?, 0.0, 'run-1')",
                    [[LEFT, RIGHT, 0.6], [LEFT, OTHER, 0.3], [RIGHT, OTHER, 0.97]])
    con.close()
    return warehouse


def _sample_rows(html: str) -> list[tuple[str, str]]:
    """(token, label) of each row of the sample's table, in the sample's order."""
    rows = []
    for row in html.split('<tr class="govuk-table__row">')[1:]:
        if 'href="/linkage/quality/sample/' in row:
            token = row.split('href="/linkage/quality/sample/')[1].split('"')[0]
            rows.append((token, row.split('<td class="govuk-table__cell">')[-1].split("<")[0]))
    return rows


def test_a_data_manager_draws_labels_and_sees_the_weighted_estimate(client, scored, pl_rsi_v1, demo_people):
    from boroughhub.audit.models import AuditEntry

    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    before = client.get("/linkage/quality")
    check_page(before, forbidden=IDENTIFIERS)
    assert "Label a sample" in before.content.decode() and "Labels the current model learnt from" in before.content.decode()
    # A label made in the ordinary queue counts where its pair falls in the sample.
    queued = _pair_links(client.get("/linkage/review").content.decode())
    client.post(f"/linkage/review/{queued[0]}", {"decision": "same"})  # LEFT-RIGHT (0.6), first in the queue
    drawn = client.post("/linkage/quality/sample")
    assert drawn.status_code == 302 and drawn["Location"] == "/linkage/quality/sample"
    assert AuditEntry.objects.filter(event_type="registry", action="label_sample_drawn").count() == 1
    listing = client.get("/linkage/quality/sample")
    html = listing.content.decode()
    check_page(listing, forbidden=IDENTIFIERS)
    assert "3 pairs, up to 20 from each band. 1 of 3 labelled" in html and "The same person" in html
    rows = _sample_rows(html)
    assert len({token for token, _ in rows}) == 3
    assert sorted(label for _, label in rows) == ["Not labelled yet", "Not labelled yet", "The same person"]
    waiting = [token for token, label in rows if label == "Not labelled yet"]
    assert f'href="/linkage/quality/sample/{waiting[0]}">Label the next pair' in html
    # Labelled blind: the records side by side, not the model's score or its reasoning.
    first = client.get(f"/linkage/quality/sample/{waiting[0]}")
    page = first.content.decode()
    check_page(first)
    assert "Pair " in page and " of 3" in page and "Ali" in page
    assert "match probability of" not in page and "Why the model scored this pair" not in page
    missing = client.post(f"/linkage/quality/sample/{waiting[0]}", {})
    check_page(missing)
    assert "Select whether these records are the same person" in missing.content.decode()
    # The two pairs left are LEFT-OTHER (0.3) and RIGHT-OTHER (0.97); saving goes to the next unlabelled pair.
    saved = client.post(f"/linkage/quality/sample/{waiting[0]}", {"decision": "not_same"})
    assert saved["Location"] == f"/linkage/quality/sample/{waiting[1]}"
    done = client.post(f"/linkage/quality/sample/{waiting[1]}", {"decision": "not_same"})
    assert done["Location"] == "/linkage/quality/sample"
    after = client.get("/linkage/quality")
    html = after.content.decode()
    check_page(after, forbidden=IDENTIFIERS)
    # Every band with pairs is labelled in full: linked bands hold 1 true pair of 2, and the one true pair is linked.
    assert "50.0% (50.0% to 50.0%)" in html and "100.0% (100.0% to 100.0%)" in html
    assert "3 of 3 pairs labelled" in html and "<svg" in html
    assert "Share of each band" in html and "0.95 to 0.99" in html


def test_drawing_before_any_run_says_what_to_do(client, warehouse, pl_rsi_v1, demo_people):  # noqa: F811
    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    response = client.post("/linkage/quality/sample")
    check_page(response)
    assert "link the records first, then draw a sample" in response.content.decode()


def test_a_pair_outside_the_sample_is_not_found(client, scored, pl_rsi_v1, demo_people):
    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    assert client.get("/linkage/quality/sample/0123456789abcdef0123").status_code == 404
    client.post("/linkage/quality/sample")
    assert client.get("/linkage/quality/sample/0123456789abcdef0123").status_code == 404


@pytest.mark.parametrize("page", ["/linkage/quality/sample", "/linkage/quality/sample/0123456789abcdef0123"])
def test_borough_analyst_without_a_link_permission_is_refused(client, scored, pl_rsi_v1, demo_people, page):
    signed_in(client, demo_people("analyst", "camden"), "camden", "analyst")
    assert client.get(page).status_code == 403
    assert client.post(page).status_code == 403



def test_the_quality_page_says_what_the_labels_changed_and_flags_disagreement(client, scored, trained_model,
                                                                               pl_rsi_v1, demo_people):
    import copy

    from boroughhub.linkage.label_training import LABELS_KEY
    from boroughhub.linkage.link_tables import save_model
    from boroughhub.linkage.train import TrainedModel

    learnt = copy.deepcopy(trained_model.model)
    learnt[LABELS_KEY] = {"labels": 40, "same": 25, "not_same": 15, "effective_matches": 12.5, "prior_strength": 50.0,
                          "changes": [["dob", "exact", 0.5, 0.58], ["name", "else", 0.02, 0.019]],
                          "disagreement_em": 0.2, "disagreement": 0.15, "flag_above": 0.1, "em_m": {}}
    con = duckdb.connect(str(scored))
    save_model(con, TrainedModel(trained_model.fields, learnt, trained_model.charts, 100), "<html></html>",
               dt.datetime(2026, 12, 1))
    con.close()
    signed_in(client, demo_people("analyst", "gla"), "gla", "analyst")
    response = client.get("/linkage/quality")
    html = response.content.decode()
    check_page(response, forbidden=IDENTIFIERS)
    assert "towards 40 labelled sample pairs (25 judged the same person, 15 not)" in html
    assert "20.0% before the labels, 15.0% after" in html
    assert "decides more than 10% of the labelled pairs the other way" in html
    assert html.index("0.5800") < html.index("0.0190")  # the biggest move first


def test_the_demo_draws_one_sample_per_run_and_labels_none(scored):
    from boroughhub.audit.models import AuditEntry
    from boroughhub.linkage import draw_demo_label_sample
    from boroughhub.linkage.label_sample import load_sample

    assert draw_demo_label_sample() == "sample 1: 3 pairs to label"
    assert draw_demo_label_sample() == "sample 1 is already drawn from the latest run"
    con = duckdb.connect(str(scored))
    sample = load_sample(con)
    con.close()
    assert sample is not None and sample.unlabelled() == list(sample.pairs)
    assert AuditEntry.objects.filter(event_type="registry", action="label_sample_drawn").count() == 1
