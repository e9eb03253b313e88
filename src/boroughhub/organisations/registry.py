"""The organisations the hub knows from the start: London's 33 local authorities, the GLA,
London Councils, the Metropolitan Police, the example providers and the hub operator.

Built from the shipped code lists (``reference/areas.csv`` and ``suppliers.csv``) so the ONS
codes and supplier codes cannot drift from what extracts carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from boroughhub.reference import code_list

HUB_OPERATOR_ID = "hub"
PILOT_BOROUGHS = ("camden", "hillingdon", "lambeth", "westminster")


@dataclass(frozen=True)
class OrganisationEntry:
    id: str
    name: str
    type: str  # borough | gla | police | provider | other
    ons_code: str = ""
    supplier_code: str = ""


def organisation_id_for(area_label: str) -> str:
    """``Kingston upon Thames`` -> ``kingston-upon-thames``: the short id used in agreements."""
    return re.sub(r"[^a-z0-9]+", "-", area_label.lower()).strip("-")


_FORMAL_NAMES = {
    "City of London": "City of London Corporation",
    "Westminster": "Westminster City Council",
    "Greenwich": "Royal Borough of Greenwich",
    "Kensington and Chelsea": "Royal Borough of Kensington and Chelsea",
    "Kingston upon Thames": "Royal Borough of Kingston upon Thames",
}


def _borough_name(label: str) -> str:
    return _FORMAL_NAMES.get(label, f"London Borough of {label}")


def initial_organisations() -> list[OrganisationEntry]:
    boroughs = [
        OrganisationEntry(
            id=organisation_id_for(row["label"]),
            name=_borough_name(row["label"]),
            type="borough",
            ons_code=row["code"],
            supplier_code=row["code"],
        )
        for row in code_list("areas")
        if row["area_type"] == "local_authority"
    ]
    providers = [
        OrganisationEntry(id=row["code"], name=row["label"], type="provider", supplier_code=row["code"])
        for row in code_list("suppliers")
        if row["supplier_type"] == "accommodation_provider"
    ]
    others = [
        # The GLA supplies the London-wide CHAIN extract under the supplier code chain_london.
        OrganisationEntry(id="gla", name="Greater London Authority", type="gla", supplier_code="chain_london"),
        OrganisationEntry(id="london-councils", name="London Councils", type="other"),
        OrganisationEntry(id="met", name="Metropolitan Police Service", type="police"),
        OrganisationEntry(id=HUB_OPERATOR_ID, name="boroughhub collaboration office", type="other"),
    ]
    return [*boroughs, *others, *providers]
