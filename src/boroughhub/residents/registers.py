"""The resident view's entries in the hub's dataset register (agreements spec §1.6): ``involvement``
and ``asc_cld``. Plain data; the room's migration adds them to the register table."""

from __future__ import annotations

from typing import Any

from boroughhub.sources import ASC_CLD_COLUMNS as ASC_COLUMNS

from .vocabulary import ASC_CLD_DATASET, DIRECT_IDENTIFIERS, INVOLVEMENT_DATASET, INVOLVEMENT_FIELDS

BOROUGH_AND_PARTNER_SUPPLIERS = ["camden", "gla", "hillingdon", "lambeth", "provider-a", "provider-b", "westminster"]

LABELS = {
    "resident_id": "The hub's identifier of the resident (linked across sources)",
    "source": "Which source the involvement comes from (asc_cld, hclic, chain, inform)",
    "key_worker_email": "The key worker's secure email address",
    "address_from": "First date the source knew this address", "address_to": "Last date at this address",
    "primary_support_reason": "ASC CLD primary support reason", "nhs_number": "NHS number",
}


def _field(name: str) -> dict[str, Any]:
    if name in DIRECT_IDENTIFIERS or name in ("nhs_number", "first_name", "last_name"):
        identifier = "direct"
    elif name in ("resident_id", "record_key", "person_id", "event_id", "start_date", "end_date", "event_start",
                  "event_end", "address_from", "address_to", "team_code"):
        identifier = "indirect"
    else:
        identifier = "none"
    special = "health" if name in ("primary_support_reason", "service_type") else None
    kind = "date" if ("date" in name or name in ("event_start", "event_end", "address_from", "address_to")) else "text(200)"
    return {"name": name, "label": LABELS.get(name, name.replace("_", " ")), "type": kind,
            "special_category": special, "criminal_offence": False, "identifier": identifier}


def dataset_register_entries() -> list[dict[str, Any]]:
    return [
        {"id": INVOLVEMENT_DATASET, "title": "Who else is involved (service involvements)", "kind": "source",
         "aggregate": False, "registered_suppliers": BOROUGH_AND_PARTNER_SUPPLIERS,
         "fields": [_field(name) for name in INVOLVEMENT_FIELDS]},
        {"id": ASC_CLD_DATASET, "title": "Adult social care client level data (ASC CLD)", "kind": "source",
         "aggregate": False, "registered_suppliers": ["lambeth", "westminster"],
         "fields": [_field(name) for name in ASC_COLUMNS]},
    ]
