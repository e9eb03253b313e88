"""Test-wide set-up: the ``test`` profile, a throw-away data directory, and the page checker."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("BOROUGHHUB_ENV", "test")
os.environ.setdefault("BOROUGHHUB_DATA_DIR", tempfile.mkdtemp(prefix="boroughhub-test-"))

from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """``make_user("analyst@camden.example", "camden", "analyst")``: a user holding that grant."""
    from boroughhub.organisations.models import Organisation, RoleGrant, User

    def make(email: str, org_id: str | None = None, role: str | None = None, password: str = "a-long-test-password") -> Any:
        user = User.objects.filter(email=email).first() or User.objects.create_user(email, password)
        if org_id and role:
            RoleGrant.objects.create(user=user, organisation=Organisation.objects.get(pk=org_id), role=role)
        return user

    return make


@pytest.fixture
def client_acting_as(client: Any, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """``client_acting_as("analyst", "camden")``: the test client signed in, acting as that role."""
    from boroughhub.organisations.acting import SESSION_KEY

    def sign_in(role: str, org_id: str, email: str | None = None) -> Any:
        user = make_user(email or f"{role}@{org_id}.test", org_id, role)
        grant = user.role_grants.get(organisation_id=org_id, role=role)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[SESSION_KEY] = grant.pk
        session.save()
        return client

    return sign_in


DATABASE_FIXTURES = {"db", "transactional_db", "client", "admin_client", "live_server", "django_db_setup"}


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """With BOROUGHHUB_DATABASE_TESTS_ONLY=1 (CI's PostgreSQL pass) keep only tests that use the database."""
    if os.environ.get("BOROUGHHUB_DATABASE_TESTS_ONLY") != "1":
        return
    keep, drop = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        (keep if uses_db else drop).append(item)
    items[:] = keep
    config.hook.pytest_deselected(items=drop)
