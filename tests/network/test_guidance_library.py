"""The guidance library: full-text search with ranking and filters (the page and the command line give the
same answer), versions and what changed, stale guidance flagged to its owner."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from boroughhub.agreements import Notification
from boroughhub.network import GuidanceQuery, search_guidance
from boroughhub.network.models import GuidanceDocument
from boroughhub.network.store.demo import seed_guidance
from boroughhub.network.store.guidance import flag_stale_guidance
from boroughhub.network.store.guidance_search import engine_for_database
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


@pytest.fixture
def library(db):
    seed_guidance(TODAY, "!unusable")
    return GuidanceDocument.objects.count()


def cli_search(*args: str) -> list[dict]:
    out = StringIO()
    call_command("guidance", "search", *args, "--json", "--today", TODAY.isoformat(), stdout=out)
    return json.loads(out.getvalue())


def page_results(client, query: str) -> list[str]:
    html = client.get("/guidance/", {"q": query}).content.decode()
    section = html.split('id="results"')[1].split("</ol>")[0]
    return [part.split('/"')[0] for part in section.split('href="/guidance/')[1:]]


def test_generative_ai_finds_the_generative_ai_guidance_first(library, acting_as):
    assert library == 40
    hits = search_guidance(GuidanceQuery(text="generative AI"), TODAY)
    assert hits[0].title == "Generative AI: safe use in council services"
    assert len(hits) > 2  # others mention generative AI in their text, ranked below the title match
    assert [hit.rank for hit in hits] == list(range(1, len(hits) + 1))


def test_the_command_line_returns_what_the_search_page_shows(library, acting_as):
    client = acting_as("analyst", "camden")
    page = client.get("/guidance/", {"q": "generative AI"})
    check_page(page)
    for query in ("generative AI", "data protection impact", "sensors", "ethic"):
        cli = cli_search(query)
        assert [hit["slug"] for hit in cli] == page_results(client, query), query
        assert cli, query
    first = cli_search("generative AI")[0]
    assert set(first) == {"rank", "slug", "title", "summary", "version", "owner", "owner_organisation",
                          "review_on", "topics", "stale", "url"}
    assert first["url"] == f"/guidance/{first['slug']}/" and first["rank"] == 1


def test_filters_by_topic_and_staleness(library):
    ethics = search_guidance(GuidanceQuery(topic="data ethics"), TODAY)
    assert ethics and all("data ethics" in hit.topics for hit in ethics)
    stale = search_guidance(GuidanceQuery(stale_only=True, limit=100), TODAY)
    assert stale and all(hit.stale and hit.review_on < TODAY for hit in stale)
    both = search_guidance(GuidanceQuery(text="residents", topic="accessibility"), TODAY)
    assert all("accessibility" in hit.topics for hit in both)
    assert search_guidance(GuidanceQuery(text="zzzz-nothing"), TODAY) == []
    # Engine syntax in a query is only words: no error, no injection.
    assert isinstance(search_guidance(GuidanceQuery(text='" OR 1=1 -- NEAR('), TODAY), list)


def test_the_index_follows_new_versions(library, acting_as):
    owner = acting_as("guidance_owner", "hub")
    page = owner.post("/guidance/new", {
        "title": "Quantum sandbox rules", "summary": "Rules for the quantum sandbox.",
        "body": "First paragraph.\n\nSecond paragraph about qubits.", "topics": "Data ethics, quantum",
        "review-day": "1", "review-month": "6", "review-year": "2027"})
    assert page.status_code == 302
    slug = page["Location"].split("/")[2]
    assert search_guidance(GuidanceQuery(text="qubits"), TODAY)[0].slug == slug
    owner.post(f"/guidance/{slug}/new-version", {
        "title": "Quantum sandbox rules", "summary": "Rules for the quantum sandbox.",
        "body": "First paragraph.\n\nSecond paragraph about annealing.", "topics": "quantum",
        "review-day": "1", "review-month": "6", "review-year": "2027", "note": "Annealing, not qubits"})
    assert search_guidance(GuidanceQuery(text="qubits"), TODAY) == []
    assert search_guidance(GuidanceQuery(text="annealing"), TODAY)[0].version == 2
    changes = owner.get(f"/guidance/{slug}/changes", {"from": 1, "to": 2})
    check_page(changes)
    html = changes.content.decode()
    assert "<del>Second paragraph about qubits.</del>" in html and "<ins>Second paragraph about annealing.</ins>" in html
    check_page(owner.get(f"/guidance/{slug}/"))
    # Someone else's guidance cannot be versioned by another owner, and readers cannot publish.
    assert acting_as("guidance_owner", "camden").get(f"/guidance/{slug}/new-version").status_code == 404
    assert acting_as("analyst", "camden").get("/guidance/new").status_code == 403


def test_a_bad_guidance_form_says_what_to_fix(acting_as):
    page = acting_as("guidance_owner", "hub").post("/guidance/new", {"title": "", "review-day": "31",
                                                                      "review-month": "2", "review-year": "2027"})
    facts = check_page(page)
    assert facts.error_summary and "Enter a real date" in page.content.decode()
    assert not GuidanceDocument.objects.exists()


def test_stale_guidance_is_flagged_to_its_owner_once(library, signed_in_as):
    stale = GuidanceDocument.objects.filter(review_on__lt=TODAY).count()
    assert stale > 0
    assert flag_stale_guidance(TODAY) == stale
    assert flag_stale_guidance(TODAY) == 0
    flags = Notification.objects.filter(kind="guidance_review_due")
    assert flags.count() == stale and {n.user.email for n in flags} == {"guidance_owner@hub.example"}
    page = signed_in_as(flags.first().user, "guidance_owner").get("/guidance/review")
    check_page(page)
    assert page.content.decode().count("Review due: ") == stale


def test_the_engine_is_the_database_s_own():
    assert engine_for_database().name in ("sqlite-fts5", "postgresql-fts")


@pytest.mark.postgres
def test_postgresql_answers_with_its_full_text_search(library):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL (the CI's PostgreSQL pass)")
    assert engine_for_database().name == "postgresql-fts"
    hits = search_guidance(GuidanceQuery(text="generative AI"), TODAY)
    assert hits[0].title == "Generative AI: safe use in council services"
    assert search_guidance(GuidanceQuery(text="ethic", topic="data ethics"), TODAY)


def test_matches_rank_in_tiers_title_and_topics_then_summary_then_body(library):
    """The tier rule both engines share (decision 0140): documents whose title and topics alone contain every
    word come first, then those whose summary completes them, then the rest, however often the later ones
    repeat the words."""
    first = GuidanceDocument.objects.order_by("id").first()
    assert first is not None

    def add(slug: str, title: str, topics: str, summary: str, body: str) -> None:
        GuidanceDocument.objects.create(
            slug=slug, title=title, topics=topics, summary=summary, body=body, owner=first.owner,
            organisation=first.organisation, review_on=date(2027, 1, 1), changed_at=first.changed_at)

    add("in-body", "Street furniture", "|highways|", "What the council owns on streets.",
        "Lantern safety. " * 40)
    add("in-summary", "Street lighting", "|highways|", "Lantern lantern lantern safety checks.", "Lantern. " * 40)
    add("in-title", "Lantern rules", "|highways|", "Rules for street furniture.", "Short.")
    add("in-topics", "Night-time streets", "|lanterns|", "How streets are lit.", "Short.")
    add("split", "Lantern maintenance", "|highways|", "Safety checks.", "Short.")

    slugs = [hit.slug for hit in search_guidance(GuidanceQuery(text="lantern"), TODAY)]
    assert set(slugs[:3]) == {"in-title", "in-topics", "split"}
    assert slugs[3:] == ["in-summary", "in-body"]  # the later tiers still fill the page
    assert [hit.slug for hit in search_guidance(GuidanceQuery(text="lantern", limit=2), TODAY)][0] in (
        "in-title", "in-topics", "split")
    # Every word must be in the tier's columns: "safety" is only in the summary of "split" (second tier).
    both = [hit.slug for hit in search_guidance(GuidanceQuery(text="lantern safety"), TODAY)]
    assert both[2:] == ["in-body"] and set(both[:2]) == {"in-summary", "split"}
    assert [hit.slug for hit in search_guidance(GuidanceQuery(text="lantern rul"), TODAY)] == ["in-title"]
