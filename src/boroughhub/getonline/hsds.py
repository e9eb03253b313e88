"""The public feed of approved hubs in the Open Referral UK shape (HSDS 3 as profiled for the UK): one
service per hub, with its organisation, location and address, opening times, the borough it serves,
and what it offers as taxonomy terms, so directories and council service finders can pick hubs up.
Plain data in, plain JSON out; only what the public page already shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import NAMESPACE_URL, uuid5

OFFERS = {"devices": "A refurbished laptop, tablet or phone", "data": "A SIM card or data voucher",
          "skills": "Basic digital skills courses"}
BASE = "https://w3id.org/boroughhub/get-online"


@dataclass(frozen=True)
class PublicHub:
    id: int
    name: str
    organisation: str
    address: str
    postcode: str
    borough_code: str
    borough: str
    opening_times: str
    offers: tuple[str, ...]
    email: str


def _id(kind: str, hub: PublicHub) -> str:
    return str(uuid5(NAMESPACE_URL, f"{BASE}/{kind}/{hub.id}"))


def service(hub: PublicHub) -> dict[str, Any]:
    location_id = _id("location", hub)
    return {
        "id": _id("service", hub),
        "name": f"Get Online London at {hub.name}",
        "description": "Free help to get online for Londoners on a low income: " +
                       "; ".join(OFFERS[offer].lower() for offer in hub.offers) + ".",
        "status": "active",
        "email": hub.email,
        "organization": {"id": _id("organization", hub), "name": hub.organisation},
        "service_areas": [{"id": _id("area", hub), "name": hub.borough, "extent_type": "ons_code",
                           "extent": hub.borough_code}],
        "service_at_locations": [{"id": _id("service-at-location", hub), "location": {
            "id": location_id, "name": hub.name, "location_type": "physical",
            "addresses": [{"id": _id("address", hub), "address_1": hub.address, "city": "London",
                           "region": hub.borough, "postal_code": hub.postcode, "country": "GB",
                           "address_type": "physical"}],
        }}],
        "schedules": [{"id": _id("schedule", hub), "description": hub.opening_times}],
        "eligibility_description": "Adults on a low income without enough access to the internet at home or on the go.",
        "cost_options": [{"id": _id("cost", hub), "option": "Free", "amount": 0, "currency": "GBP"}],
        "attributes": [{"id": str(uuid5(NAMESPACE_URL, f"{BASE}/attribute/{hub.id}/{offer}")),
                        "taxonomy_term": {"id": str(uuid5(NAMESPACE_URL, f"{BASE}/offer/{offer}")),
                                          "code": offer, "name": OFFERS[offer],
                                          "vocabulary": "get-online-london-offers"}}
                       for offer in hub.offers],
    }


def feed(hubs: list[PublicHub]) -> dict[str, Any]:
    """The ``/services`` list response of the Open Referral UK API: one page holding every hub."""
    return {"total_items": len(hubs), "total_pages": 1, "page_number": 1, "size": len(hubs),
            "first_page": True, "last_page": True, "empty": not hubs, "contents": [service(hub) for hub in hubs]}
