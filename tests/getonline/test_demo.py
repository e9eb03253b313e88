"""The demo's Get Online London: every borough has hubs, and a year at the published scale."""

from __future__ import annotations

from datetime import date
from typing import Any

from boroughhub.getonline import by_borough, seed_demo
from boroughhub.getonline.models import Device, Hub

TODAY = date(2026, 12, 7)


def test_the_demo_has_hubs_in_every_borough_and_a_year_at_scale(db: Any) -> None:
    from boroughhub.getonline import store

    assert "66 hubs in 33 boroughs" in seed_demo(TODAY)
    assert seed_demo(TODAY) == "already seeded"
    assert Hub.objects.filter(status="approved").values("borough").distinct().count() == 33
    start = date(2025, 12, 7)
    london = by_borough(store.given_between(start, TODAY), start, TODAY)["london"]
    assert london["devices"] == 3_450 and london["sims"] == 45_000 and london["learners"] == 10_000
    assert Device.objects.filter(state="collected", wipe_certificate="").exists()
