"""Validation of agreement version documents (spec §7.1) and the content hash (spec §2.3)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from boroughhub.agreements.hashing import canonical_json, content_hash, normalise_content
from boroughhub.agreements.registers import load_example_version_document
from boroughhub.agreements.schema import (
    ValidationContext,
    validate_version_document,
    validate_version_text,
)
from boroughhub.agreements.snapshot import Organisation

APPENDIX_A_HASH = "sha256:d72a1f506024a3ab0a941bf73416858ddd836895b3a278e4ea1f26c14e4e64ef"
CONTEXT = ValidationContext.example()
Doc = dict[str, Any]


def _perm(doc: Doc, pid: str) -> dict[str, Any]:
    return next(p for p in doc["content"]["permissions"] if p["id"] == pid)


def _dataset(doc: Doc, dataset_id: str) -> dict[str, Any]:
    return next(d for d in doc["content"]["datasets"] if d["dataset_id"] == dataset_id)


# --------------------------------------------------------------------------- content hash


def test_appendix_a_content_hashes_to_the_spec_test_vector() -> None:
    assert content_hash(load_example_version_document()["content"]) == APPENDIX_A_HASH


def test_appendix_a_is_already_normalised() -> None:
    content = load_example_version_document()["content"]
    assert content_hash(normalise_content(content)) == APPENDIX_A_HASH


def test_any_edit_changes_the_hash() -> None:
    content = load_example_version_document()["content"]
    content["permissions"][0]["purposes"].append("bhp:service-evaluation")
    assert content_hash(content) != APPENDIX_A_HASH


def test_canonical_json_sorts_keys_by_utf16_and_does_not_escape_non_ascii() -> None:
    assert canonical_json({"b": 1, "a": [True, None, "é"], "\U0001f600": 0, "\uff61": 1}) == (
        '{"a":[true,null,"é"],"b":1,"\U0001f600":0,"\uff61":1}'.encode()
    )
    with pytest.raises(ValueError):
        canonical_json({"x": 1.5})


def test_normalisation_sorts_set_valued_arrays_only() -> None:
    content = {"permissions": [{"assignees": ["b", "a"], "actions": ["view_aggregate", "export"]}],
               "datasets": [{"field_sets": {"s": ["z", "y"]}}],
               "purposes": [{"code": "b"}, {"code": "a"}],
               "security_measures": [{"code": "z"}, {"code": "a"}],
               "title": "Cafe\u0301"}
    normalised = normalise_content(content)
    assert normalised["permissions"][0] == {"assignees": ["a", "b"], "actions": ["export", "view_aggregate"]}
    assert normalised["datasets"][0]["field_sets"]["s"] == ["y", "z"]
    assert normalised["purposes"] == [{"code": "b"}, {"code": "a"}]
    assert normalised["title"] == "Caf\u00e9"


# --------------------------------------------------------------------------- the valid example


def test_appendix_a_is_valid_with_no_warnings() -> None:
    report = validate_version_document(load_example_version_document(), CONTEXT, for_submission=True)
    assert report.errors == () and report.warnings == ()
    assert report.ok
    assert content_hash(report.document["content"]) == APPENDIX_A_HASH


def test_removing_article_10_gives_the_message_of_the_spec() -> None:
    doc = load_example_version_document()
    doc["content"]["lawful_basis"]["art10"] = []
    assert validate_version_document(doc, CONTEXT).to_dict() == {
        "errors": [{
            "path": "/content/lawful_basis/art10", "code": "E-ART10-MISSING",
            "message": "Field sets chain/upload, chain/analysis, hclic/upload and hclic/analysis include "
                       "criminal-offence fields last_institution_type and support_need. Add an Article 10 "
                       "basis or remove the fields.",
        }],
        "warnings": [],
    }


# --------------------------------------------------------------------------- one rule per case


def _set(path: str, value: Any) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        *parents, last = path.strip("/").split("/")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return edit


def _delete(path: str) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        *parents, last = path.strip("/").split("/")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]
    return edit


def _add_processor(doc: Doc) -> None:
    doc["content"]["parties"].append(
        {"org_id": "met", "role": "processor", "accountable_officer": "SIRO", "processor_for": ["gla"]})
    doc["content"]["transparency"]["privacy_notice_urls"].append({"org_id": "met", "url": "https://x.example/met"})
    doc["content"]["transparency"]["appropriate_policy_documents"].append(
        {"org_id": "met", "url": "https://x.example/met"})
    _perm(doc, "P-INSIGHTS")["assignees"].append("met")
    doc["content"]["retention"][0]["parties"].append("met")


def _flags_drop_ethnicity(doc: Doc) -> None:
    del _dataset(doc, "chain")["field_flags"]["special_category"]["ethnicity"]


def _add_field(dataset: str, field_set: str, field: str) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        _dataset(doc, dataset)["field_sets"][field_set].append(field)
    return edit


def _uploader_exports(doc: Doc) -> None:
    _perm(doc, "P-UP-CHAIN")["actions"] = ["export", "upload"]


def _add_derived_upload(doc: Doc) -> None:
    doc["content"]["permissions"].append({
        "id": "P-UP-LINK", "assignees": ["gla"], "dataset": "person_link", "actions": ["upload"],
        "field_set": "qa", "purposes": ["bhp:rough-sleeping-strategic-insight"], "roles": ["uploader"]})


def _no_joint_controllers(doc: Doc) -> None:
    for party in doc["content"]["parties"]:
        party["role"] = "controller"


def _recipient_supplier(doc: Doc) -> None:
    doc["content"]["parties"][1]["role"] = "recipient"  # gla supplies chain


# (id, edit, expected code, expected path)
CASES: list[tuple[str, Callable[[Doc], None], str, str]] = [
    ("required-title", _delete("content/title"), "E-SCHEMA-required", "/content/title"),
    ("required-legal-text", _delete("content/legal_text"), "E-SCHEMA-required", "/content/legal_text"),
    ("unknown-property", _set("content/colour", "blue"), "E-SCHEMA-additionalProperties", "/content/colour"),
    ("pattern", _set("content/permissions/0/id", "up-chain"), "E-SCHEMA-pattern", "/content/permissions/0/id"),
    ("enum", _set("content/permissions/0/roles", ["admin"]), "E-SCHEMA-enum", "/content/permissions/0/roles/0"),
    ("party-unknown", _set("content/parties/2/org_id", "croydon"), "E-PARTY-UNKNOWN", "/content/parties/2/org_id"),
    ("party-dup", _set("content/parties/2/org_id", "camden"), "E-PARTY-DUP", "/content/parties/2/org_id"),
    ("processor-for", _set("content/parties/4/role", "processor"), "E-PROCESSOR-FOR",
     "/content/parties/4/processor_for"),
    ("type-jca", _no_joint_controllers, "E-TYPE-JCA", "/content/agreement_type"),
    ("type-cpa", _set("content/agreement_type", "controller_processor"), "E-TYPE-CPA", "/content/agreement_type"),
    ("recipient-supplier", _recipient_supplier, "E-RECIPIENT-SUPPLIER", "/content/datasets/0/suppliers/0"),
    ("purpose-unknown", _set("content/purposes/0/code", "bhp:marketing"), "E-PURPOSE-UNKNOWN",
     "/content/purposes/0/code"),
    ("purpose-dup", lambda d: d["content"]["purposes"].append(
        {**d["content"]["purposes"][0], "text": d["content"]["purposes"][0]["text"] + " Again."}),
     "E-PURPOSE-DUP", "/content/purposes/1/code"),
    ("dataset-unknown", _set("content/datasets/0/dataset_id", "chain_2019"), "E-DATASET-UNKNOWN",
     "/content/datasets/0"),
    ("dataset-dup", lambda d: d["content"]["datasets"].append(
        {**copy.deepcopy(d["content"]["datasets"][0]), "hub_retention": {"period": "P1M", "from": "upload",
                                                                         "deletion": "purge"}}),
     "E-DATASET-DUP", "/content/datasets/5"),
    ("kind-mismatch", lambda d: (_dataset(d, "person_link").update(suppliers=["gla"])), "E-KIND-MISMATCH",
     "/content/datasets/3"),
    ("supplier-not-party", _set("content/datasets/2/suppliers/1", "met"), "E-SUPPLIER-NOT-PARTY",
     "/content/datasets/2/suppliers/1"),
    ("supplier-not-registered", _set("content/datasets/0/suppliers/0", "camden"), "E-SUPPLIER-NOT-REGISTERED",
     "/content/datasets/0/suppliers/0"),
    ("controller-not-party", _set("content/datasets/3/controllers/0", "met"), "E-CONTROLLER-NOT-PARTY",
     "/content/datasets/3/controllers/0"),
    ("derived-input", _set("content/datasets/4/derived_from/3", "warehouse"), "E-DERIVED-INPUT",
     "/content/datasets/4/derived_from/3"),
    ("field-unknown", _add_field("chain", "upload", "nhs_number"), "E-FIELD-UNKNOWN",
     "/content/datasets/0/field_sets/upload/28"),
    ("flags-mismatch", _flags_drop_ethnicity, "E-FLAGS-MISMATCH", "/content/datasets/0/field_flags"),
    ("flags-mismatch-new-field", _add_field("chain", "analysis", "history_prison"), "E-FLAGS-MISMATCH",
     "/content/datasets/0/field_flags"),
    ("perm-dup-id", _set("content/permissions/1/id", "P-UP-CHAIN"), "E-PERM-DUP-ID", "/content/permissions/1/id"),
    ("perm-assignee", _set("content/permissions/10/assignees/0", "met"), "E-PERM-ASSIGNEE-NOT-PARTY",
     "/content/permissions/10/assignees/0"),
    ("perm-dataset", _set("content/permissions/0/dataset", "warehouse"), "E-PERM-DATASET",
     "/content/permissions/0/dataset"),
    ("perm-fieldset", _set("content/permissions/0/field_set", "everything"), "E-PERM-FIELDSET",
     "/content/permissions/0/field_set"),
    ("perm-purpose", _set("content/permissions/0/purposes", ["bhp:service-evaluation"]), "E-PERM-PURPOSE",
     "/content/permissions/0/purposes/0"),
    ("perm-role-ceiling", _uploader_exports, "E-PERM-ROLE-CEILING", "/content/permissions/0/roles/0"),
    ("perm-role-ceiling-frontline", _set("content/permissions/10/roles", ["analyst", "frontline_worker"]),
     "E-PERM-ROLE-CEILING", "/content/permissions/10/roles/1"),
    ("perm-upload-supplier", _set("content/permissions/1/assignees", ["camden", "gla"]), "E-PERM-UPLOAD-SUPPLIER",
     "/content/permissions/1/assignees/1"),
    ("perm-upload-derived", _add_derived_upload, "E-PERM-UPLOAD-DERIVED", "/content/permissions/11/actions/0"),
    ("perm-suppliers", _set("content/permissions/2/suppliers", ["camden"]), "E-PERM-SUPPLIERS",
     "/content/permissions/2/suppliers"),
    ("perm-processor-scope", _add_processor, "E-PERM-PROCESSOR-SCOPE", "/content/permissions/10/assignees/7"),
    ("perm-window-outside", _set("content/permissions/0/valid_from", "2026-01-01T00:00:00Z"), "E-PERM-WINDOW",
     "/content/permissions/0/valid_from"),
    ("perm-window-order", lambda d: d["content"]["permissions"][0].update(
        valid_from="2027-01-01T00:00:00Z", valid_until="2026-06-01T00:00:00Z"), "E-PERM-WINDOW",
     "/content/permissions/0/valid_until"),
    ("perm-cell-required", _delete("content/permissions/10/min_cell_size"), "E-PERM-CELL-REQUIRED",
     "/content/permissions/10"),
    ("perm-cell-not-applicable", _set("content/permissions/0/min_cell_size", 10), "E-PERM-CELL-NOT-APPLICABLE",
     "/content/permissions/0"),
    ("onward-export", _set("content/permissions/9/actions", ["export", "view_record"]), "E-ONWARD-EXPORT",
     "/content/permissions/9/actions"),
    ("prohib-assignee", _set("content/prohibitions/0/assignees", ["met"]), "E-PROHIB-ASSIGNEE",
     "/content/prohibitions/0/assignees/0"),
    ("prohib-dataset", _set("content/prohibitions/0/datasets/0", "warehouse"), "E-PROHIB-DATASET",
     "/content/prohibitions/0/datasets/0"),
    ("time-order", _set("content/time/expires_at", "2026-03-31T23:00:00Z"), "E-TIME-ORDER",
     "/content/time/expires_at"),
    ("time-term", _set("content/time/expires_at", "2031-04-01T00:00:00Z"), "E-TIME-TERM",
     "/content/time/expires_at"),
    ("review-interval", _set("content/time/review_interval", "P25M"), "E-REVIEW-INTERVAL",
     "/content/time/review_interval"),
    ("review-interval-years", _set("content/time/review_interval", "P2Y1D"), "E-REVIEW-INTERVAL",
     "/content/time/review_interval"),
    ("review-due", _set("content/time/first_review_due", "2028-04-01"), "E-REVIEW-DUE",
     "/content/time/first_review_due"),
    ("art9-missing", _set("content/lawful_basis/art9", []), "E-ART9-MISSING", "/content/lawful_basis/art9"),
    ("art9-sch1", _set("content/lawful_basis/art9/0/dpa_sch1_para", "S1-P1-2"), "E-ART9-SCH1",
     "/content/lawful_basis/art9/0/dpa_sch1_para"),
    ("art10-missing", _set("content/lawful_basis/art10", []), "E-ART10-MISSING", "/content/lawful_basis/art10"),
    ("art10-sch1", _set("content/lawful_basis/art10", [{"basis": "dpa_sch1"}]), "E-ART10-SCH1",
     "/content/lawful_basis/art10/0/dpa_sch1_para"),
    ("art6-ea", _set("content/lawful_basis/art6", [{"code": "A6-1-ea"}]), "E-ART6-EA-CONDITION",
     "/content/lawful_basis/art6/0"),
    ("part3", _set("content/permissions/10/purposes", ["dpv-law:CriminalLawEnforcement"]), "E-PART3-MISSING",
     "/content/lawful_basis/dpa_part3"),
    ("retention", lambda d: d["content"]["retention"][0]["parties"].remove("lambeth"), "E-RETENTION-MISSING",
     "/content/retention"),
    ("privacy-notice", lambda d: d["content"]["transparency"]["privacy_notice_urls"].pop(), "E-PRIVACY-NOTICE",
     "/content/transparency/privacy_notice_urls"),
    ("children", _set("content/data_subjects/children_included", True), "E-CHILDREN", "/content/data_subjects"),
    ("dpia-ico", _set("content/dpia/outcome", "high_risk_residual_ico_consulted"), "E-DPIA-ICO",
     "/content/dpia/ico_consultation_ref"),
    ("control-char", _set("content/title", "Pan-London\u0007 DSA"), "E-CONTROL-CHAR", "/content/title"),
    ("instant-no-offset", _set("content/time/effective_from", "2026-03-31T23:00:00"), "E-INSTANT-NO-OFFSET",
     "/content/time/effective_from"),
]


@pytest.mark.parametrize(("case", "edit", "code", "path"), CASES, ids=[c[0] for c in CASES])
def test_rule(case: str, edit: Callable[[Doc], None], code: str, path: str) -> None:
    doc = load_example_version_document()
    edit(doc)
    report = validate_version_document(doc, CONTEXT)
    found = [(e.code, e.path) for e in report.errors]
    assert (code, path) in found, found
    assert not report.ok
    assert all(e.message for e in report.errors)


def test_all_errors_are_returned_not_only_the_first() -> None:
    doc = load_example_version_document()
    del doc["content"]["title"]
    doc["content"]["parties"][2]["org_id"] = "croydon"
    doc["content"]["time"]["review_interval"] = "P36M"
    codes = {e.code for e in validate_version_document(doc, CONTEXT).errors}
    assert {"E-SCHEMA-required", "E-PARTY-UNKNOWN", "E-REVIEW-INTERVAL"} <= codes


def test_closed_organisation_cannot_be_a_party() -> None:
    closed = [Organisation(o.id, o.name, o.type, "closed" if o.id == "lambeth" else o.status, o.ons_code,
                           o.supplier_code) for o in CONTEXT.organisations.values()]
    report = validate_version_document(load_example_version_document(), ValidationContext.from_registers(closed))
    assert ("E-PARTY-UNKNOWN", "/content/parties/3/org_id") in [(e.code, e.path) for e in report.errors]


def test_legal_text_must_be_stored_when_hashes_are_given() -> None:
    context = ValidationContext.from_registers(list(CONTEXT.organisations.values()),
                                               legal_text_hashes=frozenset({"0" * 64}))
    report = validate_version_document(load_example_version_document(), context)
    assert [(e.code, e.path) for e in report.errors] == [("E-LEGAL-TEXT", "/content/legal_text/sha256")]


def test_signatories_are_checked_at_submission_only() -> None:
    doc = load_example_version_document()
    doc["signatory_designations"].pop()
    assert validate_version_document(doc, CONTEXT).ok
    report = validate_version_document(doc, CONTEXT, for_submission=True)
    assert [(e.code, e.path) for e in report.errors] == [("E-SIGNATORY-MISSING", "/signatory_designations")]


def test_instants_with_offsets_are_normalised_to_utc() -> None:
    doc = load_example_version_document()
    doc["content"]["time"]["effective_from"] = "2026-04-01T00:00:00+01:00"
    report = validate_version_document(doc, CONTEXT)
    assert report.ok
    assert report.document["content"]["time"]["effective_from"] == "2026-03-31T23:00:00Z"
    assert content_hash(report.document["content"]) == APPENDIX_A_HASH


# --------------------------------------------------------------------------- warnings


def test_unused_field_set_warns() -> None:
    doc = load_example_version_document()
    _dataset(doc, "chain")["field_sets"]["spare"] = ["area_code"]
    report = validate_version_document(doc, CONTEXT)
    assert report.ok
    assert [(w.code, w.path) for w in report.warnings] == [
        ("W-UNUSED-FIELD-SET", "/content/datasets/0/field_sets/spare")]


def test_public_authority_on_legitimate_interests_warns() -> None:
    doc = load_example_version_document()
    doc["content"]["lawful_basis"]["art6"] = [{"code": "A6-1-f"}]
    report = validate_version_document(doc, CONTEXT)
    assert ("W-ART6-PUBLIC-AUTHORITY", "/content/lawful_basis/art6") in [(w.code, w.path) for w in report.warnings]


def test_missing_appropriate_policy_document_warns() -> None:
    doc = load_example_version_document()
    doc["content"]["transparency"]["appropriate_policy_documents"].pop()
    report = validate_version_document(doc, CONTEXT)
    assert [(w.code, w.path) for w in report.warnings] == [
        ("W-APD-MISSING", "/content/transparency/appropriate_policy_documents")]


def test_prohibition_in_another_signed_agreement_warns() -> None:
    from boroughhub.agreements.snapshot import AgreementVersion

    pan_london = AgreementVersion.from_document(load_example_version_document())
    bilateral = load_example_version_document()
    bilateral["agreement_id"] = "dsa-cam-gla-eval"
    bilateral["content"]["permissions"].append({
        "id": "P-EVAL-CHAIN", "assignees": ["camden"], "dataset": "chain", "actions": ["export"],
        "field_set": "analysis", "purposes": ["bhp:rough-sleeping-strategic-insight"], "roles": ["analyst"]})
    bilateral["content"]["onward_sharing"]["record_level_allowed"] = True
    context = ValidationContext.from_registers(list(CONTEXT.organisations.values()), other_versions=(pan_london,))
    report = validate_version_document(bilateral, context)
    assert [(w.code, w.path, w.message) for w in report.warnings] == [(
        "W-CROSS-PROHIBITION", "/content/permissions/11",
        "X-NO-RECORD-EXPORT in dsa-pl-rsi version 1 would deny camden export on chain.")]


def test_changes_to_template_defaults_warn() -> None:
    doc = load_example_version_document()
    defaults = {"security_measures": copy.deepcopy(doc["content"]["security_measures"]),
                "onward_sharing": {"record_level_allowed": False, "aggregate_publication_allowed": False}}
    context = ValidationContext.from_registers(list(CONTEXT.organisations.values()), template_defaults=defaults)
    report = validate_version_document(doc, context)
    assert [(w.code, w.path) for w in report.warnings] == [("W-DEVIATES-FROM-TEMPLATE", "/content/onward_sharing")]


# --------------------------------------------------------------------------- parsing


def test_duplicate_keys_are_rejected() -> None:
    report = validate_version_text('{"format": "a", "format": "b"}', CONTEXT)
    assert [e.code for e in report.errors] == ["E-JSON-DUPLICATE-KEY"]


def test_floats_and_huge_integers_are_rejected() -> None:
    assert [e.code for e in validate_version_text('{"a": 1.5}', CONTEXT).errors] == ["E-JSON-PARSE"]
    assert [e.code for e in validate_version_text('{"a": 9007199254740993}', CONTEXT).errors] == ["E-JSON-NUMBER"]


def test_size_depth_and_length_limits() -> None:
    assert [e.code for e in validate_version_text(b" " * (1024 * 1024 + 1), CONTEXT).errors] == ["E-JSON-TOO-LARGE"]
    deep = "[" * 40 + "]" * 40
    assert [e.code for e in validate_version_text(deep, CONTEXT).errors] == ["E-JSON-TOO-DEEP"]
    long = json.dumps({"reviews": list(range(501))})
    assert [(e.code, e.path) for e in validate_version_text(long, CONTEXT).errors] == [
        ("E-JSON-TOO-MANY-ITEMS", "/reviews")]


def test_text_round_trip_of_appendix_a() -> None:
    report = validate_version_text(json.dumps(load_example_version_document()), CONTEXT)
    assert report.ok and report.warnings == ()
