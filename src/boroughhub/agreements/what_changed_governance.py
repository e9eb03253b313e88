"""Sentences for the governance sections: security, transparency and rights, DPIA, DPO advice, audit and
the legal text (no Django here)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from boroughhub.agreements.what_changed_base import (
    Changes,
    FieldRule,
    as_list,
    as_mapping,
    by_key,
    compare_fields,
    quoted,
    set_changes,
    value_words,
)
from boroughhub.agreements.wording import (
    AUDIT_REVIEWER_WORDS,
    DPIA_OUTCOME_WORDS,
    SAR_MODE_WORDS,
    Names,
    code_words,
    date_words,
    measure_name,
)


def security_measures(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    olds, news = by_key(old, "code"), by_key(new, "code")
    for code, measure in news.items():
        name = measure_name(code)
        if code not in olds:
            changes.add(f"Security measure added: {name}" + (f" ({measure['text']})." if measure.get("text") else "."))
        elif olds[code].get("text") != measure.get("text"):
            changes.add(f"The security measure {name} is now described as {quoted(measure.get('text'))}."
                        if measure.get("text") else f"The description of the security measure {name} was removed.")
    for code in [k for k in olds if k not in news]:
        changes.add(f"Security measure removed: {measure_name(code)}.")


def _links(label: str, names: Names) -> Callable[[Changes, Any, Any], None]:
    def compare(c: Changes, a: Any, b: Any) -> None:
        olds, news = by_key(a, "org_id"), by_key(b, "org_id")
        for org_id in sorted(olds.keys() | news.keys()):
            name = names.organisation(org_id)
            before, now = olds.get(org_id, {}).get("url"), news.get(org_id, {}).get("url")
            if before == now:
                continue
            c.add(f"{name}'s {label} is now at {now}." if before and now else
                  f"{name}'s {label} added: {now}." if now else f"{name}'s {label} was removed.")
    return compare


def transparency(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    def text(label: str) -> Callable[[Changes, Any, Any], None]:
        return lambda c, a, b: c.add(f"{label} now reads: {quoted(b)}.")

    compare_fields(changes, as_mapping(old), as_mapping(new), "Transparency", {
        "privacy_notice_urls": _links("privacy notice", names),
        "appropriate_policy_documents": _links("appropriate policy document", names),
        "sar_mode": lambda c, a, b: c.add(
            f"Subject access requests: {SAR_MODE_WORDS.get(str(b), value_words(b))} "
            f"(was: {SAR_MODE_WORDS.get(str(a), value_words(a))})."),
        "sar_handling": text("How subject access requests are handled"),
        "data_quality": text("How data quality is kept"), "breach_route": text("What happens after a breach"),
        "complaints": text("How complaints are handled"), "sanctions": text("Sanctions for misuse"),
    })


def dpia(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    compare_fields(changes, as_mapping(old), as_mapping(new), "The DPIA", {
        "reference": lambda c, a, b: c.add(f"The DPIA reference is now {value_words(b)} instead of {value_words(a)}."),
        "outcome": lambda c, a, b: c.add(
            f"The DPIA outcome is now {DPIA_OUTCOME_WORDS.get(str(b), value_words(b))} "
            f"instead of {DPIA_OUTCOME_WORDS.get(str(a), value_words(a))}."),
        "completed_on": lambda c, a, b: c.add(
            f"The DPIA is now dated {date_words(b)} instead of {date_words(a)}."),
        "ico_consultation_ref": lambda c, a, b: c.add(
            f"The ICO consultation reference is now {value_words(b)}." if b
            else "The ICO consultation reference was removed."),
    })


def dpo_advice(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    def key(item: Mapping[str, Any]) -> str:
        return f"{names.organisation(item.get('org_id'))}'s data protection officer ({date_words(item.get('date'))})"

    olds = {key(as_mapping(i)): as_mapping(i) for i in as_list(old)}
    news = {key(as_mapping(i)): as_mapping(i) for i in as_list(new)}
    for who, item in news.items():
        if who not in olds:
            changes.add(f"Advice added from {who}: {quoted(item.get('summary'))}; "
                        f"response: {quoted(item.get('response'))}.")
        elif olds[who] != item:
            compare_fields(changes, olds[who], item, f"Advice from {who}:", _advice_rules(who))
    for who in [k for k in olds if k not in news]:
        changes.add(f"Advice removed from {who}.")


def _advice_rules(who: str) -> dict[str, FieldRule]:
    return {
        "summary": lambda c, a, b: c.add(f"The advice from {who} now reads: {quoted(b)}."),
        "response": lambda c, a, b: c.add(f"The response to the advice from {who} now reads: {quoted(b)}."),
    }


def audit(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    compare_fields(changes, as_mapping(old), as_mapping(new), "Audit", {
        "reviewers": lambda c, a, b: set_changes(
            c, a, b, lambda r: AUDIT_REVIEWER_WORDS.get(str(r), code_words(r)),
            "{} now also review the audit log.", "{} no longer review the audit log."),
        "sampling": lambda c, a, b: c.add(
            f"Record accesses sampled for review each month changed from "
            f"{value_words(as_mapping(a).get('record_accesses_per_month'))} to "
            f"{value_words(as_mapping(b).get('record_accesses_per_month'))}."),
    })


def legal_text(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    compare_fields(changes, as_mapping(old), as_mapping(new), "The legal text", {
        "title": lambda c, a, b: c.add(f"The legal text is now titled {quoted(b)} (was {quoted(a)})."),
        "sha256": lambda c, a, b: c.add(
            f"The legal text document itself has changed: its document hash is now {b} (was {a})."),
        "media_type": lambda c, a, b: c.add(
            f"The legal text is now {'a PDF document' if b == 'application/pdf' else 'a web page'}."),
    })
