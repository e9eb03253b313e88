"""Export of an agreement version as an ODRL 2.2 Agreement in JSON-LD (spec §5.2, §5.3).

Our JSON is the source of truth (§5.1); this export is for transparency and interchange (a
party's own catalogue, an ISG record), never for enforcement elsewhere. It carries the content
hash as ``dct:identifier`` so a reader can check the signatures against our JSON.

Shape, as in spec Appendix B: one ``@graph`` holding the policy first, then each distinct
constraint once (referred to by IRI, ``#c/...``), the asset collections (prohibition targets,
datasets, field sets, fields) and the parties and party collections. One ``Permission`` per
permission × action × assignee, one ``Prohibition`` per prohibition × action (× assignee when
assignees are named), so every rule has exactly one assigner, assignee, action and target.
``inline_constraints=True`` copies the constraints into every rule instead (``?constraints=inline``).

Parties that joined by accession (docs/agreements-accession.md) are parties like the others, with
``bh:joinedAt`` and ``bh:accessionProfile`` on their party node; their rules are their profile's
permissions, each with the constraint ``dateTime gteq`` their accession time (``#c/joined-ORG``).
Withdrawn parties' rules end at their withdrawal, and uploads carry the cohort rules (``odrl_limits``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from boroughhub.agreements.accession import Accession, JoinedParty, accession_profiles, joined_parties
from boroughhub.agreements.odrl_limits import (
    WithdrawnParty,
    bound_withdrawn_rules,
    limit_uploads_to_cohorts,
    withdrawal_properties,
    withdrawn_parties,
)
from boroughhub.agreements.snapshot import Dataset, Organisation
from boroughhub.agreements.vocabulary import format_instant

BASE_IRI = "https://w3id.org/boroughhub/agreement/"
PROFILE_IRI = "https://w3id.org/boroughhub/odrl-profile/1.0"
ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld"
MEDIA_TYPE = "application/ld+json"

PREFIXES: Mapping[str, str] = {
    "bh": "https://w3id.org/boroughhub/odrl#",
    "bhp": "https://w3id.org/boroughhub/purpose#",
    "bho": "https://w3id.org/boroughhub/org/",
    "bhd": "https://w3id.org/boroughhub/dataset/",
    "bha": "https://w3id.org/boroughhub/agreement/",
    "dpv": "https://w3id.org/dpv#",
    "dpv-pd": "https://w3id.org/dpv/pd#",
    "dpv-pubsvc": "https://w3id.org/dpv/sector/publicservices#",
    "dpv-law": "https://w3id.org/dpv/sector/law#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "bhl": "https://w3id.org/boroughhub/legal#",
    "dct": "http://purl.org/dc/terms/",
}

#: Our actions as terms of the boroughhub profile (§5.3).
ACTION_TERMS: Mapping[str, str] = {
    "upload": "bh:upload",
    "link": "bh:link",
    "view_aggregate": "bh:viewAggregate",
    "view_record": "bh:viewRecord",
    "view_unrounded": "bh:viewUnrounded",
    "export": "bh:export",
}
ROLE_TERMS: Mapping[str, str] = {
    "uploader": "bh:uploader",
    "analyst": "bh:analyst",
    "frontline_worker": "bh:frontlineWorker",
    "data_manager": "bh:dataManager",
}
#: Special categories as DPV personal-data categories.
SPECIAL_CATEGORY_TERMS: Mapping[str, str] = {
    "racial_or_ethnic_origin": "dpv-pd:EthnicOrigin",
    "political_opinions": "dpv-pd:PoliticalOpinion",
    "religious_or_philosophical_beliefs": "dpv-pd:Religion",
    "trade_union_membership": "dpv-pd:TradeUnionMembership",
    "genetic": "dpv-pd:Genetic",
    "biometric": "dpv-pd:Biometric",
    "health": "dpv-pd:Health",
    "sex_life_or_sexual_orientation": "dpv-pd:SexualOrientation",
}


def policy_uid(agreement_id: str, version: int) -> str:
    return f"{BASE_IRI}{agreement_id}/v{version}"


def legal_basis_terms(lawful_basis: Mapping[str, Any]) -> list[str]:
    """``dpv:hasLegalBasis`` values: UK GDPR articles as ``eu-gdpr:`` (closest DPV match), DPA 2018
    paragraphs and legal powers as ``bhl:``. A6-1-ea has no DPV term and becomes ``bhl:ukgdpr-A6-1-ea``."""
    terms: list[str] = []

    def paragraph(code: str) -> str:  # "S1-P2-6" -> "bhl:dpa2018-sch1-para6"
        return "bhl:dpa2018-sch1-para" + code.rsplit("-", 1)[1]

    for entry in lawful_basis.get("art6", ()):
        code = entry["code"]
        terms.append("bhl:ukgdpr-A6-1-ea" if code == "A6-1-ea" else f"eu-gdpr:{code}")
    terms.extend(f"eu-gdpr:{entry['condition']}" for entry in lawful_basis.get("art9", ()))
    terms.extend(paragraph(e["dpa_sch1_para"]) for e in lawful_basis.get("art9", ()) if e.get("dpa_sch1_para"))
    for entry in lawful_basis.get("art10", ()):
        if entry.get("dpa_sch1_para"):
            terms.append(paragraph(entry["dpa_sch1_para"]))
        elif entry.get("basis") == "official_authority":
            terms.append("bhl:ukgdpr-A10-official-authority")
    part3 = lawful_basis.get("dpa_part3")
    if part3:
        terms.append(f"bhl:dpa2018-{part3['s35_basis']}")
        terms.extend(f"bhl:dpa2018-sch8-para{p.split('-')[1]}" for p in part3.get("sch8_paras", ()))
    terms.extend(f"bhl:{power}" for power in sorted(lawful_basis.get("legal_powers", ())))
    return list(dict.fromkeys(terms))


class _Constraints:
    """Each distinct constraint once, named as in Appendix B (``#c/from``, ``#c/purpose-1``…)."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self._purpose_sets: dict[tuple[str, ...], str] = {}

    def add(self, uid: str, left: str, operator: str, right: Any) -> str:
        self.nodes.setdefault(uid, {"uid": uid, "@type": "Constraint", "leftOperand": left,
                                    "operator": operator, "rightOperand": right})
        return uid

    def purposes(self, codes: Iterable[str]) -> str:
        key = tuple(codes)
        if key not in self._purpose_sets:
            self._purpose_sets[key] = f"#c/purpose-{len(self._purpose_sets) + 1}"
        return self.add(self._purpose_sets[key], "purpose", "isAnyOf", [{"@id": c} for c in key])

    def instant(self, uid: str, operator: str, value: str) -> str:
        return self.add(uid, "dateTime", operator, {"@value": value, "@type": "xsd:dateTime"})

    def roles(self, roles: Iterable[str]) -> str:
        roles = list(roles)
        return self.add("#c/role-" + "-".join(roles), "bh:userRole", "isAnyOf",
                        [{"@id": ROLE_TERMS[r]} for r in roles])

    def min_cell(self, n: int) -> str:
        return self.add(f"#c/min-cell-{n}", "bh:smallestCellCount", "gteq", {"@value": n, "@type": "xsd:integer"})


def export_odrl(
    document: Mapping[str, Any],
    organisations: Mapping[str, Organisation],
    datasets: Mapping[str, Dataset],
    *,
    inline_constraints: bool = False,
) -> dict[str, Any]:
    """The ODRL 2.2 JSON-LD of one version document (content plus envelope, spec Appendix A).

    ``organisations`` give party titles and ONS codes; ``datasets`` (the register) give dataset
    titles and which datasets are aggregate. Unknown ones are exported with their ids only.
    """
    agreement_id, version = document["agreement_id"], int(document["version"])
    content = document["content"]
    uid = policy_uid(agreement_id, version)
    joined = _joined(document)
    entries = {e["dataset_id"]: _with_acceded_suppliers(e, joined) for e in content["datasets"]}
    constraints = _Constraints()
    collections: dict[str, set[str]] = {"#parties": {p["org_id"] for p in content["parties"]} | set(joined)}

    permissions = [
        rule
        for permission in content["permissions"]
        for rule in _permission_rules(permission, entries, content["time"], constraints, collections)
    ]
    by_id = {p["id"]: p for p in content["permissions"]}
    for org, party in sorted(joined.items()):
        since = constraints.instant(f"#c/joined-{org}", "gteq", format_instant(party.since))
        for pid in party.profile.permissions:
            if pid in by_id:
                for rule in _permission_rules({**by_id[pid], "assignees": [org]}, entries, content["time"],
                                              constraints, collections):
                    rule["constraint"].append(since)
                    permissions.append(rule)
    withdrawn = withdrawn_parties(document)
    bound_withdrawn_rules(permissions, withdrawn, constraints.add)
    limit_uploads_to_cohorts(permissions, content, constraints.add)
    prohibitions, targets = _prohibition_rules(content, datasets, constraints)
    policy: dict[str, Any] = {
        "uid": uid,
        "@type": "Agreement",
        "profile": PROFILE_IRI,
        "conflict": "prohibit",
        "dct:title": content["title"],
        "dct:identifier": document.get("content_hash"),
        "dct:isVersionOf": {"@id": f"bha:{agreement_id}"},
        "dpv:hasPurpose": [{"@id": p["code"]} for p in content["purposes"]],
        "dpv:hasLegalBasis": [{"@id": term} for term in legal_basis_terms(content["lawful_basis"])],
        "permission": permissions,
        "prohibition": prohibitions,
    }
    graph: list[dict[str, Any]] = [policy]
    if inline_constraints:
        for rule in permissions + prohibitions:
            if "constraint" in rule:
                rule["constraint"] = [_inline(constraints.nodes[ref]) for ref in rule["constraint"]]
    else:
        graph.extend(constraints.nodes[key] for key in sorted(constraints.nodes))
    graph.extend(_asset_nodes(content, datasets, targets))
    graph.extend(_party_nodes(content, organisations, collections, joined, withdrawn))
    return {"@context": [ODRL_CONTEXT, {**PREFIXES, "@base": uid}], "@graph": graph}


def _joined(document: Mapping[str, Any]) -> dict[str, JoinedParty]:
    content = document["content"]
    return joined_parties(tuple(p["org_id"] for p in content["parties"]), document.get("content_hash") or "",
                          accession_profiles(content),
                          tuple(Accession.from_dict(a) for a in document.get("accessions", ())))


def _with_acceded_suppliers(entry: Mapping[str, Any], joined: Mapping[str, JoinedParty]) -> Mapping[str, Any]:
    """A dataset entry whose suppliers include the parties that joined to supply it."""
    extra = sorted(org for org, party in joined.items() if entry["dataset_id"] in party.profile.supplies)
    return {**entry, "suppliers": sorted({*entry.get("suppliers", ()), *extra})} if extra else entry


def _inline(node: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k not in ("uid", "@type")}


def _permission_rules(
    permission: Mapping[str, Any],
    entries: Mapping[str, Mapping[str, Any]],
    window: Mapping[str, str],
    constraints: _Constraints,
    collections: dict[str, set[str]],
) -> list[dict[str, Any]]:
    dataset_id, pid = permission["dataset"], permission["id"]
    entry = entries.get(dataset_id, {})
    refs = [constraints.purposes(permission["purposes"])]
    if "valid_from" in permission:
        refs.append(constraints.instant(f"#c/from-{pid}", "gteq", permission["valid_from"]))
    else:
        refs.append(constraints.instant("#c/from", "gteq", window["effective_from"]))
    if "valid_until" in permission:
        refs.append(constraints.instant(f"#c/until-{pid}", "lt", permission["valid_until"]))
    else:
        refs.append(constraints.instant("#c/until", "lt", window["expires_at"]))
    refs.append(constraints.roles(permission["roles"]))
    if permission.get("min_cell_size") is not None:
        refs.append(constraints.min_cell(permission["min_cell_size"]))

    rules = []
    for action in permission["actions"]:
        assigner = _assigner(action, permission, entry, collections)
        for assignee in permission["assignees"]:
            rules.append({
                "uid": f"#{pid}/{assignee}/{action}",
                "target": f"#fs/{dataset_id}/{permission['field_set']}",
                "assigner": assigner,
                "assignee": f"bho:{assignee}",
                "action": ACTION_TERMS[action],
                "constraint": list(refs),
            })
    return rules


def _assigner(action: str, permission: Mapping[str, Any], entry: Mapping[str, Any],
              collections: dict[str, set[str]]) -> str:
    """Who grants the rule (spec §5.2): all parties for uploads, else the data's suppliers or controllers."""
    if action == "upload":
        return "#parties"
    dataset_id = permission["dataset"]
    if "controllers" in entry:
        collections[f"#controllers/{dataset_id}"] = set(entry["controllers"])
        return f"#controllers/{dataset_id}"
    suppliers = list(permission.get("suppliers") or entry.get("suppliers", ()))
    if len(suppliers) == 1:
        return f"bho:{suppliers[0]}"
    name = f"#suppliers/{dataset_id}" if "suppliers" not in permission else f"#suppliers/{dataset_id}/{permission['id']}"
    collections[name] = set(suppliers)
    return name


def _prohibition_rules(
    content: Mapping[str, Any], datasets: Mapping[str, Dataset], constraints: _Constraints
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Prohibition rules, and the asset collections they target: collection uid -> dataset ids."""
    version_datasets = [e["dataset_id"] for e in content["datasets"]]
    rules: list[dict[str, Any]] = []
    targets: dict[str, list[str]] = {}
    for prohibition in content.get("prohibitions", ()):
        xid = prohibition["id"]
        covered = version_datasets if "*" in prohibition["datasets"] else list(prohibition["datasets"])
        targets[f"#x/{xid}"] = covered
        assignees = [None] if "*" in prohibition["assignees"] else list(prohibition["assignees"])
        refs = [constraints.purposes(prohibition["purposes"])] if prohibition.get("purposes") else []
        for action in prohibition["actions"]:
            for assignee in assignees:
                rule: dict[str, Any] = {
                    "uid": f"#{xid}/{action}" if assignee is None else f"#{xid}/{assignee}/{action}",
                    "target": f"#x/{xid}",
                    "assigner": "#parties",
                    "assignee": "#parties" if assignee is None else f"bho:{assignee}",
                    "action": ACTION_TERMS[action],
                }
                if refs:
                    rule["constraint"] = list(refs)
                rules.append(rule)
    if content.get("onward_sharing", {}).get("record_level_allowed") is False:
        targets["#record-level"] = [
            d for d in version_datasets if d not in datasets or not datasets[d].aggregate
        ]
        rules.append({"uid": "#onward-sharing/distribute", "target": "#record-level", "assigner": "#parties",
                      "assignee": "#parties", "action": "distribute"})
    return rules, targets


def _asset_nodes(
    content: Mapping[str, Any], datasets: Mapping[str, Dataset], targets: Mapping[str, list[str]]
) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for uid in targets:
        description = ("Record-level datasets in this agreement" if uid == "#record-level"
                       else f"Datasets covered by {uid.removeprefix('#x/')}")
        nodes.append({"uid": uid, "@type": "AssetCollection", "dct:description": description})
    for entry in sorted(content["datasets"], key=lambda e: e["dataset_id"]):
        dataset_id = entry["dataset_id"]
        node: dict[str, Any] = {"uid": f"bhd:{dataset_id}", "@type": "AssetCollection",
                                "dct:title": datasets[dataset_id].title if dataset_id in datasets else dataset_id}
        part_of = [uid for uid, covered in targets.items() if dataset_id in covered]
        if part_of:
            node["partOf"] = part_of
        nodes.append(node)
    fields: dict[str, dict[str, Any]] = {}
    for entry in content["datasets"]:
        dataset_id = entry["dataset_id"]
        special = entry.get("field_flags", {}).get("special_category", {})
        for name, members in entry["field_sets"].items():
            set_uid = f"#fs/{dataset_id}/{name}"
            nodes.append({"uid": set_uid, "@type": "AssetCollection", "dct:isPartOf": {"@id": f"bhd:{dataset_id}"}})
            for field in members:
                field_node = fields.setdefault(f"bhd:{dataset_id}/{field}", {"uid": f"bhd:{dataset_id}/{field}",
                                                                              "partOf": []})
                field_node["partOf"].append(set_uid)
                if field in special:
                    field_node["@type"] = "dpv:SpecialCategoryPersonalData"
                    field_node["dct:subject"] = {"@id": SPECIAL_CATEGORY_TERMS[special[field]]}
    for uid in sorted(fields):
        node = fields[uid]
        if len(node["partOf"]) == 1:
            node["partOf"] = node["partOf"][0]
        nodes.append(node)
    return nodes


def _party_nodes(
    content: Mapping[str, Any], organisations: Mapping[str, Organisation], collections: Mapping[str, set[str]],
    joined: Mapping[str, JoinedParty], withdrawn: Mapping[str, WithdrawnParty],
) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = [{"uid": uid, "@type": "PartyCollection"} for uid in sorted(collections)]
    for org_id in sorted({p["org_id"] for p in content["parties"]} | set(joined)):
        org = organisations.get(org_id)
        node: dict[str, Any] = {"uid": f"bho:{org_id}", "@type": "Party", "dct:title": org.name if org else org_id,
                                "partOf": sorted(uid for uid, members in collections.items() if org_id in members)}
        if org is not None and org.type == "borough" and org.ons_code:
            node["dct:identifier"] = org.ons_code
        if org_id in joined:
            node["bh:joinedAt"] = {"@value": format_instant(joined[org_id].since), "@type": "xsd:dateTime"}
            node["bh:accessionProfile"] = joined[org_id].profile.id
        if org_id in withdrawn:
            node.update(withdrawal_properties(withdrawn[org_id]))
        nodes.append(node)
    return nodes
