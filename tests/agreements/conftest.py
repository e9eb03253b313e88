"""Fixtures for the Django side of agreements: demo people and the demo agreements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

PILOT_ORGS = ("camden", "gla", "hillingdon", "lambeth", "westminster", "provider-a", "provider-b", "hub")


@pytest.fixture
def demo_people(db: Any, make_user: Callable[..., Any]) -> Callable[[str, str], Any]:
    """Every pilot organisation's IG lead, analyst and privacy officer as ``ROLE@ORG.example``;
    the hub's data manager and hub admin. Returns ``person(role, org)``."""
    for org in PILOT_ORGS:
        for role in ("ig_lead", "analyst", "privacy_officer", "uploader"):
            make_user(f"{role}@{org}.example", org, role, password=None)
    make_user("data_manager@hub.example", "hub", "data_manager", password=None)
    make_user("hub_admin@hub.example", "hub", "hub_admin", password=None)

    def person(role: str, org: str) -> Any:
        from boroughhub.organisations.models import User

        return User.objects.get(email=f"{role}@{org}.example")

    return person


@pytest.fixture
def demo_agreements(demo_people: Callable[[str, str], Any]) -> dict[str, Any]:
    from boroughhub.agreements.models import AgreementVersion
    from boroughhub.agreements.store.demo import load_demo_agreements

    load_demo_agreements()
    return {f"{v.agreement_id}/{v.version}": v for v in AgreementVersion.objects.all()}


@pytest.fixture
def acting() -> Callable[[str, str], Any]:
    """``acting("ig_lead", "camden")``: the Acting object a session would carry."""
    from boroughhub.agreements.store.demo import demo_actor

    return lambda role, org: demo_actor(org, role)


@pytest.fixture
def pl_rsi_v1(demo_people: Callable[[str, str], Any]) -> Any:
    """Only ``dsa-pl-rsi`` version 1 (Appendix A, its term moved to follow today as the demo's is),
    signed by every party and active."""
    from boroughhub.agreements.store.demo import demo_actor, demo_document, sign_by_everyone
    from boroughhub.agreements.store.lifecycle import create_agreement

    document = demo_document()
    version = create_agreement(demo_actor("camden"), "dsa-pl-rsi", document["content"])
    return sign_by_everyone(version)
