"""The demo step: a Data Week of 30+ events, 200 apprentices across the boroughs, 40 guidance documents;
running it twice adds nothing."""

from datetime import date

import pytest

from boroughhub.network import GuidanceQuery, seed_network_demo
from boroughhub.network.models import Apprentice, Event, EventSeries, GuidanceDocument, Vacancy
from boroughhub.network.store.guidance_search import search_guidance
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


def test_the_demo_network(client):
    said = seed_network_demo(TODAY)
    assert "200 apprentices" in said and "40 guidance documents" in said
    week = EventSeries.objects.get(slug="london-data-week")
    assert Event.objects.filter(series=week).count() >= 30
    assert all(e.starts_at.date() > TODAY for e in Event.objects.filter(series=week))
    assert Apprentice.objects.count() == 200
    assert Apprentice.objects.values("organisation").distinct().count() >= 30
    assert GuidanceDocument.objects.count() == 40 and Vacancy.objects.filter(status="filled").exists()
    assert search_guidance(GuidanceQuery(text="generative AI"), TODAY)[0].title.startswith("Generative AI")
    assert seed_network_demo(TODAY).startswith("0 events, 0 apprentices, 0 guidance documents")
    listing = client.get("/events/")
    check_page(listing)
    feed = client.get("/events/series/london-data-week/series.ics").content.decode()
    public = Event.objects.filter(series=week, audience="public").count()
    assert public >= 15 and feed.count("BEGIN:VEVENT") == public  # members' and apprentices' events need a sign-in
