"""The semantic rules of spec §7.1 about who takes part and what they may do with which data.

A JSON Schema cannot say "the supplier must be a party" or "an uploader may not be granted
export"; these checks do, each with the error code and JSON Pointer of the §7.1 table. The
lawful-basis, time and transparency rules are in ``legal_rules``, and the warnings that compare
a version with its template and with other agreements in ``content_warnings``. Rules read the document
defensively: a draft may be saved with schema errors, and a rule that cannot read what it needs
says nothing (the schema error already does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from boroughhub.agreements.registers import (
    load_dataset_register,
    load_example_organisations,
    load_purpose_register,
)
from boroughhub.agreements.snapshot import ROLE_CEILING, AgreementVersion, Dataset, Organisation, Purpose

Problem = tuple[str, str, str]
"""``(code, JSON Pointer, message)``; ``schema.FieldError`` is built from it."""


@dataclass(frozen=True, slots=True)
class ValidationContext:
    """The registers a version is checked against.

    ``legal_text_hashes``: the SHA-256 of every stored legal document; ``None`` skips
    ``E-LEGAL-TEXT`` (for example when checking a draft before its document is uploaded).
    ``other_versions``: the versions of other agreements (for example ``snapshot.versions``),
    whose prohibitions ``W-CROSS-PROHIBITION`` looks for; empty skips that warning.
    ``template_defaults``: the ``defaults`` of the template the version was created from (spec
    §1.3), for ``W-DEVIATES-FROM-TEMPLATE``; None skips that warning.
    """

    organisations: Mapping[str, Organisation]
    datasets: Mapping[str, Dataset]
    purposes: Mapping[str, Purpose]
    legal_text_hashes: frozenset[str] | None = None
    other_versions: tuple[AgreementVersion, ...] = ()
    template_defaults: Mapping[str, Any] | None = None

    @classmethod
    def from_registers(
        cls,
        organisations: list[Organisation],
        datasets: list[Dataset] | None = None,
        purposes: list[Purpose] | None = None,
        legal_text_hashes: frozenset[str] | None = None,
        other_versions: tuple[AgreementVersion, ...] = (),
        template_defaults: Mapping[str, Any] | None = None,
    ) -> ValidationContext:
        """Organisations from the database; datasets and purposes default to the shipped registers."""
        return cls(
            organisations={o.id: o for o in organisations},
            datasets={d.id: d for d in (datasets if datasets is not None else load_dataset_register())},
            purposes={p.code: p for p in (purposes if purposes is not None else load_purpose_register())},
            legal_text_hashes=legal_text_hashes,
            other_versions=other_versions,
            template_defaults=template_defaults,
        )

    @classmethod
    def example(cls) -> ValidationContext:
        """The example organisations of spec §1.1 with the shipped registers (demo and tests)."""
        return cls.from_registers(load_example_organisations())


def pointer(*parts: str | int) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def join_names(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: how the messages list things."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class Content:
    """Read-only views of one version's content that several rules need."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.content = as_dict(document.get("content"))
        self.parties = [as_dict(p) for p in as_list(self.content.get("parties"))]
        self.party_roles = {p.get("org_id"): p.get("role") for p in self.parties}
        self.datasets = [as_dict(d) for d in as_list(self.content.get("datasets"))]
        self.entries = {d.get("dataset_id"): d for d in self.datasets}
        self.permissions = [as_dict(p) for p in as_list(self.content.get("permissions"))]
        self.prohibitions = [as_dict(x) for x in as_list(self.content.get("prohibitions"))]
        self.purpose_codes = {as_dict(p).get("code") for p in as_list(self.content.get("purposes"))}

    def used_field_sets(self) -> set[tuple[str, str]]:
        return {(p.get("dataset"), p.get("field_set")) for p in self.permissions}  # type: ignore[misc]


Rule = Callable[[Content, ValidationContext], Iterator[Problem]]


# --------------------------------------------------------------------------- parties


def parties_rules(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, party in enumerate(c.parties):
        org_id = party.get("org_id")
        path = pointer("content", "parties", i, "org_id")
        org = ctx.organisations.get(org_id) if isinstance(org_id, str) else None
        if org is None:
            yield "E-PARTY-UNKNOWN", path, f"{org_id} is not a registered organisation."
        elif org.status != "active":
            yield "E-PARTY-UNKNOWN", path, f"{org_id} is closed and cannot join a new version."
        if org_id in seen:
            yield "E-PARTY-DUP", path, f"{org_id} is listed more than once."
        seen.add(str(org_id))
        processor_for = party.get("processor_for")
        pf_path = pointer("content", "parties", i, "processor_for")
        if party.get("role") == "processor":
            if not processor_for:
                yield "E-PROCESSOR-FOR", pf_path, f"Processor {org_id} must name the controllers it acts for."
            for controller in as_list(processor_for):
                if c.party_roles.get(controller) not in ("controller", "joint_controller"):
                    yield "E-PROCESSOR-FOR", pf_path, f"{controller} is not a controller in this version."
        elif processor_for is not None:
            yield "E-PROCESSOR-FOR", pf_path, "Only a processor names the controllers it acts for."
    roles = list(c.party_roles.values())
    agreement_type = c.content.get("agreement_type")
    if agreement_type == "jca_joint_controllers" and roles.count("joint_controller") < 2:
        yield ("E-TYPE-JCA", "/content/agreement_type",
               "A joint-controller agreement needs at least two joint controllers.")
    if agreement_type == "controller_processor" and "processor" not in roles:
        yield "E-TYPE-CPA", "/content/agreement_type", "A controller–processor agreement needs a processor."


# --------------------------------------------------------------------------- datasets


def datasets_rules(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, entry in enumerate(c.datasets):
        dataset_id = entry.get("dataset_id")
        path = pointer("content", "datasets", i)
        registered = ctx.datasets.get(dataset_id) if isinstance(dataset_id, str) else None
        if dataset_id in seen:
            yield "E-DATASET-DUP", path, f"{dataset_id} is listed more than once."
        seen.add(str(dataset_id))
        if registered is None:
            yield "E-DATASET-UNKNOWN", path, f"{dataset_id} is not in the dataset register."
            continue
        if registered.kind == "derived" and "suppliers" in entry:
            yield "E-KIND-MISMATCH", path, f"{dataset_id} is derived: name its controllers, not suppliers."
        if registered.kind == "source" and ("controllers" in entry or "derived_from" in entry):
            yield "E-KIND-MISMATCH", path, f"{dataset_id} is a source dataset: name its suppliers, not controllers."
        yield from _supplier_rules(c, entry, registered, i)
        for j, controller in enumerate(as_list(entry.get("controllers"))):
            if controller not in c.party_roles:
                yield ("E-CONTROLLER-NOT-PARTY", pointer("content", "datasets", i, "controllers", j),
                       f"Controller {controller} is not a party.")
        for j, source in enumerate(as_list(entry.get("derived_from"))):
            if source not in c.entries:
                yield ("E-DERIVED-INPUT", pointer("content", "datasets", i, "derived_from", j),
                       f"Input {source} is not a dataset of this version.")
        yield from _field_rules(entry, registered, i)


def _supplier_rules(c: Content, entry: dict[str, Any], registered: Dataset, i: int) -> Iterator[Problem]:
    for j, supplier in enumerate(as_list(entry.get("suppliers"))):
        path = pointer("content", "datasets", i, "suppliers", j)
        if supplier not in c.party_roles:
            yield "E-SUPPLIER-NOT-PARTY", path, f"Supplier {supplier} is not a party."
        elif c.party_roles[supplier] == "recipient":
            yield "E-RECIPIENT-SUPPLIER", path, f"{supplier} is a recipient and cannot supply data."
        if supplier not in registered.registered_suppliers:
            yield ("E-SUPPLIER-NOT-REGISTERED", path,
                   f"{supplier} is not a registered supplier of {registered.id}.")


def expected_field_flags(registered: Dataset, fields: set[str]) -> dict[str, Any]:
    """The ``field_flags`` snapshot the register implies for ``fields`` (spec §1.6)."""
    known = [registered.fields[f] for f in sorted(fields) if f in registered.fields]
    return {
        "special_category": {f.name: f.special_category for f in known if f.special_category},
        "criminal_offence": [f.name for f in known if f.criminal_offence],
        "direct_identifiers": [f.name for f in known if f.identifier == "direct"],
    }


def _field_rules(entry: dict[str, Any], registered: Dataset, i: int) -> Iterator[Problem]:
    used: set[str] = set()
    for name, members in as_dict(entry.get("field_sets")).items():
        for k, field_name in enumerate(as_list(members)):
            used.add(field_name)
            if field_name not in registered.fields:
                yield ("E-FIELD-UNKNOWN", pointer("content", "datasets", i, "field_sets", name, k),
                       f"{field_name} is not a field of {registered.id}.")
    flags = as_dict(entry.get("field_flags"))
    expected = expected_field_flags(registered, used)
    given = {
        "special_category": as_dict(flags.get("special_category")),
        "criminal_offence": sorted(as_list(flags.get("criminal_offence"))),
        "direct_identifiers": sorted(as_list(flags.get("direct_identifiers"))),
    }
    if "field_flags" in entry and given != expected:
        differing = [k for k in expected if given[k] != expected[k]]
        yield ("E-FLAGS-MISMATCH", pointer("content", "datasets", i, "field_flags"),
               f"The {join_names([d.replace('_', ' ') for d in differing])} flags differ from the dataset "
               f"register; the register says {expected}.")


# --------------------------------------------------------------------------- permissions, prohibitions


def permissions_rules(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, permission in enumerate(c.permissions):
        pid = permission.get("id")
        if pid in seen:
            yield "E-PERM-DUP-ID", pointer("content", "permissions", i, "id"), f"Permission id {pid} is used more than once."
        seen.add(str(pid))
        yield from _permission_references(c, permission, i)
        yield from _permission_against_dataset(c, ctx, permission, i)


def _permission_references(c: Content, permission: dict[str, Any], i: int) -> Iterator[Problem]:
    """Assignees are parties, purposes are the version's, roles' ceilings allow the actions."""
    actions = as_list(permission.get("actions"))
    for j, assignee in enumerate(as_list(permission.get("assignees"))):
        if assignee not in c.party_roles:
            yield ("E-PERM-ASSIGNEE-NOT-PARTY", pointer("content", "permissions", i, "assignees", j),
                   f"{assignee} is not a party.")
    for j, purpose in enumerate(as_list(permission.get("purposes"))):
        if purpose not in c.purpose_codes:
            yield ("E-PERM-PURPOSE", pointer("content", "permissions", i, "purposes", j),
                   f"{purpose} is not one of this version's purposes.")
    for j, role in enumerate(as_list(permission.get("roles"))):
        beyond = sorted(a for a in actions if a not in ROLE_CEILING.get(role, frozenset()))
        if beyond:
            yield ("E-PERM-ROLE-CEILING", pointer("content", "permissions", i, "roles", j),
                   f"The {role} role may never {join_names(beyond)} (spec §1.2).")


def _permission_against_dataset(
    c: Content, ctx: ValidationContext, permission: dict[str, Any], i: int
) -> Iterator[Problem]:
    """The dataset and field set exist; uploads, suppliers, cell sizes and exports fit the dataset."""
    def at(*parts: str | int) -> str:
        return pointer("content", "permissions", i, *parts)

    dataset_id = permission.get("dataset")
    entry = c.entries.get(dataset_id)
    if entry is None:
        yield "E-PERM-DATASET", at("dataset"), f"{dataset_id} is not a dataset of this version."
        return
    if permission.get("field_set") not in as_dict(entry.get("field_sets")):
        yield "E-PERM-FIELDSET", at("field_set"), f"{dataset_id} has no field set called {permission.get('field_set')}."
    registered = ctx.datasets.get(str(dataset_id))
    if registered is None:
        return
    actions = as_list(permission.get("actions"))
    entry_suppliers = set(as_list(entry.get("suppliers")))
    if "upload" in actions and registered.kind == "derived":
        yield ("E-PERM-UPLOAD-DERIVED", at("actions", actions.index("upload")),
               f"{dataset_id} is derived; only hub jobs write it.")
    elif "upload" in actions:
        for j, assignee in enumerate(as_list(permission.get("assignees"))):
            if assignee not in entry_suppliers:
                yield ("E-PERM-UPLOAD-SUPPLIER", at("assignees", j),
                       f"{assignee} is not a supplier of {dataset_id} in this version.")
    suppliers = permission.get("suppliers")
    if suppliers is not None and not set(as_list(suppliers)) <= entry_suppliers:
        yield "E-PERM-SUPPLIERS", at("suppliers"), f"Not all of these supply {dataset_id} in this version."
    yield from _processor_scope(c, permission, entry, at)
    aggregate_output = "view_aggregate" in actions or ("export" in actions and registered.aggregate)
    if aggregate_output and permission.get("min_cell_size") is None:
        yield "E-PERM-CELL-REQUIRED", at(), "Set a minimum cell size for aggregate output."
    if not aggregate_output and permission.get("min_cell_size") is not None:
        yield "E-PERM-CELL-NOT-APPLICABLE", at(), "A minimum cell size applies only to aggregate output."
    record_level_allowed = as_dict(c.content.get("onward_sharing")).get("record_level_allowed", True)
    if "export" in actions and not registered.aggregate and record_level_allowed is False:
        yield ("E-ONWARD-EXPORT", at("actions"),
               f"Record-level onward sharing is not allowed, so {dataset_id} cannot be exported.")


def _processor_scope(
    c: Content, permission: dict[str, Any], entry: dict[str, Any], at: Callable[..., str]
) -> Iterator[Problem]:
    """A processor may be an assignee only on data supplied or controlled by its controllers."""
    processors = {
        p.get("org_id"): set(as_list(p.get("processor_for"))) for p in c.parties if p.get("role") == "processor"
    }
    owners = set(as_list(permission.get("suppliers")) or as_list(entry.get("suppliers"))
                 or as_list(entry.get("controllers")))
    for j, assignee in enumerate(as_list(permission.get("assignees"))):
        if assignee in processors and not owners <= processors[assignee]:
            yield ("E-PERM-PROCESSOR-SCOPE", at("assignees", j),
                   f"Processor {assignee} would see data of {join_names(sorted(owners - processors[assignee]))},"
                   " which it does not process.")


def prohibitions_rules(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    for i, prohibition in enumerate(c.prohibitions):
        for j, assignee in enumerate(as_list(prohibition.get("assignees"))):
            if assignee != "*" and assignee not in c.party_roles:
                yield ("E-PROHIB-ASSIGNEE", pointer("content", "prohibitions", i, "assignees", j),
                       f"{assignee} is not a party.")
        for j, dataset_id in enumerate(as_list(prohibition.get("datasets"))):
            if dataset_id != "*" and dataset_id not in c.entries:
                yield ("E-PROHIB-DATASET", pointer("content", "prohibitions", i, "datasets", j),
                       f"{dataset_id} is not a dataset of this version.")


def purposes_rules(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, purpose in enumerate(as_list(c.content.get("purposes"))):
        code = as_dict(purpose).get("code")
        path = pointer("content", "purposes", i, "code")
        if code not in ctx.purposes:
            yield "E-PURPOSE-UNKNOWN", path, f"{code} is not in the purpose register."
        if code in seen:
            yield "E-PURPOSE-DUP", path, f"{code} is listed more than once."
        seen.add(str(code))


SHARING_RULES: tuple[Rule, ...] = (
    parties_rules, purposes_rules, datasets_rules, permissions_rules, prohibitions_rules,
)


def semantic_problems(
    document: Mapping[str, Any], context: ValidationContext, *, for_submission: bool = False
) -> tuple[list[Problem], list[Problem]]:
    """Every §7.1 semantic error and warning of ``document``: ``(errors, warnings)``."""
    from boroughhub.agreements.accession_rules import accession_rules
    from boroughhub.agreements.content_warnings import SHARING_WARNINGS
    from boroughhub.agreements.legal_rules import LEGAL_RULES, LEGAL_WARNINGS, signatory_rules

    c = Content(document if isinstance(document, Mapping) else {})
    errors: list[Problem] = []
    warnings: list[Problem] = []
    rules = SHARING_RULES + (accession_rules,) + LEGAL_RULES + ((signatory_rules,) if for_submission else ())
    for rule in rules:
        errors.extend(_run(rule, c, context))
    for rule in SHARING_WARNINGS + LEGAL_WARNINGS:
        warnings.extend(_run(rule, c, context))
    return errors, warnings


def _run(rule: Rule, c: Content, context: ValidationContext) -> list[Problem]:
    try:
        return list(rule(c, context))
    except (AttributeError, KeyError, TypeError, ValueError):
        return []  # unreadable structure: the schema errors already describe it
