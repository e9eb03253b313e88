"""The accession clause in plain English: the version page's profiles and what a signatory is told changed."""

from __future__ import annotations

import copy

from boroughhub.agreements.accession_words import describe_joined, describe_profiles
from boroughhub.agreements.registers import load_example_accession_clause, load_example_version_document
from boroughhub.agreements.what_changed import describe_changes
from boroughhub.agreements.wording import names_from_registers

NAMES = names_from_registers()


def _content() -> dict:
    content = load_example_version_document()["content"]
    content["accession"] = load_example_accession_clause()
    return content


def test_profiles_are_described_by_name_never_by_code() -> None:
    borough, provider = describe_profiles(_content(), NAMES)
    assert (borough["title"], borough["open_to"], borough["role"]) == ("Borough", "London local authorities",
                                                                      "Controller")
    assert borough["supplies"] == ["H-CLIC extract"]
    assert borough["may"][0] == ("Its uploaders may upload H-CLIC extract, for Rough sleeping strategic insight "
                                 "(permission P-UP-HCLIC).")
    assert provider["open_to"] == "hostel and outreach providers"


def test_who_joined_and_since_when_in_london_time() -> None:
    rows = describe_joined([
        {"party": "camden", "profile": "borough", "status": "joined", "countersigned_at": "2026-07-01T09:00:00Z"},
        {"party": "lambeth", "profile": "borough", "status": "requested", "countersigned_at": None},
    ], _content(), NAMES)
    assert rows == [{"name": "London Borough of Camden", "profile": "Borough", "since": "1 July 2026, 10:00 BST",
                     "since_utc": "2026-07-01T09:00:00Z", "position": ""}]


def test_a_signatory_is_told_who_may_now_join_and_who_no_longer_may() -> None:
    before = load_example_version_document()["content"]
    after = _content()
    added = [c.sentence for c in describe_changes(before, after, NAMES) if c.section == "Who else may join"]
    assert added[0].startswith("London local authorities may join as “Borough”, as controller, supplying H-CLIC")
    assert any(s.startswith("The conditions for joining now read:") for s in added)
    narrower = copy.deepcopy(after)
    narrower["accession"]["profiles"].pop()
    assert [c.sentence for c in describe_changes(after, narrower, NAMES)] == [
        "Nobody may join as “Hostel provider” any more."]
    assert [c.sentence for c in describe_changes(after, before, NAMES)] == [
        "Nobody may join this version by accession any more."]
