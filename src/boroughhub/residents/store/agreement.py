"""The demo's safeguarding agreement: Lambeth, Westminster and the GLA (for its commissioned outreach)
let each other's frontline workers see who else is involved with an adult in their care.

Built from the pilot agreement's content (same parties' notices, security measures and clauses) with its
own purpose, data subjects (adults only: the age rule the resident view applies), datasets and one
``view_record`` permission on the ``involvement`` field set for frontline workers.
"""

from __future__ import annotations

from typing import Any

from boroughhub.residents.registers import dataset_register_entries
from boroughhub.residents.vocabulary import (
    ASC_CLD_DATASET,
    INVOLVEMENT_DATASET,
    INVOLVEMENT_FIELD_SET,
    INVOLVEMENT_FIELDS,
    SAFEGUARDING,
)
from boroughhub.sources import ASC_CLD_COLUMNS as ASC_COLUMNS

AGREEMENT_ID = "dsa-safeguarding-adults"
LEAD_PARTY = "lambeth"
PARTIES = ("gla", "lambeth", "westminster")
VIEW_PERMISSION = "P-SAFE-INVOLVEMENT"


def _flags_of(dataset_id: str) -> dict[str, Any]:
    """The agreement's field flags, exactly as the dataset register marks the fields (E-FLAGS-MISMATCH)."""
    fields = next(d["fields"] for d in dataset_register_entries() if d["id"] == dataset_id)
    return {"special_category": {f["name"]: f["special_category"] for f in fields if f["special_category"]},
            "criminal_offence": [], "direct_identifiers": sorted(f["name"] for f in fields if f["identifier"] == "direct")}


def _dataset(dataset_id: str, suppliers: list[str], fields: tuple[str, ...], sets: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "dataset_id": dataset_id, "suppliers": suppliers, "flow": {"method": "sftp_upload", "frequency": "daily"},
        "hub_retention": {"period": "P24M", "from": "upload", "deletion": "crypto_erase_and_purge"},
        "field_sets": {"upload": sorted(fields), **sets},
        "field_flags": _flags_of(dataset_id),
    }


def safeguarding_content(base: dict[str, Any]) -> dict[str, Any]:
    """The agreement's content, from the pilot agreement's ``base`` content (its term follows the demo's day)."""
    content = {key: value for key, value in base.items() if key not in ("template", "accession")}
    content.update(
        title="Who else is involved: safeguarding and care coordination for adults",
        summary=("Lambeth, Westminster and the GLA's commissioned outreach let frontline workers see which other "
                 "services are involved with an adult on their own open case, with the other practitioner's contact "
                 "details; not the other services' records. Break-glass access without a relationship is audited "
                 "and alerts every supplying party's privacy officer."),
        agreement_type="jca_joint_controllers",
    )
    content["parties"] = [{"org_id": org, "role": "joint_controller", "accountable_officer": "SIRO"} for org in PARTIES]
    content["purposes"] = [{
        "code": SAFEGUARDING,
        "text": ("To safeguard adults with care and support needs and coordinate their care: a frontline worker sees, "
                 "for a resident on their own open case, which other services are involved and how to reach the "
                 "practitioner."),
        "statutory_functions": [f for f in base["purposes"][0]["statutory_functions"] if f in ("ha1996-pt7", "homa2002-s1", "la2011-s1")],
        "necessity": "Workers otherwise phone round services one by one; delays put adults at risk.",
        "benefits": "Faster coordination between adult social care, housing and outreach.",
    }]
    content["data_subjects"] = {
        "description": "Adults known to adult social care, homelessness services or rough sleeping outreach in the parties' areas.",
        "inclusion_rules": ("ASC CLD: people with a request, assessment, service or review event. H-CLIC: main "
                            "applicants. CHAIN: people seen by commissioned outreach."),
        "exclusion_rules": "Anyone under 18 on the day of access: children's services share under their own agreement.",
        "min_age_years": 18, "children_included": False,
    }
    involvement_sets = {INVOLVEMENT_FIELD_SET: sorted(f for f in INVOLVEMENT_FIELDS if f not in ("team_code",))}
    content["datasets"] = [
        _dataset(INVOLVEMENT_DATASET, list(PARTIES), INVOLVEMENT_FIELDS, involvement_sets),
        _dataset(ASC_CLD_DATASET, ["lambeth", "westminster"], ASC_COLUMNS, {}),
    ]
    content["permissions"] = [
        {"id": "P-SAFE-UP-INVOLVEMENT", "assignees": list(PARTIES), "dataset": INVOLVEMENT_DATASET,
         "actions": ["upload"], "field_set": "upload", "purposes": [SAFEGUARDING], "roles": ["uploader"]},
        {"id": "P-SAFE-UP-ASC", "assignees": ["lambeth", "westminster"], "dataset": ASC_CLD_DATASET,
         "actions": ["upload"], "field_set": "upload", "purposes": [SAFEGUARDING], "roles": ["uploader"]},
        {"id": VIEW_PERMISSION, "assignees": list(PARTIES), "dataset": INVOLVEMENT_DATASET,
         "actions": ["view_record"], "field_set": INVOLVEMENT_FIELD_SET, "purposes": [SAFEGUARDING],
         "roles": ["frontline_worker"]},
    ]
    content["prohibitions"] = [{
        "id": "X-NO-INVOLVEMENT-EXPORT", "assignees": ["*"], "datasets": [INVOLVEMENT_DATASET, ASC_CLD_DATASET],
        "actions": ["export"], "reason": "Workers see involvements on screen only; nothing is downloaded.",
    }]
    content["retention"] = [{"parties": list(PARTIES), "applies_to": "nothing leaves the hub", "period": "P1M",
                             "from": "creation", "deletion": "No record-level data is received by the parties."}]
    content["onward_sharing"] = {"record_level_allowed": False, "aggregate_publication_allowed": False,
                                 "conditions": "No onward sharing."}
    transparency = dict(content["transparency"])
    transparency["privacy_notice_urls"] = [u for u in transparency["privacy_notice_urls"] if u["org_id"] in PARTIES]
    transparency["appropriate_policy_documents"] = [
        d for d in transparency.get("appropriate_policy_documents", []) if d["org_id"] in PARTIES]
    content["transparency"] = transparency
    content["dpo_advice"] = [{"org_id": "lambeth", "summary": "Only relationships derived from open cases; break-glass alerted.",
                              "response": "Adopted.", "date": "2026-01-15"}]
    content["audit_requirements"] = {"log": ["decision", "access"], "reviewers": ["privacy_officer"],
                                     "sampling": {"record_accesses_per_month": 20}, "break_glass": {"allowed": False}}
    content["legal_text"] = {**content["legal_text"], "title": "Safeguarding adults: who else is involved (signature copy)"}
    return content
