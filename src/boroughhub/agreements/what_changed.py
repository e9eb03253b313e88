"""What changed between two version contents, as sentences a signatory reads (no Django here).

"Suppression threshold for Rough sleeping aggregate insights raised from 10 to 11 for all parties",
not ``/content/permissions/10/min_cell_size``. Lists whose items have an identity (parties by
organisation, permissions by id, datasets by dataset id, purposes and measures by code) are matched
by that identity, so reordering a list or inserting an item in the middle says nothing false. Every
section of the content schema has its own wording; anything else (a field added to the schema later,
or content that does not follow it) still gets a readable sentence built from the field names, so a
difference is never silently dropped and never shown as a JSON Pointer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from boroughhub.agreements import what_changed_governance as governance
from boroughhub.agreements import what_changed_sharing as sharing
from boroughhub.agreements.accession_words import describe_accession_changes
from boroughhub.agreements.cohort_rules import describe_cohort_rule
from boroughhub.agreements.what_changed_base import (
    Changes,
    as_list,
    as_mapping,
    by_key,
    compare_fields,
    compare_generic,
    quoted,
    set_changes,
    value_words,
)
from boroughhub.agreements.wording import (
    AGREEMENT_TYPE_WORDS,
    PARTY_ROLE_WORDS,
    S35_WORDS,
    Names,
    art6_name,
    art9_name,
    art10_name,
    code_words,
    date_words,
    duration_words,
    join_words,
    legal_power_name,
    london,
    sch8_name,
    sentence,
)


@dataclass(frozen=True)
class Change:
    """One difference: the heading it belongs under on the page and the sentence itself."""

    section: str
    sentence: str


#: The headings, in the order the version page shows its sections.
SECTIONS: dict[str, str] = {
    "title": "About the agreement", "summary": "About the agreement", "agreement_type": "About the agreement",
    "template": "About the agreement", "parent_framework": "About the agreement",
    "external_refs": "About the agreement", "supersedes": "About the agreement",
    "parties": "Parties", "purposes": "Purposes", "lawful_basis": "Lawful basis",
    "data_subjects": "People the data is about", "datasets": "Datasets and fields",
    "permissions": "What each party may do", "prohibitions": "What nobody may do", "retention": "Retention",
    "onward_sharing": "Onward sharing", "time": "Dates and notice periods", "security_measures": "Security measures",
    "transparency": "Transparency and rights", "dpia": "Data protection impact assessment",
    "dpo_advice": "Data protection officers' advice", "audit_requirements": "Audit",
    "legal_text": "Legal text", "accession": "Who else may join",
}
OTHER_SECTION = "Other changes"


def describe_changes(before: Mapping[str, Any], after: Mapping[str, Any], names: Names) -> list[Change]:
    """Every difference between two contents, grouped by section in page order; [] when they are equal."""
    out: list[Change] = []
    order = list(dict.fromkeys([*SECTIONS, *before, *after]))
    for key in order:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        section = SECTIONS.get(key, OTHER_SECTION)
        changes = Changes()
        describer = _DESCRIBERS.get(key)
        if describer is not None:
            describer(changes, old, new, names, after)
        else:
            compare_generic(changes, sentence(code_words(key)), old, new)
        out.extend(Change(section, text) for text in changes.sentences)
    return out


def grouped(changes: list[Change]) -> list[tuple[str, list[str]]]:
    """``[(section, [sentence, …]), …]`` in page order, for a page that shows one heading per section."""
    groups: dict[str, list[str]] = {}
    for change in changes:
        groups.setdefault(change.section, []).append(change.sentence)
    return list(groups.items())


Describer = Callable[[Changes, Any, Any, Names, Mapping[str, Any]], None]


def _title(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    changes.add(f"Title changed from {quoted(old)} to {quoted(new)}.")


def _summary(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    changes.add(f"The summary now reads: {quoted(new)}." if new else "The summary was removed.")


def _agreement_type(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    changes.add(f"The agreement is now a {AGREEMENT_TYPE_WORDS.get(str(new), str(new))} "
                f"instead of a {AGREEMENT_TYPE_WORDS.get(str(old), str(old))}.")


def _template(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    def words(value: Any) -> str:
        item = as_mapping(value)
        return f"template {item.get('id', '')} version {item.get('version', '')}" if item else "no template"
    changes.add(f"Now based on {words(new)} (was {words(old)}).")


def _references(label: str, key: Callable[[Mapping[str, Any]], str]) -> Describer:
    """external_refs and supersedes: items added or removed, each named by ``key``."""
    def describe(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
        olds = {key(as_mapping(i)) for i in as_list(old)}
        news = {key(as_mapping(i)) for i in as_list(new)}
        for item in sorted(news - olds):
            changes.add(f"{label} added: {item}.")
        for item in sorted(olds - news):
            changes.add(f"{label} removed: {item}.")
        if olds == news:
            compare_generic(changes, label, old, new)
    return describe


def _parties(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    olds, news = by_key(old, "org_id"), by_key(new, "org_id")
    for org_id, party in news.items():
        name = names.organisation(org_id)
        role = PARTY_ROLE_WORDS.get(str(party.get("role")), str(party.get("role", ""))).lower()
        if org_id not in olds:
            officer = party.get("accountable_officer")
            serves = join_words(names.organisation(o) for o in as_list(party.get("processor_for")))
            changes.add(f"{name} joins as {role}" + (f" for {serves}" if serves else "")
                        + (f" (accountable officer: {officer})." if officer else "."))
            continue
        _party_changed(changes, name, olds[org_id], party, names, after)
    for org_id in [k for k in olds if k not in news]:
        changes.add(f"{names.organisation(org_id)} is no longer a party.")


def _party_changed(changes: Changes, name: str, old: Mapping[str, Any], new: Mapping[str, Any], names: Names,
                   after: Mapping[str, Any]) -> None:
    compare_fields(changes, old, new, f"{name}'s", {
        "role": lambda c, a, b: c.add(
            f"{name} is now {PARTY_ROLE_WORDS.get(str(b), str(b)).lower()} instead of "
            f"{PARTY_ROLE_WORDS.get(str(a), str(a)).lower()}."),
        "accountable_officer": lambda c, a, b: c.add(
            f"{name}'s accountable officer is now {value_words(b)} instead of {value_words(a)}."),
        "processor_for": lambda c, a, b: set_changes(
            c, a, b, names.organisation, f"{name} now also processes data for {{}}.",
            f"{name} no longer processes data for {{}}."),
        "lawful_basis_override": lambda c, a, b: _lawful_basis(
            c, a, b, names, after, prefix=f"{name}'s own lawful basis"),
    })


def _purposes(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    olds, news = by_key(old, "code"), by_key(new, "code")
    for code, purpose in news.items():
        label = names.purpose(code)
        if code not in olds:
            changes.add(f"Purpose added: {label}." + (f" {quoted(purpose['text'])}" if purpose.get("text") else ""))
            continue
        _purpose_changed(changes, label, olds[code], purpose)
    for code in [k for k in olds if k not in news]:
        changes.add(f"Purpose removed: {names.purpose(code)}.")


def _purpose_changed(changes: Changes, label: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    compare_fields(changes, old, new, f"The purpose {label}:", {
        "text": lambda c, a, b: c.add(f"The description of the purpose {label} now reads: {quoted(b)}."),
        "necessity": lambda c, a, b: c.add(f"Why the purpose {label} needs the data now reads: {quoted(b)}."),
        "benefits": lambda c, a, b: c.add(f"The benefits stated for the purpose {label} now read: {quoted(b)}."),
        "statutory_functions": lambda c, a, b: set_changes(
            c, a, b, legal_power_name, f"The purpose {label} now also relies on {{}}.",
            f"The purpose {label} no longer relies on {{}}."),
    })


def _lawful_basis(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any], *,
                  prefix: str = "") -> None:
    lead = f"{prefix}: " if prefix else ""
    power = f"{lead}legal power" if lead else "Legal power"

    def items(label: str, render: Callable[[Mapping[str, Any]], str]) -> Callable[[Changes, Any, Any], None]:
        def compare(c: Changes, a: Any, b: Any) -> None:
            start = f"{lead}{label}" if lead else sentence(label)
            set_changes(c, [render(as_mapping(i)) for i in as_list(a)], [render(as_mapping(i)) for i in as_list(b)],
                        str, f"{start} added: {{}}.", f"{start} removed: {{}}.", each=True)
        return compare

    compare_fields(changes, as_mapping(old), as_mapping(new), prefix or "Lawful basis", {
        "art6": items("lawful basis", lambda i: art6_name(i.get("code"), i.get("annex1_condition"))),
        "art9": items("condition for special category data",
                      lambda i: art9_name(i.get("condition"), i.get("dpa_sch1_para"))),
        "art10": items("condition for criminal offence data",
                       lambda i: art10_name(i.get("basis"), i.get("dpa_sch1_para"))),
        "legal_powers": lambda c, a, b: set_changes(
            c, a, b, legal_power_name, f"{power} added: {{}}.", f"{power} removed: {{}}.",
            each=True),
        "dpa_part3": lambda c, a, b: compare_fields(c, as_mapping(a), as_mapping(b), "Law enforcement processing", {
            "s35_basis": lambda c2, x, y: c2.add(
                f"The law enforcement basis is now {S35_WORDS.get(str(y), value_words(y))}"
                f" (was {S35_WORDS.get(str(x), value_words(x))})."),
            "sch8_paras": lambda c2, x, y: set_changes(
                c2, x, y, sch8_name, "Law enforcement condition added: {}.", "Law enforcement condition removed: {}.",
                each=True),
        }),
    })


def _data_subjects(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    def text(label: str) -> Callable[[Changes, Any, Any], None]:
        return lambda c, a, b: c.add(f"{label} now read: {quoted(b)}." if b else f"{label} were removed.")

    def age(label: str) -> Callable[[Changes, Any, Any], None]:
        def compare(c: Changes, a: Any, b: Any) -> None:
            if a is None:
                c.add(f"{label} of the people covered is now {b}.")
            elif b is None:
                c.add(f"{label} of the people covered no longer set (was {a}).")
            else:
                c.add(f"{label} of the people covered changed from {a} to {b}.")
        return compare

    compare_fields(changes, as_mapping(old), as_mapping(new), "People the data is about", {
        "description": lambda c, a, b: c.add(f"Who the data is about now reads: {quoted(b)}."),
        "inclusion_rules": text("The rules for who is included"),
        "exclusion_rules": text("The rules for who is excluded"),
        "children_safeguards": text("The safeguards for children"),
        "min_age_years": age("Minimum age"), "max_age_years": age("Maximum age"),
        "children_included": lambda c, a, b: c.add(
            "Children are now included." if b else "Children are no longer included."),
        "cohort_rules": lambda c, a, b: set_changes(
            c, a, b, lambda r: describe_cohort_rule(as_mapping(r), names.dataset(as_mapping(r).get("dataset"))),
            "Cohort rule added: {}", "Cohort rule removed: {}", each=True),
    })


def _retention(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    olds, news = by_key(old, "applies_to"), by_key(new, "applies_to")

    def whom(item: Mapping[str, Any]) -> str:
        return sharing.who(item.get("parties"), names, after)

    for key, item in news.items():
        what = str(item.get("applies_to", ""))
        if key not in olds:
            changes.add(f"Retention added: {whom(item)} keep {what} for {duration_words(item.get('period'))} "
                        f"from {value_words(item.get('from'))}.")
            continue
        _retention_changed(changes, what, whom(item), olds[key], item, names)
    for key in [k for k in olds if k not in news]:
        changes.add(f"Retention removed: {whom(olds[key])} kept {olds[key].get('applies_to', '')} "
                    f"for {duration_words(olds[key].get('period'))}.")


def _retention_changed(changes: Changes, what: str, whom: str, old: Mapping[str, Any], new: Mapping[str, Any],
                       names: Names) -> None:
    compare_fields(changes, old, new, f"Retention of {what}:", {
        "period": lambda c, a, b: c.add(
            f"{sentence(whom)} now keep {what} for {duration_words(b)} instead of {duration_words(a)}."),
        "parties": lambda c, a, b: set_changes(
            c, a, b, names.organisation, f"The retention of {what} now also binds {{}}.",
            f"The retention of {what} no longer binds {{}}."),
        "from": lambda c, a, b: c.add(
            f"The retention of {what} now counts from {value_words(b)} instead of {value_words(a)}."),
        "deletion": lambda c, a, b: c.add(f"How {what} is deleted now reads: {quoted(b)}."),
    })


def _onward_sharing(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    compare_fields(changes, as_mapping(old), as_mapping(new), "Onward sharing", {
        "record_level_allowed": lambda c, a, b: c.add(
            "Parties may now share individual records onward." if b
            else "Parties may no longer share individual records onward."),
        "aggregate_publication_allowed": lambda c, a, b: c.add(
            "Parties may now publish aggregate figures." if b else "Parties may no longer publish aggregate figures."),
        "conditions": lambda c, a, b: c.add(
            f"The conditions for onward sharing now read: {quoted(b)}." if b
            else "The conditions for onward sharing were removed."),
    })


def _time(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    def instead(template: str, words: Callable[[Any], str]) -> Callable[[Changes, Any, Any], None]:
        return lambda c, a, b: c.add(template.format(new=words(b), old=words(a)))

    compare_fields(changes, as_mapping(old), as_mapping(new), "Dates", {
        "effective_from": instead("The agreement now comes into force at {new} instead of {old}.", london),
        "expires_at": instead("The agreement now ends at {new} instead of {old}.", london),
        "review_interval": instead("The agreement is now reviewed every {new} instead of every {old}.",
                                   duration_words),
        "first_review_due": instead("The first review is now due on {new} instead of {old}.", date_words),
        "change_notice_period": instead("The notice given of changes is now {new} instead of {old}.",
                                        duration_words),
        "termination_notice_period": instead("The notice a party gives to withdraw is now {new} instead of {old}.",
                                             duration_words),
        "termination_procedure": lambda c, a, b: c.add(f"The termination procedure now reads: {quoted(b)}."),
    })


_DESCRIBERS: dict[str, Describer] = {
    "title": _title, "summary": _summary, "agreement_type": _agreement_type, "template": _template,
    "external_refs": _references("Reference", lambda i: (
        f"{'Information Sharing Gateway' if i.get('system') == 'isg' else 'other system'} reference "
        f"{i.get('reference', '')}")),
    "supersedes": _references("Replaces", lambda i: f"{i.get('agreement_id', '')} version {i.get('version', '')}"),
    "parties": _parties, "purposes": _purposes, "lawful_basis": _lawful_basis, "data_subjects": _data_subjects,
    "datasets": sharing.datasets, "permissions": sharing.permissions, "prohibitions": sharing.prohibitions,
    "retention": _retention, "onward_sharing": _onward_sharing, "time": _time,
    "security_measures": governance.security_measures, "transparency": governance.transparency, "dpia": governance.dpia,
    "dpo_advice": governance.dpo_advice, "audit_requirements": governance.audit, "legal_text": governance.legal_text,
    "accession": describe_accession_changes,
}

__all__ = ["Change", "SECTIONS", "describe_changes", "grouped", "join_words"]
