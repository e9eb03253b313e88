"""A Lewisham hub, approved, with one registered resident: what the stock and CLI tests start from."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 16, 10, 30, tzinfo=LONDON)
LEWISHAM = "E09000023"


@pytest.fixture
def hub(db: Any) -> Any:
    from boroughhub.getonline import store

    applied = store.apply_for_hub({
        "name": "Deptford Digital Hub", "address": "1 Deptford High Street, London", "postcode": "SE8 4AA",
        "borough": LEWISHAM, "opening_times": "Monday to Friday, 10am to 4pm", "offers_devices": True,
        "offers_data": True, "offers_skills": True, "contact_email": "hello@deptford-hub.example",
    }, NOW)
    return store.decide_hub(applied, True, "", None, NOW)


@pytest.fixture
def person(hub: Any) -> Any:
    from boroughhub.getonline import store

    return store.register_person(hub, {
        "reference": "DDH-0001", "borough": LEWISHAM, "age_band": "65+", "eligibility": ["low_income"],
        "consent_given_on": date(2026, 11, 16), "retain_until": date(2029, 11, 16)}, None, NOW)
