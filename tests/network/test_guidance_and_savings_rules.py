"""Search questions, what changed between versions, staleness, and the saving of a placement: no database."""

from datetime import date
from decimal import Decimal

import pytest

from boroughhub.network.guidance.search import (
    GuidanceQuery,
    fts5_match,
    stored_topics,
    topics_of,
    tsquery_text,
)
from boroughhub.network.guidance.versions import LineChange, changes_between, is_stale
from boroughhub.network.recruitment.savings import (
    PlacementRow,
    SavingAssumptions,
    days_to_fill,
    placement_saving,
    placements_csv,
    total_saving,
)


def test_a_query_is_words_never_engine_syntax():
    query = GuidanceQuery(text='generative AI" OR title:* (NEAR) \'x')
    assert query.words() == ["generative", "ai", "or", "title", "near", "x"]
    assert fts5_match(["generative", "ai"]) == '"generative" "ai"*'
    assert tsquery_text(["generative", "ai"]) == "generative & ai:*"
    assert fts5_match([]) == "" and tsquery_text([]) == ""


def test_topics_are_stored_for_an_exact_filter():
    stored = stored_topics(["Generative  AI", "data ethics", "data ethics", " "])
    assert stored == "|data ethics|generative ai|"
    assert topics_of(stored) == ("data ethics", "generative ai")


def test_what_changed_lists_added_and_removed_lines_with_context():
    older = "Intro\nKeep this\nOld rule\nEnd"
    newer = "Intro\nKeep this\nNew rule\nAnother new line\nEnd"
    changes = changes_between(older, newer)
    kinds = [(line.change, line.text) for line in changes.lines]
    assert (LineChange.REMOVED, "Old rule") in kinds and (LineChange.ADDED, "New rule") in kinds
    assert (changes.added, changes.removed) == (2, 1)
    assert changes.sentence() == "2 lines added, 1 line removed."
    assert changes_between("same", "same").sentence() == "The text did not change."


def test_stale_is_strictly_past_the_review_date():
    assert is_stale(date(2026, 12, 6), date(2026, 12, 7))
    assert not is_stale(date(2026, 12, 7), date(2026, 12, 7))


def test_the_saving_of_a_placement_and_its_assumptions():
    assumptions = SavingAssumptions(Decimal("38000"), Decimal("0.20"), Decimal("1500"), "Framework price list")
    assert placement_saving(assumptions) == Decimal("6100")
    assert assumptions.problems() == []
    bad = SavingAssumptions(Decimal("0"), Decimal("1.5"), Decimal("-1"), "")
    assert len(bad.problems()) == 4
    row = PlacementRow("V0001", "Camden", "Data analyst", "PO3", date(2026, 9, 1), date(2026, 10, 11),
                       "apprentice network", assumptions)
    assert row.days_to_fill == 40 and total_saving([row, row]) == Decimal("12200")
    text = placements_csv([row]).decode("utf-8-sig")
    assert "V0001,Camden,Data analyst,PO3,2026-09-01,2026-10-11,40,apprentice network,38000.0,20.0,1500.0,6100.0" in text
    with pytest.raises(ValueError):
        days_to_fill(date(2026, 9, 2), date(2026, 9, 1))
