"""What changed between two versions, in sentences: real version pairs, every section, no database."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from boroughhub.agreements.registers import load_example_version_document
from boroughhub.agreements.what_changed import SECTIONS, describe_changes, grouped
from boroughhub.agreements.wording import (
    Names,
    art6_name,
    art9_name,
    duration_words,
    measure_name,
    names_from_registers,
    sch1_name,
)

NAMES = names_from_registers()
POINTER = re.compile(r"/content|(^|[\s(“])/[\w~]+")  # a JSON Pointer, not a web address


def pilot() -> dict[str, Any]:
    content: dict[str, Any] = load_example_version_document()["content"]
    return content


def sentences(before: dict[str, Any], after: dict[str, Any], names: Names = NAMES) -> list[str]:
    found = [c.sentence for c in describe_changes(before, after, names)]
    for text in found:
        assert not POINTER.search(text), f"a JSON pointer in {text!r}"
    return found


def permission(content: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(p for p in content["permissions"] if p["id"] == rule_id)


def dataset(content: dict[str, Any], dataset_id: str) -> dict[str, Any]:
    return next(d for d in content["datasets"] if d["dataset_id"] == dataset_id)


def test_the_demo_amendment_reads_as_the_threshold_it_raises():
    from boroughhub.agreements.store.demo import amendment_content

    before = pilot()
    after = amendment_content(SimpleNamespace(content=before))  # the demo's own version 2
    found = describe_changes(before, after, NAMES)
    assert [c.section for c in found] == ["About the agreement", "What each party may do"]
    assert found[1].sentence == ("Suppression threshold for Rough sleeping aggregate insights raised from 10 to 11 "
                                 "for all parties (permission P-INSIGHTS).")
    assert found[0].sentence.startswith("The summary now reads: “Four pilot boroughs")


def test_identical_contents_and_a_reordered_list_say_nothing():
    before = pilot()
    after = copy.deepcopy(before)
    assert describe_changes(before, after, NAMES) == []
    after["permissions"].reverse()  # permissions are matched by id, not by position
    after["datasets"].reverse()
    assert describe_changes(before, after, NAMES) == []


def test_a_real_pair_of_different_agreements_reads_section_by_section():
    """The pilot against the demo's quality-assurance agreement: many sections change at once."""
    from boroughhub.agreements.store.demo import quality_assurance_content

    names = Names(organisations={**NAMES.organisations, "hub": "The hub operator"}, datasets=NAMES.datasets,
                  purposes=NAMES.purposes)
    before, after = pilot(), quality_assurance_content()
    found = sentences(before, after, names)
    for expected in (
        "Title changed from “Pan-London rough sleeping insights data sharing agreement (pilot)” to "
        "“Quality assurance of rough sleeping insights by the hub operator”.",
        "The agreement is now a controller–processor agreement instead of a joint controller agreement.",
        "The hub operator joins as processor for London Borough of Camden, Greater London Authority, London Borough "
        "of Hillingdon, London Borough of Lambeth and Westminster City Council (accountable officer: Chief Executive).",
        "New permission P-QA-UNROUNDED: Data managers at The hub operator may view unrounded figures from "
        "Rough sleeping aggregate insights (field set “all”) for rough sleeping strategic insight.",
        "Prohibition X-NO-RECORD-EXPORT removed; it said all parties may not export CHAIN extract, H-CLIC extract, "
        "InForm extract and Linked person clusters.",
        "The hub operator's privacy notice added: https://www.example.org/privacy/hub.",
        "The legal text is now titled “Hub operator quality assurance schedule” "
        "(was “Pan-London rough sleeping insights DSA v1 (signature copy)”).",
    ):
        assert expected in found, expected
    # Removed rules are told in full, in the order the earlier version listed them.
    removed = [s.split()[1] for s in found if s.startswith("Permission ") and " removed; it said: " in s]
    assert removed == [p["id"] for p in before["permissions"]]
    sections = [section for section, _ in grouped(describe_changes(before, after, names))]
    assert sections == [s for s in dict.fromkeys(SECTIONS.values()) if s in sections]  # page order


def edit(change: Callable[[dict[str, Any]], None]) -> tuple[dict[str, Any], dict[str, Any]]:
    before = pilot()
    after = copy.deepcopy(before)
    change(after)
    return before, after


def _add_party(c: dict[str, Any]) -> None:
    c["parties"].append({"org_id": "met", "role": "recipient", "accountable_officer": "SIRO"})


def _retention_period(c: dict[str, Any]) -> None:
    c["retention"][0]["period"] = "P5Y"


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("party joins", _add_party, "Metropolitan Police Service joins as recipient (accountable officer: SIRO)."),
    ("party leaves", lambda c: c["parties"].pop(0), "London Borough of Camden is no longer a party."),
    ("party role", lambda c: c["parties"][4].update(role="joint_controller"),
     "Example accommodation provider A (placeholder) is now joint controller instead of controller."),
    ("purpose added", lambda c: c["purposes"].append({**c["purposes"][0], "code": "bhp:service-evaluation"}),
     "Purpose added: Service evaluation. “To measure the number"),
    ("purpose power", lambda c: c["purposes"][0]["statutory_functions"].append("ha1996-s213b"),
     "The purpose Rough sleeping strategic insight now also relies on Housing Act 1996 s213B, duty to refer."),
    ("art6 added", lambda c: c["lawful_basis"]["art6"].append({"code": "A6-1-c"}),
     "Lawful basis added: UK GDPR Article 6(1)(c): legal obligation."),
    ("art9 changed", lambda c: c["lawful_basis"]["art9"].__setitem__(
        0, {"condition": "A9-2-g", "dpa_sch1_para": "S1-P2-18"}),
     "Condition for special category data added: UK GDPR Article 9(2)(g): substantial public interest, under "
     "DPA 2018 Schedule 1 paragraph 18: safeguarding of children and of individuals at risk."),
    ("art10 removed", lambda c: c["lawful_basis"].update(art10=[]),
     "Condition for criminal offence data removed: DPA 2018 Schedule 1 paragraph 6: statutory and government "
     "purposes."),
    ("legal power", lambda c: c["lawful_basis"]["legal_powers"].remove("la2011-s1"),
     "Legal power removed: Localism Act 2011 s1, general power of competence."),
    ("data subjects age", lambda c: c["data_subjects"].update(min_age_years=16),
     "Minimum age of the people covered changed from 18 to 16."),
    ("children", lambda c: c["data_subjects"].update(children_included=True), "Children are now included."),
    ("dataset removed", lambda c: c["datasets"].pop(2), "Dataset removed: InForm extract."),
    ("supplier added", lambda c: dataset(c, "hclic")["suppliers"].append("met"),
     "H-CLIC extract is now also supplied by Metropolitan Police Service."),
    ("flow", lambda c: dataset(c, "hclic")["flow"].update(frequency="monthly"),
     "H-CLIC extract is now sent monthly instead of quarterly."),
    ("hub retention", lambda c: dataset(c, "chain")["hub_retention"].update(period="P36M"),
     "The hub now keeps CHAIN extract for 36 months instead of 24 months."),
    ("field added", lambda c: dataset(c, "hclic")["field_sets"]["analysis"].append("sexual_identification"),
     "Fields added to the field set “analysis” of H-CLIC extract: sexual_identification."),
    ("field flag", lambda c: dataset(c, "chain")["field_flags"]["criminal_offence"].append("history_prison"),
     "In CHAIN extract, now marked as criminal offence data: history_prison."),
    ("threshold lowered", lambda c: permission(c, "P-AGG-CHAIN").update(min_cell_size=5),
     "Suppression threshold for CHAIN extract lowered from 10 to 5 for Greater London Authority "
     "(permission P-AGG-CHAIN)."),
    ("assignee added", lambda c: permission(c, "P-QA-CLUSTERS")["assignees"].append("camden"),
     "London Borough of Camden may now view individual records of Linked person clusters as analysts "
     "(permission P-QA-CLUSTERS)."),
    ("action removed", lambda c: permission(c, "P-INSIGHTS")["actions"].remove("export"),
     "Analysts at all parties may no longer export Rough sleeping aggregate insights (permission P-INSIGHTS)."),
    ("field set", lambda c: permission(c, "P-LINK-HCLIC").update(field_set="analysis"),
     "Permission P-LINK-HCLIC on H-CLIC extract now covers the field set “analysis” instead of “link”."),
    ("permission window", lambda c: permission(c, "P-UP-CHAIN").update(valid_until="2027-03-31T23:00:00Z"),
     "Permission P-UP-CHAIN on CHAIN extract now ends at 1 April 2027, 00:00 BST."),
    ("prohibition action", lambda c: c["prohibitions"][0]["actions"].append("view_record"),
     "Prohibition X-NO-RECORD-EXPORT now also forbids viewing individual records."),
    ("retention", _retention_period,
     "All parties now keep aggregate insights exported to the party's own systems for 5 years instead of "
     "84 months."),
    ("onward", lambda c: c["onward_sharing"].update(record_level_allowed=True),
     "Parties may now share individual records onward."),
    ("expiry", lambda c: c["time"].update(expires_at="2029-03-31T23:00:00Z"),
     "The agreement now ends at 1 April 2029, 00:00 BST instead of 1 April 2028, 00:00 BST."),
    ("review", lambda c: c["time"].update(review_interval="P6M"),
     "The agreement is now reviewed every 6 months instead of every 12 months."),
    ("first review", lambda c: c["time"].update(first_review_due="2027-01-15"),
     "The first review is now due on 15 January 2027 instead of 1 March 2027."),
    ("measure added", lambda c: c["security_measures"].append({"code": "bhm:annual-penetration-test"}),
     "Security measure added: Annual penetration test."),
    ("measure removed", lambda c: c["security_measures"].pop(0), "Security measure removed: Encryption at rest."),
    ("sar mode", lambda c: c["transparency"].update(sar_mode="lead_coordinates"),
     "Subject access requests: the lead party coordinates the answer (was: each controller answers for the data "
     "it supplied)."),
    ("dpia", lambda c: c["dpia"].update(outcome="no_high_risk"),
     "The DPIA outcome is now no high risk found instead of high risk, mitigated."),
    ("audit sampling", lambda c: c["audit_requirements"]["sampling"].update(record_accesses_per_month=50),
     "Record accesses sampled for review each month changed from 20 to 50."),
    ("legal text", lambda c: c["legal_text"].update(sha256="ab" * 32),
     f"The legal text document itself has changed: its document hash is now {'ab' * 32} "
     "(was c20d30332980693beee30751ee9062e2b13664e65c982ac4777873b567778831)."),
]


@pytest.mark.parametrize(("change", "expected"), [(c, e) for _, c, e in CASES], ids=[n for n, _, _ in CASES])
def test_each_kind_of_change_has_its_sentence(change: Callable[[dict[str, Any]], None], expected: str):
    found = sentences(*edit(change))
    assert any(s.startswith(expected) for s in found), found


@pytest.mark.parametrize("change", [
    lambda c: c.update(new_schedule={"owner": "hub", "review_days": 30}),
    lambda c: permission(c, "P-INSIGHTS").update(note_for_auditors="checked quarterly"),
    lambda c: c["time"].update(grace_period="P7D"),
    lambda c: c["datasets"][0].update(extra=[{"a": 1}]),
], ids=["new top-level section", "unknown permission field", "unknown time field", "unknown dataset field"])
def test_fields_outside_the_schema_still_read_as_sentences(change: Callable[[dict[str, Any]], None]):
    found = sentences(*edit(change))
    assert len(found) == 1 and found[0].endswith(".")
    assert re.search(r"new schedule|note for auditors|grace period|extra", found[0], re.IGNORECASE), found


def test_names_for_codes():
    assert art6_name("A6-1-e") == "UK GDPR Article 6(1)(e): public task"
    assert art6_name("A6-1-ea", "crime") == "UK GDPR Article 6(1)(ea): recognised legitimate interest (crime)"
    assert art9_name("A9-2-h", "S1-P1-2") == ("UK GDPR Article 9(2)(h): health or social care, under "
                                              "DPA 2018 Schedule 1 paragraph 2: health or social care")
    assert sch1_name("S1-P2-10") == "DPA 2018 Schedule 1 paragraph 10: preventing or detecting unlawful acts"
    assert duration_words("P24M") == "24 months" and duration_words("P1Y6M") == "1 year and 6 months"
    assert duration_words("P1D") == "1 day" and duration_words("soon") == "soon"
    assert measure_name("dpv:MultiFactorAuthentication") == "Multi factor authentication"
    assert art6_name("A6-9-z") == "A6-9-z"  # an unknown code is shown as written, never dropped
