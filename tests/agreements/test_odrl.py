"""The ODRL export (spec §5.2-§5.3) against Appendix B, and the JSON export (spec §5.1)."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from boroughhub.agreements.json_export import export_content_json, export_version_json
from boroughhub.agreements.odrl import export_odrl
from boroughhub.agreements.registers import (
    load_dataset_register,
    load_example_organisations,
    load_example_version_document,
    read_data_file,
)

ORGS = {o.id: o for o in load_example_organisations()}
DATASETS = {d.id: d for d in load_dataset_register()}
APPENDIX_B: dict[str, Any] = read_data_file("example-dsa-pl-rsi-v1.odrl.jsonld")


def _export(document: dict[str, Any] | None = None, **options: Any) -> dict[str, Any]:
    return export_odrl(document or load_example_version_document(), ORGS, DATASETS, **options)


def _policy(export: dict[str, Any]) -> dict[str, Any]:
    policies = [n for n in export["@graph"] if n.get("@type") == "Agreement"]
    assert len(policies) == 1
    return policies[0]


def test_export_of_appendix_a_equals_appendix_b() -> None:
    assert _export() == APPENDIX_B


def test_policy_identity() -> None:
    policy = _policy(_export())
    assert policy["uid"] == "https://w3id.org/boroughhub/agreement/dsa-pl-rsi/v1"
    assert policy["profile"] == "https://w3id.org/boroughhub/odrl-profile/1.0"
    assert policy["conflict"] == "prohibit"
    assert policy["dct:identifier"] == load_example_version_document()["content_hash"]


def test_conformance_properties_of_section_5_2() -> None:
    export = _export()
    policy = _policy(export)
    content = load_example_version_document()["content"]
    expected = sum(len(p["assignees"]) * len(p["actions"]) for p in content["permissions"])
    assert len(policy["permission"]) == expected == 28
    assert len(policy["prohibition"]) == 2
    for rule in policy["permission"] + policy["prohibition"]:
        for key in ("assigner", "assignee", "action", "target"):
            assert isinstance(rule[key], str), (rule["uid"], key)
    nodes = {n["uid"]: n for n in export["@graph"]}
    for rule in policy["permission"]:
        for ref in rule["constraint"]:
            constraint = nodes[ref]
            assert {"leftOperand", "operator", "rightOperand"} <= constraint.keys()
            if constraint["leftOperand"] == "dateTime":
                assert constraint["rightOperand"]["@type"] == "xsd:dateTime"
        assert rule["target"] in nodes  # every target is declared


def test_inline_constraints_form() -> None:
    policy = _policy(_export(inline_constraints=True))
    rule = next(r for r in policy["permission"] if r["uid"] == "#P-INSIGHTS/camden/export")
    assert rule == {
        "uid": "#P-INSIGHTS/camden/export",
        "target": "#fs/metric_values/all",
        "assigner": "#controllers/metric_values",
        "assignee": "bho:camden",
        "action": "bh:export",
        "constraint": [
            {"leftOperand": "purpose", "operator": "isAnyOf",
             "rightOperand": [{"@id": "bhp:rough-sleeping-strategic-insight"}]},
            {"leftOperand": "dateTime", "operator": "gteq",
             "rightOperand": {"@value": "2026-03-31T23:00:00Z", "@type": "xsd:dateTime"}},
            {"leftOperand": "dateTime", "operator": "lt",
             "rightOperand": {"@value": "2028-03-31T23:00:00Z", "@type": "xsd:dateTime"}},
            {"leftOperand": "bh:userRole", "operator": "isAnyOf", "rightOperand": [{"@id": "bh:analyst"}]},
            {"leftOperand": "bh:smallestCellCount", "operator": "gteq",
             "rightOperand": {"@value": 10, "@type": "xsd:integer"}},
        ],
    }
    assert not [n for n in _export(inline_constraints=True)["@graph"] if n.get("@type") == "Constraint"]


def test_permission_window_suppliers_and_purpose_restricted_prohibition() -> None:
    doc = load_example_version_document()
    content = doc["content"]
    link = next(p for p in content["permissions"] if p["id"] == "P-LINK-HCLIC")
    link.update(valid_from="2026-06-01T00:00:00Z", suppliers=["camden", "lambeth"])
    content["prohibitions"][0]["purposes"] = ["bhp:rough-sleeping-strategic-insight"]
    content["prohibitions"].append({"id": "X-NO-LINK", "assignees": ["camden"], "datasets": ["*"],
                                    "actions": ["link"], "reason": "No linking by Camden."})
    export = _export(doc)
    policy = _policy(export)
    rule = next(r for r in policy["permission"] if r["uid"] == "#P-LINK-HCLIC/gla/link")
    assert rule["assigner"] == "#suppliers/hclic/P-LINK-HCLIC"
    assert "#c/from-P-LINK-HCLIC" in rule["constraint"] and "#c/until" in rule["constraint"]
    nodes = {n["uid"]: n for n in export["@graph"]}
    assert nodes["#c/from-P-LINK-HCLIC"]["rightOperand"]["@value"] == "2026-06-01T00:00:00Z"
    prohibitions = {r["uid"]: r for r in policy["prohibition"]}
    assert prohibitions["#X-NO-RECORD-EXPORT/export"]["constraint"] == ["#c/purpose-1"]
    assert prohibitions["#X-NO-LINK/camden/link"]["assignee"] == "bho:camden"
    assert nodes["bhd:metric_values"]["partOf"] == ["#x/X-NO-LINK"]


def test_version_json_is_the_document() -> None:
    doc = load_example_version_document()
    assert json.loads(export_version_json(doc)) == doc


def test_content_json_hashes_to_the_content_hash() -> None:
    doc = load_example_version_document()
    body = export_content_json(doc)
    assert "sha256:" + hashlib.sha256(body).hexdigest() == doc["content_hash"]
    assert json.loads(body) == doc["content"]


def test_export_does_not_change_the_document() -> None:
    doc = load_example_version_document()
    before = copy.deepcopy(doc)
    _export(doc)
    assert doc == before
