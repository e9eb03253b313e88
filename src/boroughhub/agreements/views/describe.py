"""A version's content in plain English for the agreement and signing pages (no Django here).

Every code the content is written in (lawful bases, legal powers, purposes, datasets, durations,
security measures) is shown by its name; the words themselves live in ``agreements.wording``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boroughhub.agreements.cohort_rules import cohort_rules_of, describe_cohort_rule
from boroughhub.agreements.what_changed_sharing import describe_permission as permission_sentence
from boroughhub.agreements.what_changed_sharing import who
from boroughhub.agreements.wording import (
    ACTION_WORDS,
    AGREEMENT_TYPE_WORDS,
    DELETION_WORDS,
    DPIA_OUTCOME_WORDS,
    FLOW_METHOD_WORDS,
    PARTY_ROLE_WORDS,
    RETENTION_START_WORDS,
    S35_WORDS,
    SAR_MODE_WORDS,
    SPECIAL_CATEGORY_WORDS,
    Names,
    art6_name,
    art9_name,
    art10_name,
    date_words,
    duration_words,
    join_words,
    legal_power_name,
    london,
    measure_name,
    sch8_name,
    sentence,
    utc,
)

__all__ = ["PARTY_ROLE_WORDS", "describe_datasets", "describe_permission", "describe_version", "london", "utc"]


def describe_permission(permission: Mapping[str, Any], names: Names, content: Mapping[str, Any]) -> str:
    return permission_sentence(permission, names, content)


def lawful_basis_lines(basis: Mapping[str, Any]) -> list[str]:
    """Each basis as its reader knows it: ``UK GDPR Article 6(1)(e): public task``, never ``A6-1-e``."""
    lines = [art6_name(a.get("code"), a.get("annex1_condition")) for a in basis.get("art6") or []]
    lines += ["Special category data: " + art9_name(a.get("condition"), a.get("dpa_sch1_para"))
              for a in basis.get("art9") or []]
    lines += ["Criminal offence data: " + art10_name(a.get("basis"), a.get("dpa_sch1_para"))
              for a in basis.get("art10") or []]
    part3 = basis.get("dpa_part3") or {}
    if part3:
        lines.append("Law enforcement processing: " + S35_WORDS.get(str(part3.get("s35_basis")), str(part3.get("s35_basis"))))
        lines += ["Law enforcement sensitive processing: " + sch8_name(p) for p in part3.get("sch8_paras") or []]
        if part3.get("s36_4_authority"):
            lines.append(f"Use for another purpose authorised by: {part3['s36_4_authority']}")
    lines += ["Legal power: " + legal_power_name(p) for p in basis.get("legal_powers") or []]
    return lines


def describe_datasets(content: Mapping[str, Any], names: Names) -> list[dict[str, Any]]:
    """Each dataset with its field sets, and which fields are special category, criminal or direct ids."""
    out = []
    for entry in content.get("datasets", []) or []:
        if not isinstance(entry, Mapping):
            continue
        flags = entry.get("field_flags", {}) or {}
        special = flags.get("special_category", {}) or {}
        criminal = set(flags.get("criminal_offence", []) or [])
        direct = set(flags.get("direct_identifiers", []) or [])
        sets = []
        for name, members in (entry.get("field_sets", {}) or {}).items():
            fields = []
            for field in members:
                notes = []
                if field in special:
                    notes.append("special category: " + SPECIAL_CATEGORY_WORDS.get(special[field], special[field]))
                if field in criminal:
                    notes.append("criminal offence data")
                if field in direct:
                    notes.append("direct identifier")
                fields.append({"name": field, "notes": "; ".join(notes)})
            sets.append({"name": name, "fields": fields, "flagged": sum(1 for f in fields if f["notes"])})
        dataset_id = str(entry.get("dataset_id", ""))
        suppliers = entry.get("suppliers") or []
        out.append({"id": dataset_id, "title": names.dataset(dataset_id), "field_sets": sets,
                    "by": ("Supplied by " if suppliers else "Controlled by ") + join_words(
                        names.organisation(o) for o in suppliers or entry.get("controllers") or []),
                    "flow": _flow(entry.get("flow")), "retention": _hub_retention(entry.get("hub_retention"))})
    return out


def _flow(flow: Any) -> str:
    if not isinstance(flow, Mapping):
        return ""
    method = FLOW_METHOD_WORDS.get(str(flow.get("method")), str(flow.get("method", "")))
    return f"Sent {str(flow.get('frequency', '')).replace('_', ' ')} by {method}"


def _hub_retention(retention: Any) -> str:
    if not isinstance(retention, Mapping):
        return ""
    start = RETENTION_START_WORDS.get(str(retention.get("from")), str(retention.get("from", "")))
    deletion = DELETION_WORDS.get(str(retention.get("deletion")), str(retention.get("deletion", "")))
    return f"The hub keeps it for {duration_words(retention.get('period'))} from {start}, then it is {deletion}"


def _prohibition(rule: Mapping[str, Any], names: Names, content: Mapping[str, Any]) -> str:
    datasets = [str(d) for d in rule.get("datasets") or []]
    what = "any dataset" if "*" in datasets else join_words(names.dataset(d) for d in datasets)
    actions = join_words(ACTION_WORDS.get(str(a), str(a)) for a in rule.get("actions") or [])
    text = f"{sentence(who(rule.get('assignees'), names, content))} may not {actions} {what}"
    if rule.get("purposes"):
        text += " for " + join_words(names.purpose(p) for p in rule["purposes"]).lower()
    return f"{text}. {rule.get('reason', '')}".strip()


def _retention(rule: Mapping[str, Any], names: Names, content: Mapping[str, Any]) -> str:
    start = RETENTION_START_WORDS.get(str(rule.get("from")), str(rule.get("from", "")))
    return (f"{sentence(who(rule.get('parties'), names, content))} keep {rule.get('applies_to', '')} for "
            f"{duration_words(rule.get('period'))} from {start}. {rule.get('deletion', '')}").strip()


def describe_data_subjects(content: Mapping[str, Any], names: Names) -> dict[str, Any]:
    """Who the records are about: the signed words, the age limits, and the cohort rules the hub applies."""
    subjects = content.get("data_subjects")
    if not isinstance(subjects, Mapping):
        return {}
    lowest, highest = subjects.get("min_age_years"), subjects.get("max_age_years")
    ages = []
    if lowest is not None:
        ages.append(f"aged {lowest} or over")
    if highest is not None:
        ages.append(f"aged {highest} or under")
    children = "Children are included." if subjects.get("children_included") else "Children are not included."
    return {
        "description": subjects.get("description", ""),
        "included": subjects.get("inclusion_rules", ""),
        "excluded": subjects.get("exclusion_rules", ""),
        "ages": (f"Only people {' and '.join(ages)} at the end of the period each upload covers "
                 "(the hub leaves out everyone else).") if ages else "",
        "children": children,
        "cohort": [describe_cohort_rule(rule, names.dataset(rule.get("dataset")))
                   for rule in cohort_rules_of(content)],
    }


def describe_version(content: Mapping[str, Any], names: Names) -> dict[str, Any]:
    """Everything the version page shows, by name: the template reads these, never a code."""
    time_window = content.get("time") or {}
    transparency = content.get("transparency") or {}
    dpia = content.get("dpia") or {}
    return {
        "agreement_type": AGREEMENT_TYPE_WORDS.get(str(content.get("agreement_type")), ""),
        "purposes": [{"label": names.purpose(p.get("code")), "text": p.get("text", ""),
                      "necessity": p.get("necessity", ""), "benefits": p.get("benefits", ""),
                      "powers": [legal_power_name(f) for f in p.get("statutory_functions") or []]}
                     for p in content.get("purposes") or [] if isinstance(p, Mapping)],
        "lawful_basis": lawful_basis_lines(content.get("lawful_basis") or {}),
        "permissions": [describe_permission(p, names, content) for p in content.get("permissions") or []
                        if isinstance(p, Mapping)],
        "prohibitions": [_prohibition(x, names, content) for x in content.get("prohibitions") or []
                         if isinstance(x, Mapping)],
        "datasets": describe_datasets(content, names),
        "data_subjects": describe_data_subjects(content, names),
        "retention": [_retention(r, names, content) for r in content.get("retention") or []
                      if isinstance(r, Mapping)],
        "security_measures": [measure_name(m.get("code")) + (f": {m['text']}" if m.get("text") else "")
                              for m in content.get("security_measures") or [] if isinstance(m, Mapping)],
        "time_rows": [
            ("First day in force", f"{london(time_window.get('effective_from'))} ({utc(time_window.get('effective_from'))})"),
            ("Ends at", f"{london(time_window.get('expires_at'))} ({utc(time_window.get('expires_at'))})"),
            ("Reviewed every", duration_words(time_window.get("review_interval", ""))),
            ("First review due", date_words(time_window.get("first_review_due", ""))),
            ("Notice of changes", duration_words(time_window.get("change_notice_period", ""))),
            ("Notice to withdraw", duration_words(time_window.get("termination_notice_period", ""))),
        ],
        "subject_access": SAR_MODE_WORDS.get(str(transparency.get("sar_mode")), ""),
        "dpia": (f"{dpia.get('reference', '')}, completed {date_words(dpia.get('completed_on', ''))}: "
                 f"{DPIA_OUTCOME_WORDS.get(str(dpia.get('outcome')), str(dpia.get('outcome', '')))}") if dpia else "",
    }
