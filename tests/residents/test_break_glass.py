"""Break-glass: typed reason, time-limited, and an alert to every organisation whose data it shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from boroughhub.residents.store.breakglass import alert_text, use_break_glass
from boroughhub.residents.store.tiers import Refused, flags, search
from tests.residents.story import story_id

pytestmark = pytest.mark.django_db
REASON = "Police welfare check request: resident found unwell at a Westminster address"


def test_break_glass_opens_the_resident_for_four_hours_and_alerts_each_supplier(
        residents_demo: Any, worker: Callable[[str], Any], frozen: Any) -> None:
    from boroughhub.agreements import Notification
    from boroughhub.residents.models import BreakGlassAlert

    lambeth = worker("lambeth")
    assert search(lambeth, "Lindqvist", "Safeguarding concern") == []
    opened = use_break_glass(lambeth, "LINDQVIST", date(1949, 2, 3), REASON, "Safeguarding concern", "Lambeth")
    assert opened == [story_id("Peter")]
    found = search(lambeth, "Lindqvist", "Safeguarding concern")
    assert found[0]["why"] == "break-glass" and found[0]["break_glass_until"]
    assert flags(lambeth, story_id("Peter"), "Safeguarding concern")["resident"] == story_id("Peter")
    assert sorted(BreakGlassAlert.objects.values_list("organisation_id", flat=True)) == ["lambeth", "westminster"]
    notices = Notification.objects.filter(kind="break_glass")
    assert sorted(n.organisation_id for n in notices) == ["lambeth", "westminster"]
    frozen.shift(timedelta(hours=4, minutes=1))
    with pytest.raises(Refused):
        flags(lambeth, story_id("Peter"), "Safeguarding concern")


def test_the_alert_carries_no_personal_data(residents_demo: Any, worker: Callable[[str], Any]) -> None:
    from boroughhub.agreements import Notification

    use_break_glass(worker("lambeth"), "Lindqvist", date(1949, 2, 3), REASON, "Safeguarding concern", "Lambeth")
    for notice in Notification.objects.filter(kind="break_glass"):
        text = f"{notice.subject} {notice.body} {notice.link}"
        for personal in ("Lindqvist", "Peter", "1949", story_id("Peter"), "HCWES", "frontline_worker@", "Demo frontline", REASON[:20]):
            assert personal not in text
    assert alert_text("Lambeth")[1].startswith("A frontline worker of Lambeth")


def test_a_short_reason_or_an_unknown_resident_opens_nothing(residents_demo: Any, worker: Callable[[str], Any]) -> None:
    from boroughhub.residents.models import BreakGlass

    lambeth = worker("lambeth")
    with pytest.raises(Refused, match="at least 20 characters"):
        use_break_glass(lambeth, "Lindqvist", date(1949, 2, 3), "need it", "Safeguarding concern", "Lambeth")
    with pytest.raises(Refused, match="Nothing was opened"):
        use_break_glass(lambeth, "Lindqvist", date(1950, 2, 3), REASON, "Safeguarding concern", "Lambeth")
    assert not BreakGlass.objects.exists()


def test_break_glass_never_opens_a_child(residents_demo: Any, worker: Callable[[str], Any]) -> None:
    with pytest.raises(Refused, match="Nothing was opened"):
        use_break_glass(worker("westminster"), "Okafor", date(2010, 9, 1), REASON, "Safeguarding concern", "Westminster")
