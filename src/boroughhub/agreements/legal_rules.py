"""The semantic rules of spec §7.1 about lawful basis, time, retention and transparency.

Companion of ``content_rules`` (parties, datasets, permissions); same conventions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from boroughhub.agreements.content_rules import (
    Content,
    Problem,
    Rule,
    ValidationContext,
    as_dict,
    as_list,
    join_names,
    pointer,
)
from boroughhub.agreements.registers import load_lawful_basis_codes
from boroughhub.agreements.snapshot import parse_instant

LONDON = ZoneInfo("Europe/London")
MAX_TERM_YEARS = 5
MAX_REVIEW_MONTHS = 24
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_PUBLIC_AUTHORITY_TYPES = ("borough", "gla", "police")


def duration_months_and_days(text: str) -> tuple[int, int]:
    """``P1Y2M3W4D`` -> ``(14, 25)``: calendar months and days, kept apart as ISO 8601 does."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"not a duration: {text}")
    years, months, weeks, days = (int(g or 0) for g in match.groups())
    return years * 12 + months, weeks * 7 + days


def _longer_than_months(text: str, limit: int) -> bool:
    months, days = duration_months_and_days(text)
    # A month is 28-31 days; count days at the shortest so P730D is not taken for more than P24M.
    return months + days / 31 > limit


def _add_years(instant: datetime, years: int) -> datetime:
    try:
        return instant.replace(year=instant.year + years)
    except ValueError:  # 29 February
        return instant.replace(year=instant.year + years, day=28)


# --------------------------------------------------------------------------- lawful basis


def _fields_used_by_permissions(c: Content, ctx: ValidationContext, flag: str) -> tuple[list[str], list[str]]:
    """Field sets (``dataset/name``) used by a permission that hold fields with ``flag``, and those fields."""
    sets: list[str] = []
    flagged: set[str] = set()
    used = c.used_field_sets()
    for entry in c.datasets:
        registered = ctx.datasets.get(entry.get("dataset_id"))  # type: ignore[arg-type]
        if registered is None:
            continue
        for name, members in as_dict(entry.get("field_sets")).items():
            if (registered.id, name) not in used:
                continue
            hits = [
                f for f in as_list(members) if f in registered.fields and (
                    registered.fields[f].criminal_offence if flag == "criminal"
                    else registered.fields[f].special_category is not None)
            ]
            if hits:
                sets.append(f"{registered.id}/{name}")
                flagged.update(hits)
    return sets, sorted(flagged)


def _missing_basis_message(sets: list[str], fields: list[str], kind: str, article: str) -> str:
    set_word = "Field set" if len(sets) == 1 else "Field sets"
    verb = "includes" if len(sets) == 1 else "include"
    field_word = "field" if len(fields) == 1 else "fields"
    return (f"{set_word} {join_names(sets)} {verb} {kind} {field_word} {join_names(fields)}. "
            f"Add an Article {article} basis or remove the fields.")


def lawful_basis_rules(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    codes = load_lawful_basis_codes()
    basis = as_dict(c.content.get("lawful_basis"))
    for i, art6 in enumerate(as_list(basis.get("art6"))):
        if as_dict(art6).get("code") == "A6-1-ea" and not as_dict(art6).get("annex1_condition"):
            yield ("E-ART6-EA-CONDITION", pointer("content", "lawful_basis", "art6", i),
                   "Recognised legitimate interest (A6-1-ea) needs an Annex 1 condition.")
    art9 = as_list(basis.get("art9"))
    sets, fields = _fields_used_by_permissions(c, ctx, "special")
    if fields and not art9:
        yield ("E-ART9-MISSING", "/content/lawful_basis/art9",
               _missing_basis_message(sets, fields, "special-category", "9"))
    for i, condition in enumerate(art9):
        condition = as_dict(condition)
        required = codes.art9_required_sch1_para.get(condition.get("condition", ""))
        given = condition.get("dpa_sch1_para")
        if required is None:
            continue
        ok = (given in codes.dpa_sch1_part2) if required == "S1-P2-*" else given == required
        if not ok:
            wanted = "a Schedule 1 Part 2 paragraph" if required == "S1-P2-*" else required
            yield ("E-ART9-SCH1", pointer("content", "lawful_basis", "art9", i, "dpa_sch1_para"),
                   f"Condition {condition.get('condition')} needs DPA 2018 {wanted}.")
    art10 = as_list(basis.get("art10"))
    sets, fields = _fields_used_by_permissions(c, ctx, "criminal")
    if fields and not art10:
        yield ("E-ART10-MISSING", "/content/lawful_basis/art10",
               _missing_basis_message(sets, fields, "criminal-offence", "10"))
    for i, entry in enumerate(art10):
        if as_dict(entry).get("basis") == "dpa_sch1" and not as_dict(entry).get("dpa_sch1_para"):
            yield ("E-ART10-SCH1", pointer("content", "lawful_basis", "art10", i, "dpa_sch1_para"),
                   "A Schedule 1 basis needs its paragraph.")
    law_enforcement = sorted(
        code for code in {*c.purpose_codes, *(p for perm in c.permissions for p in as_list(perm.get("purposes")))}
        if code in ctx.purposes and ctx.purposes[code].law_enforcement
    )
    if law_enforcement and not basis.get("dpa_part3"):
        yield ("E-PART3-MISSING", "/content/lawful_basis/dpa_part3",
               f"{join_names(law_enforcement)} is a law enforcement purpose: add the DPA 2018 Part 3 basis.")


# --------------------------------------------------------------------------- time


def time_rules(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    window = as_dict(c.content.get("time"))
    try:
        start, end = parse_instant(window["effective_from"]), parse_instant(window["expires_at"])
    except (KeyError, TypeError, ValueError):
        return
    if start >= end:
        yield "E-TIME-ORDER", "/content/time/expires_at", "The expiry must be after the effective date."
    elif end > _add_years(start, MAX_TERM_YEARS):
        yield "E-TIME-TERM", "/content/time/expires_at", f"The term may be at most {MAX_TERM_YEARS} years."
    interval = window.get("review_interval")
    if isinstance(interval, str) and _DURATION.match(interval) and _longer_than_months(interval, MAX_REVIEW_MONTHS):
        yield ("E-REVIEW-INTERVAL", "/content/time/review_interval",
               f"Reviews must be at most {MAX_REVIEW_MONTHS} months apart.")
    due = window.get("first_review_due")
    if isinstance(due, str):
        try:
            due_start = datetime.combine(date.fromisoformat(due), time(0), LONDON)
        except ValueError:
            return
        if not start < due_start < end:
            yield ("E-REVIEW-DUE", "/content/time/first_review_due",
                   "The first review must fall after the effective date and before expiry.")
    for i, permission in enumerate(c.permissions):
        yield from _permission_window(permission, i, start, end)


def _permission_window(permission: dict[str, object], i: int, start: datetime, end: datetime) -> Iterator[Problem]:
    bounds: dict[str, datetime] = {}
    for key in ("valid_from", "valid_until"):
        value = permission.get(key)
        if isinstance(value, str):
            try:
                bounds[key] = parse_instant(value)
            except ValueError:
                continue
    valid_from, valid_until = bounds.get("valid_from"), bounds.get("valid_until")
    if valid_from is not None and not start <= valid_from < end:
        yield ("E-PERM-WINDOW", pointer("content", "permissions", i, "valid_from"),
               "The permission must start inside the agreement's window.")
    if valid_until is not None and not start < valid_until <= end:
        yield ("E-PERM-WINDOW", pointer("content", "permissions", i, "valid_until"),
               "The permission must end inside the agreement's window.")
    if valid_from is not None and valid_until is not None and valid_from >= valid_until:
        yield ("E-PERM-WINDOW", pointer("content", "permissions", i, "valid_until"),
               "The permission must end after it starts.")


# --------------------------------------------------------------------------- retention, transparency, DPIA


def accountability_rules(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    retained = {p for r in as_list(c.content.get("retention")) for p in as_list(as_dict(r).get("parties"))}
    receiving = sorted({
        a for perm in c.permissions if set(as_list(perm.get("actions"))) - {"upload"}
        for a in as_list(perm.get("assignees"))
    } - retained)
    if receiving:
        yield ("E-RETENTION-MISSING", "/content/retention",
               f"Add a retention entry covering {join_names(receiving)}.")
    transparency = as_dict(c.content.get("transparency"))
    noticed = {as_dict(n).get("org_id") for n in as_list(transparency.get("privacy_notice_urls"))}
    missing = sorted(str(p) for p in c.party_roles if p not in noticed)
    if missing:
        yield ("E-PRIVACY-NOTICE", "/content/transparency/privacy_notice_urls",
               f"Add a privacy notice link for {join_names(missing)}.")
    subjects = as_dict(c.content.get("data_subjects"))
    dpia = as_dict(c.content.get("dpia"))
    if subjects.get("children_included") is True and (
        not subjects.get("children_safeguards") or dpia.get("outcome") == "not_required"
    ):
        yield ("E-CHILDREN", "/content/data_subjects",
               "Children are included: describe the safeguards, and a DPIA is required.")
    if dpia.get("outcome") == "high_risk_residual_ico_consulted" and not dpia.get("ico_consultation_ref"):
        yield ("E-DPIA-ICO", "/content/dpia/ico_consultation_ref",
               "A residual high risk needs the reference of the ICO consultation (UK GDPR Art 36).")
    digest = as_dict(c.content.get("legal_text")).get("sha256")
    if ctx.legal_text_hashes is not None and digest not in ctx.legal_text_hashes:
        yield ("E-LEGAL-TEXT", "/content/legal_text/sha256",
               "No stored document has this hash: upload the signature copy first.")


def signatory_rules(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    """``E-SIGNATORY-MISSING``: checked at submission (T3) only."""
    designated = {as_dict(d).get("party") for d in as_list(c.document.get("signatory_designations"))}
    missing = sorted(str(p) for p in c.party_roles if p not in designated)
    if missing:
        yield ("E-SIGNATORY-MISSING", "/signatory_designations",
               f"Designate a signatory for {join_names(missing)}.")


# --------------------------------------------------------------------------- warnings


def lawful_basis_warnings(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    basis = as_dict(c.content.get("lawful_basis"))
    general = {as_dict(a).get("code") for a in as_list(basis.get("art6"))}
    exposed = []
    for party in c.parties:
        org = ctx.organisations.get(str(party.get("org_id")))
        override = as_dict(party.get("lawful_basis_override"))
        codes = {as_dict(a).get("code") for a in as_list(override.get("art6"))} if override else general
        if org is not None and org.type in _PUBLIC_AUTHORITY_TYPES and codes and codes <= {"A6-1-ea", "A6-1-f"}:
            exposed.append(org.id)
    if exposed:
        being = "is a public authority" if len(exposed) == 1 else "are public authorities"
        yield ("W-ART6-PUBLIC-AUTHORITY", "/content/lawful_basis/art6",
               f"{join_names(exposed)} {being} covered only by legitimate interests, (ea) or (f), which a "
               "public authority cannot rely on for its tasks.")
    paragraphs = [as_dict(x).get("dpa_sch1_para") for x in (*as_list(basis.get("art9")), *as_list(basis.get("art10")))]
    if any(isinstance(p, str) and p.startswith("S1-P2-") for p in paragraphs):
        documented = {as_dict(d).get("org_id") for d in
                      as_list(as_dict(c.content.get("transparency")).get("appropriate_policy_documents"))}
        missing = sorted(str(p) for p in c.party_roles if p not in documented)
        if missing:
            yield ("W-APD-MISSING", "/content/transparency/appropriate_policy_documents",
                   f"A Schedule 1 Part 2 condition is used; add an appropriate policy document for "
                   f"{join_names(missing)}.")


LEGAL_RULES: tuple[Rule, ...] = (lawful_basis_rules, time_rules, accountability_rules)
LEGAL_WARNINGS: tuple[Rule, ...] = (lawful_basis_warnings,)

__all__ = ["LEGAL_RULES", "LEGAL_WARNINGS", "duration_months_and_days", "signatory_rules"]
