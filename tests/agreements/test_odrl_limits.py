"""The ODRL export's withdrawals and cohort rules (amendment A.6 and B.5 of docs/agreements-accession.md):
a party that withdrew shows when, and none of its rules holds from then on; uploads name their cohort."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from boroughhub.agreements.odrl import export_odrl
from boroughhub.agreements.registers import load_dataset_register, load_example_version_document
from boroughhub.agreements.vocabulary import parse_instant

from .test_policy_accession import SNAPSHOT, accession_documents

ORGS = dict(SNAPSHOT.organisations)
DATASETS = {d.id: d for d in load_dataset_register()}
CROYDON_LEAVES = parse_instant("2026-08-31T23:00:00Z")
WESTMINSTER_LEAVES = parse_instant("2027-01-31T00:00:00Z")


def export(document: dict[str, Any], **options: Any) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    graph = export_odrl(document, ORGS, DATASETS, **options)["@graph"]
    return graph[0], {n["uid"]: n for n in graph[1:]}


def with_named_withdrawal() -> dict[str, Any]:
    document = accession_documents()[0]  # croydon joined 6 May 2026 and withdrew from 31 August 2026
    document["withdrawals"].append({"party": "westminster", "notice_given_at": "2026-10-31T00:00:00Z",
                                    "effective_at": WESTMINSTER_LEAVES.isoformat().replace("+00:00", "Z"),
                                    "by_user_id": "u-wm-ig"})
    return document


def holds_at(rule: dict[str, Any], nodes: dict[str, dict[str, Any]], t: datetime) -> bool:
    """Whether every dateTime constraint of ``rule`` is met at ``t`` (the others are not about time)."""
    for ref in rule["constraint"]:
        constraint = nodes[ref] if isinstance(ref, str) else ref
        if constraint["leftOperand"] != "dateTime":
            continue
        bound = parse_instant(constraint["rightOperand"]["@value"])
        if (constraint["operator"] == "gteq" and not t >= bound) or (constraint["operator"] == "lt" and not t < bound):
            return False
    return True


def rules_of(policy: dict[str, Any], org: str) -> list[dict[str, Any]]:
    return [r for r in policy["permission"] if r["assignee"] == f"bho:{org}"]


def test_a_withdrawn_party_shows_when_it_left_and_no_rule_of_it_holds_from_then() -> None:
    policy, nodes = export(with_named_withdrawal())
    croydon = nodes["bho:croydon"]
    assert croydon["bh:joinedAt"]["@value"] == "2026-05-06T10:00:00Z"
    assert croydon["bh:withdrawnAt"] == {"@value": "2026-08-31T23:00:00Z", "@type": "xsd:dateTime"}
    assert croydon["bh:withdrawalNoticeGivenAt"]["@value"] == "2026-06-01T09:00:00Z"
    assert nodes["#c/withdrawn-croydon"] == {
        "uid": "#c/withdrawn-croydon", "@type": "Constraint", "leftOperand": "dateTime", "operator": "lt",
        "rightOperand": {"@value": "2026-08-31T23:00:00Z", "@type": "xsd:dateTime"}}
    for org, leaves in (("croydon", CROYDON_LEAVES), ("westminster", WESTMINSTER_LEAVES)):
        rules = rules_of(policy, org)
        assert rules and all(f"#c/withdrawn-{org}" in r["constraint"] for r in rules)
        assert not any(holds_at(r, nodes, leaves) for r in rules), org  # no current permission once it left
        assert all(holds_at(r, nodes, leaves - timedelta(seconds=1)) for r in rules), org  # all until then
    assert nodes["bho:westminster"]["bh:withdrawnAt"]["@value"] == "2027-01-31T00:00:00Z"
    assert "bh:joinedAt" not in nodes["bho:westminster"]


def test_parties_that_did_not_withdraw_are_unchanged() -> None:
    policy, nodes = export(with_named_withdrawal())
    for org in ("camden", "southwark", "gla"):
        assert "bh:withdrawnAt" not in nodes[f"bho:{org}"]
        assert not any(ref.startswith("#c/withdrawn-") for r in rules_of(policy, org) for ref in r["constraint"])
    later = datetime(2027, 6, 1, tzinfo=UTC)
    assert all(holds_at(r, nodes, later) for r in rules_of(policy, "camden"))


def test_the_inline_form_carries_the_withdrawal_bound_in_every_rule_of_the_party() -> None:
    policy, _ = export(with_named_withdrawal(), inline_constraints=True)
    for rule in rules_of(policy, "croydon"):
        assert {"leftOperand": "dateTime", "operator": "lt",
                "rightOperand": {"@value": "2026-08-31T23:00:00Z", "@type": "xsd:dateTime"}} in rule["constraint"]


def test_a_version_without_withdrawals_or_cohort_rules_exports_as_before() -> None:
    policy, nodes = export(load_example_version_document())
    assert not [uid for uid in nodes if uid.startswith(("#c/withdrawn-", "#c/cohort-"))]
    assert not [n for n in nodes.values() if "bh:withdrawnAt" in n]


def test_upload_rules_name_the_cohort_their_records_must_be_in() -> None:
    document = load_example_version_document()
    document["content"]["data_subjects"]["cohort_rules"] = [
        {"dataset": "hclic", "rule": "owed_prevention_or_relief_duty"},
        {"dataset": "hclic", "rule": "main_applicants_only"},
        {"dataset": "chain", "rule": "seen_bedded_down"},
    ]
    policy, nodes = export(document)
    assert nodes["#c/cohort-hclic"]["leftOperand"] == "bh:recordCohort"
    assert nodes["#c/cohort-hclic"]["operator"] == "isAllOf"
    assert nodes["#c/cohort-hclic"]["rightOperand"] == [{"@id": "bh:cohort/main_applicants_only"},
                                                        {"@id": "bh:cohort/owed_prevention_or_relief_duty"}]
    for rule in policy["permission"]:
        dataset = rule["target"].split("/")[1]
        expected = rule["action"] == "bh:upload" and dataset in ("hclic", "chain")
        assert (f"#c/cohort-{dataset}" in rule["constraint"]) is expected, rule["uid"]
    assert "#c/cohort-inform" not in nodes  # InForm has no cohort rule
