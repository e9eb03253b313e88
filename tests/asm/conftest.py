from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from boroughhub.asm.loopback import FakeCouncilZone
from boroughhub.asm.scope import Authorisation, Scope, parse_scope_entry

#: The instant the tests judge certificates at; the zone's certificates are dated from it.
NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def zone() -> Iterator[FakeCouncilZone]:
    with FakeCouncilZone("barnet.test", NOW) as running:
        yield running


def barnet_scope(authorised: bool = True) -> Scope:
    return Scope("barnet", (parse_scope_entry("barnet.test"), parse_scope_entry("127.0.0.1/32")), (),
                 Authorisation("Jo Smith, CIO", date(2026, 12, 1), "ICT-2026-117") if authorised else None)
