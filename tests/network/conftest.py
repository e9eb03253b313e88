"""The network room's clock is set for every test here: nothing depends on today's date."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from boroughhub.network import network_clock_set_to

#: Monday 7 December 2026, 10:00 London time (GMT).
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def network_clock() -> Iterator[datetime]:
    with network_clock_set_to(NOW):
        yield NOW


@pytest.fixture
def acting_as(client, client_acting_as):
    """``client_acting_as`` that may be called again for the same person (it signs them back in)."""
    from boroughhub.organisations.acting import SESSION_KEY
    from boroughhub.organisations.models import RoleGrant

    def sign_in(role: str, org_id: str):
        grant = RoleGrant.objects.filter(user__email=f"{role}@{org_id}.test", organisation_id=org_id, role=role).first()
        if grant is None:
            return client_acting_as(role, org_id)
        client.force_login(grant.user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[SESSION_KEY] = grant.pk
        session.save()
        return client

    return sign_in


@pytest.fixture
def signed_in_as(client):
    """The test client signed in as an existing user (the demo's), acting in one of their roles."""
    from boroughhub.organisations.acting import SESSION_KEY

    def sign_in(user, role: str):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[SESSION_KEY] = user.role_grants.get(role=role).pk
        session.save()
        return client

    return sign_in
