"""The words and codes of the resident view, shared by its pages, its command and its agreement.

Plain data. The four tiers a worker moves through each ask ``decide()`` for their own fields of the
``involvement`` dataset, so an agreement can grant search without detail, and every tier is its own
decision entry in the audit log.
"""

from __future__ import annotations

from enum import StrEnum

#: Care Act 2014 s42 enquiries and care coordination (agreements spec §1.7).
SAFEGUARDING = "bhp:safeguarding-adults"
#: Who is involved with a resident: one row per service involvement, from every source that shares it.
INVOLVEMENT_DATASET = "involvement"
#: Adult social care client-level data (the national ASC CLD return, release 1).
ASC_CLD_DATASET = "asc_cld"
#: The field set of the agreement a frontline worker's permission names.
INVOLVEMENT_FIELD_SET = "involvement"


class Tier(StrEnum):
    SEARCH = "search"
    FLAGS = "flags"
    DETAIL = "detail"
    ADDRESSES = "addresses"
    BREAK_GLASS = "break_glass"

    @property
    def label(self) -> str:
        return TIER_LABELS[self]


TIER_LABELS = {
    Tier.SEARCH: "Searched and saw results",
    Tier.FLAGS: "Viewed which services are involved",
    Tier.DETAIL: "Viewed a service's involvement and contact",
    Tier.ADDRESSES: "Viewed known addresses",
    Tier.BREAK_GLASS: "Used break-glass",
}

#: The fields each tier reads; each is a subset of the agreement's ``involvement`` field set.
TIER_FIELDS: dict[Tier, frozenset[str]] = {
    Tier.SEARCH: frozenset({"last_name", "first_name", "date_of_birth"}),
    Tier.FLAGS: frozenset({"source", "service", "start_date", "end_date"}),
    Tier.DETAIL: frozenset({"service", "team_name", "key_worker_name", "key_worker_phone", "key_worker_email",
                            "start_date", "end_date"}),
    Tier.ADDRESSES: frozenset({"address", "postcode", "address_from", "address_to"}),
}
TIER_FIELDS[Tier.BREAK_GLASS] = TIER_FIELDS[Tier.SEARCH]

#: Every field of the ``involvement`` dataset (the register entry and the agreement's field set).
INVOLVEMENT_FIELDS: tuple[str, ...] = (
    "resident_id", "source", "record_key", "last_name", "first_name", "date_of_birth", "service", "team_code",
    "team_name", "key_worker_name", "key_worker_phone", "key_worker_email", "start_date", "end_date", "address",
    "postcode", "address_from", "address_to",
)
DIRECT_IDENTIFIERS = ("last_name", "first_name", "date_of_birth", "address", "postcode", "key_worker_name",
                      "key_worker_phone", "key_worker_email")

#: The services a resident can be known to, in the order the flags are shown.
SERVICES: dict[str, str] = {
    "asc_cld": "Adult social care",
    "hclic": "Housing: homelessness (H-CLIC)",
    "chain": "Rough sleeping outreach (CHAIN)",
    "inform": "Hostels and supported housing (InForm)",
}

#: What the flags say. "None known" is worded as Family Context's users asked: the hub knows only the
#: sources shared with it, so it never says a service is "not involved".
CURRENT = "Current"
PAST = "Past"
NONE_KNOWN = "No record found in the sources shared with the hub"

#: How long a break-glass opening lasts.
BREAK_GLASS_HOURS = 4
