"""``boroughhub guidance`` and ``boroughhub network`` from the command line: plain output, errors that say
what to do, the demo data only outside production."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boroughhub.agreements import Notification
from boroughhub.network.models import GuidanceDocument
from boroughhub.network.store.demo import seed_guidance

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_search_prints_ranked_lines_and_says_when_nothing_matches(db):
    seed_guidance(__import__("datetime").date(2026, 12, 7), "!unusable")
    text = run("guidance", "search", "generative AI", "--today", "2026-12-07")
    assert text.splitlines()[0].startswith("1. Generative AI: safe use in council services")
    assert "/guidance/generative-ai-safe-use-in-council-services/" in text
    assert "Nothing matches" in run("guidance", "search", "zzzz", "--today", "2026-12-07")
    assert run("guidance", "search", "", "--json", "--today", "2026-12-07").startswith("[")


def test_bad_arguments_say_what_to_do(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("guidance", "search", "x", "--today", "7/12/2026")
    with pytest.raises(CommandError, match="1 or more"):
        run("guidance", "search", "x", "--limit", "0")


def test_flag_stale_and_the_demo_data_command(settings):
    assert "40 guidance documents" in run("network", "demo-data", "--today", "2026-12-07")
    assert GuidanceDocument.objects.count() == 40
    sent_by_the_demo = Notification.objects.filter(kind="guidance_review_due").count()
    assert sent_by_the_demo > 0
    assert run("guidance", "flag-stale", "--today", "2026-12-07").startswith("0 review reminders")
    # Years later every document is past review; those already reminded for that review date are not again.
    assert run("guidance", "flag-stale", "--today", "2030-01-01").startswith(f"{40 - sent_by_the_demo} review reminders")
    settings.ENV = "production"
    with pytest.raises(CommandError, match="for the demo"):
        run("network", "demo-data")
