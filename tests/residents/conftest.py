"""The resident view's fixtures: the demo's people, its safeguarding agreement and residents, at a fixed day."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine

#: A fixed instant: every date the tests read follows it, never the calendar.
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
TODAY = date(2026, 12, 7)
PARTIES = ("gla", "lambeth", "westminster")


@pytest.fixture
def frozen() -> Iterator[Any]:
    from boroughhub.agreements import snapshot_cache

    snapshot_cache.clear()  # the registry differs from test to test (user ids are reused after a rollback)
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
    snapshot_cache.clear()


@pytest.fixture
def residents_demo(frozen: Any, make_user: Callable[..., Any]) -> dict[str, Any]:
    """IG leads and privacy officers of the parties, a frontline worker in each, the agreement and 40 residents."""
    for org in (*PARTIES, "camden"):
        for role in ("ig_lead", "privacy_officer", "frontline_worker", "uploader"):
            make_user(f"{role}@{org}.example", org, role, password=None)
    from boroughhub.residents import seed_demo_residents

    message = seed_demo_residents(today=TODAY, count=40)
    return {"message": message}


@pytest.fixture
def worker() -> Callable[[str], Any]:
    def make(org: str) -> Any:
        from boroughhub.organisations.models import User
        from boroughhub.residents.store.tiers import worker_from

        user = User.objects.get(email=f"frontline_worker@{org}.example")
        return worker_from(user, org, "frontline_worker", session_id="test")

    return make
