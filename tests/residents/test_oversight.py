"""The privacy officer's spot checks and a resident's access history, read from the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from boroughhub.residents.store.breakglass import use_break_glass
from boroughhub.residents.store.oversight import SPOT_CHECKS_PER_WEEK, access_history, spot_check_sample
from boroughhub.residents.store.tiers import flags, search
from tests.residents.conftest import TODAY
from tests.residents.story import story_id

pytestmark = pytest.mark.django_db


def test_the_weekly_sample_is_random_stable_and_leaves_break_glass_to_its_alerts(
        residents_demo: Any, worker: Callable[[str], Any]) -> None:
    lambeth = worker("lambeth")
    for n in range(8):
        search(lambeth, "Okafor", f"Care Act review {n}")
        flags(lambeth, story_id("Amara"), f"Care Act review {n}")
    use_break_glass(lambeth, "Lindqvist", date(1949, 2, 3), "Police welfare check: found unwell", "Safeguarding", "Lambeth")
    sample = spot_check_sample("lambeth", TODAY)
    assert len(sample) == SPOT_CHECKS_PER_WEEK
    assert sample == spot_check_sample("lambeth", TODAY + timedelta(days=1))  # same week, same sample
    assert all(line.what != "Used break-glass" for line in sample)
    assert all(line.staff == "frontline_worker@lambeth.example" for line in sample)
    assert spot_check_sample("westminster", TODAY) == []
    assert spot_check_sample("lambeth", TODAY + timedelta(days=7)) == []


def test_history_lists_each_tier_oldest_first_and_names_staff_only_when_asked(
        residents_demo: Any, worker: Callable[[str], Any]) -> None:
    lambeth = worker("lambeth")
    search(lambeth, "Okafor", "Care Act review")
    flags(lambeth, story_id("Amara"), "Care Act review")
    hidden = access_history(story_id("Amara"), show_staff=False)
    assert [(line.organisation, line.what, line.purpose, line.staff) for line in hidden] == [
        ("lambeth", "Searched and saw results", "Care Act review", None),
        ("lambeth", "Viewed which services are involved", "Care Act review", None)]
    shown = access_history(story_id("Amara"), show_staff=True)
    assert {line.staff for line in shown} == {"frontline_worker@lambeth.example"}
    assert access_history(story_id("Peter"), show_staff=False) == []
