"""``data_subjects.cohort_rules`` (amendment B of docs/agreements-accession.md): the closed vocabulary,
its validation codes, the content hash of versions without it, and the words the pages use."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from boroughhub.agreements.cohort_rules import COHORT_RULES, describe_cohort_rule
from boroughhub.agreements.hashing import content_hash
from boroughhub.agreements.registers import load_example_version_document
from boroughhub.agreements.schema import ValidationContext, validate_version_document, validate_version_text
from boroughhub.agreements.views.describe import describe_version
from boroughhub.agreements.what_changed import describe_changes
from boroughhub.agreements.wording import names_from_registers

APPENDIX_A_HASH = "sha256:d72a1f506024a3ab0a941bf73416858ddd836895b3a278e4ea1f26c14e4e64ef"
CONTEXT = ValidationContext.example()
PILOT_RULES = [
    {"dataset": "chain", "rule": "seen_bedded_down"},
    {"dataset": "hclic", "rule": "main_applicants_only"},
    {"dataset": "hclic", "rule": "owed_prevention_or_relief_duty"},
]


def with_rules(rules: Any) -> dict[str, Any]:
    document = load_example_version_document()
    document["content"]["data_subjects"]["cohort_rules"] = rules
    return document


def problems(document: dict[str, Any]) -> list[tuple[str, str]]:
    report = validate_version_document(document, CONTEXT)
    return [(e.code, e.path) for e in report.errors]


def test_every_rule_names_the_source_datasets_it_means_something_for() -> None:
    for code, term in COHORT_RULES.items():
        assert term.code == code and term.title and term.keeps
        assert set(term.keeps) <= {"chain", "inform", "hclic"}
        assert all(words.startswith("only ") for words in term.keeps.values())


def test_a_version_without_cohort_rules_validates_and_hashes_as_before() -> None:
    document = load_example_version_document()
    assert "cohort_rules" not in document["content"]["data_subjects"]
    report = validate_version_document(document, CONTEXT)
    assert report.ok and not report.warnings
    assert "cohort_rules" not in report.document["content"]["data_subjects"]  # normalising adds nothing
    assert content_hash(report.document["content"]) == APPENDIX_A_HASH


def test_cohort_rules_are_valid_and_covered_by_the_hash_when_present() -> None:
    document = with_rules(PILOT_RULES)
    report = validate_version_document(document, CONTEXT)
    assert report.ok, report.to_dict()
    assert report.document["content"]["data_subjects"]["cohort_rules"] == PILOT_RULES  # order as written
    assert content_hash(report.document["content"]) != APPENDIX_A_HASH
    assert validate_version_text(json.dumps(document), CONTEXT).ok


@pytest.mark.parametrize(("rules", "code", "path"), [
    ([{"dataset": "hclic", "rule": "only_nice_people"}], "E-COHORT-RULE-UNKNOWN",
     "/content/data_subjects/cohort_rules/0/rule"),
    ([{"dataset": "metric_values", "rule": "active_in_period"}], "E-COHORT-DATASET",
     "/content/data_subjects/cohort_rules/0/dataset"),
    ([{"dataset": "housing_register", "rule": "active_in_period"}], "E-COHORT-DATASET",
     "/content/data_subjects/cohort_rules/0/dataset"),
    ([{"dataset": "hclic", "rule": "seen_bedded_down"}], "E-COHORT-NOT-APPLICABLE",
     "/content/data_subjects/cohort_rules/0/rule"),
    ([{"dataset": "inform", "rule": "main_applicants_only"}], "E-COHORT-NOT-APPLICABLE",
     "/content/data_subjects/cohort_rules/0/rule"),
    ([{"dataset": "hclic", "rule": "main_applicants_only"}, {"dataset": "hclic", "rule": "main_applicants_only"}],
     "E-COHORT-DUP", "/content/data_subjects/cohort_rules/1"),
    ([{"dataset": "hclic"}], "E-SCHEMA-required", "/content/data_subjects/cohort_rules/0/rule"),
    ([{"dataset": "hclic", "rule": "main_applicants_only", "age": 18}], "E-SCHEMA-additionalProperties",
     "/content/data_subjects/cohort_rules/0/age"),
    ([{"dataset": "hclic", "rule": "Main Applicants"}], "E-SCHEMA-pattern",
     "/content/data_subjects/cohort_rules/0/rule"),
    ([], "E-SCHEMA-minItems", "/content/data_subjects/cohort_rules"),
    ("main_applicants_only", "E-SCHEMA-type", "/content/data_subjects/cohort_rules"),
])
def test_bad_cohort_rules_are_refused_with_a_code_at_the_rule(rules: Any, code: str, path: str) -> None:
    assert (code, path) in problems(with_rules(rules))


def test_messages_say_what_to_do() -> None:
    report = validate_version_document(with_rules([{"dataset": "hclic", "rule": "only_nice_people"}]), CONTEXT)
    (error,) = [e for e in report.errors if e.code == "E-COHORT-RULE-UNKNOWN"]
    assert "main_applicants_only" in error.message and "inclusion_rules" in error.message
    report = validate_version_document(with_rules([{"dataset": "hclic", "rule": "seen_bedded_down"}]), CONTEXT)
    (error,) = [e for e in report.errors if e.code == "E-COHORT-NOT-APPLICABLE"]
    assert error.message == "seen_bedded_down means nothing for hclic; it applies to chain only."


def test_a_rule_for_a_dataset_the_version_does_not_share_is_refused() -> None:
    document = with_rules([{"dataset": "inform", "rule": "active_in_period"}])
    document["content"]["datasets"] = [d for d in document["content"]["datasets"] if d["dataset_id"] != "inform"]
    assert ("E-COHORT-DATASET", "/content/data_subjects/cohort_rules/0/dataset") in problems(document)


def test_the_agreement_page_says_who_the_data_is_about_and_the_cohort_rules() -> None:
    names = names_from_registers()
    plain = describe_version(with_rules(PILOT_RULES)["content"], names)["data_subjects"]
    assert plain["children"] == "Children are not included."
    assert plain["ages"].startswith("Only people aged 18 or over")
    chain = names.dataset("chain")
    assert plain["cohort"][0] == f"{chain}: only people seen bedded down at least once in the extract period."
    assert len(plain["cohort"]) == 3
    without = describe_version(load_example_version_document()["content"], names)["data_subjects"]
    assert without["cohort"] == [] and without["description"].startswith("Adults seen rough sleeping")
    assert describe_cohort_rule({"dataset": "hclic", "rule": "nonsense"}, "H-CLIC").endswith(
        "(not a cohort rule the hub knows).")


def test_what_changed_names_cohort_rules_added_and_removed() -> None:
    names = names_from_registers()
    before = load_example_version_document()["content"]
    after = copy.deepcopy(before)
    after["data_subjects"]["cohort_rules"] = PILOT_RULES[:1]
    sentences = [c.sentence for c in describe_changes(before, after, names)]
    assert any(s.startswith("Cohort rule added: ") and "bedded down" in s for s in sentences), sentences
    reordered = copy.deepcopy(after)
    reordered["data_subjects"]["cohort_rules"] = list(reversed(PILOT_RULES[:1]))
    assert describe_changes(after, reordered, names) == []
    assert any(c.sentence.startswith("Cohort rule removed: ") for c in describe_changes(after, before, names))
