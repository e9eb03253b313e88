"""``boroughhub residents search`` answers as the search page does, decided and audited the same way."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.residents.story import story_id

pytestmark = pytest.mark.django_db


def run(*args: str) -> Any:
    out = StringIO()
    call_command("residents", "search", *args, stdout=out)
    return out.getvalue()


def test_json_lists_the_residents_the_worker_may_open(residents_demo: Any) -> None:
    printed = run("--user", "frontline_worker@lambeth.example", "--surname", "Okafor", "--dob", "1961-06-14",
                  "--purpose", "Care Act review", "--json")
    answer = json.loads(printed)
    assert answer == {"results": [{"resident": story_id("Amara"), "name": "OKAFOR, Amara", "date_of_birth": "1961-06-14",
                                   "why": "open case of your team", "break_glass_until": None}],
                      "break_glass_offered": False}
    from boroughhub.audit import AuditEntry

    decision = AuditEntry.objects.filter(event_type="decision", dataset="involvement").get()
    assert decision.outcome == "permit" and decision.justification == "search: Care Act review"


def test_no_relationship_is_an_error_offering_only_break_glass(residents_demo: Any) -> None:
    out = StringIO()
    with pytest.raises(CommandError, match="break-glass"):
        call_command("residents", "search", "--user", "frontline_worker@lambeth.example", "--surname", "Lindqvist",
                     "--purpose", "Care Act review", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"results": [], "break_glass_offered": True}


@pytest.mark.parametrize(("args", "message"), [
    (("--user", "nobody@lambeth.example", "--surname", "Okafor"), "No active user"),
    (("--user", "frontline_worker@lambeth.example", "--surname", "Okafor", "--dob", "14/06/1961"), "YYYY-MM-DD"),
    (("--user", "privacy_officer@lambeth.example", "--surname", "Okafor"), "none of these roles"),
    (("--user", "frontline_worker@camden.example", "--surname", "Okafor"), "no relevant agreement"),
])
def test_bad_requests_say_what_to_do(residents_demo: Any, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args, "--purpose", "Care Act review")
