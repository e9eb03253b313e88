"""The registers agreements are checked against, as shipped with the package.

Hub admins maintain the dataset, purpose and lawful-basis registers (spec §1.6–§1.8). Until the
database holds them, the package ships them as JSON under ``agreements/data/`` (copied from the
spec so nothing reads the spec at run time), together with the Appendix A example version and
the example organisations of §1.1. Each loader returns fresh immutable objects; callers that
keep the registers in the database build the same types with ``Dataset.from_dict`` and friends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from boroughhub.agreements.snapshot import Dataset, Organisation, Purpose

EXAMPLE_VERSION_FILE = "example-dsa-pl-rsi-v1.json"
SCHEMA_FILE = "agreement-version-1.0.schema.json"


def read_data_file(name: str) -> Any:
    """Parse one JSON file of ``agreements/data/``."""
    text = resources.files("boroughhub.agreements").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def load_dataset_register() -> list[Dataset]:
    return [Dataset.from_dict(d) for d in read_data_file("datasets.json")["datasets"]]


def load_purpose_register() -> list[Purpose]:
    return [Purpose.from_dict(p) for p in read_data_file("purposes.json")["purposes"]]


def load_example_organisations() -> list[Organisation]:
    """The eight organisations of spec §1.1 (camden, gla, … provider-b), for the demo and tests."""
    return [Organisation.from_dict(o) for o in read_data_file("example-organisations.json")["organisations"]]


def load_example_version_document() -> dict[str, Any]:
    """Spec Appendix A: ``dsa-pl-rsi`` version 1, a fresh copy each call (callers may edit it)."""
    document: dict[str, Any] = read_data_file(EXAMPLE_VERSION_FILE)
    return document


@dataclass(frozen=True, slots=True)
class LawfulBasisCodes:
    """The code lists of spec §1.8."""

    art6: frozenset[str]
    art6_dpv: dict[str, str]
    annex1_conditions: frozenset[str]
    art9_required_sch1_para: dict[str, str | None]
    """Art 9(2) code -> the DPA Sch 1 paragraph it needs; ``"S1-P2-*"`` means any Part 2 paragraph."""
    dpa_sch1_part2: frozenset[str]
    sch8: frozenset[str]
    legal_powers: dict[str, str]


@cache
def load_lawful_basis_codes() -> LawfulBasisCodes:
    data = read_data_file("lawful_bases.json")
    return LawfulBasisCodes(
        art6=frozenset(data["art6"]),
        art6_dpv=dict(data["art6_dpv"]),
        annex1_conditions=frozenset(data["annex1_conditions"]),
        art9_required_sch1_para={code: v["dpa_sch1_para"] for code, v in data["art9"].items()},
        dpa_sch1_part2=frozenset(data["dpa_sch1_part2"]),
        sch8=frozenset(data["sch8"]),
        legal_powers=dict(data["legal_powers"]),
    )


def load_example_accession_clause() -> dict[str, Any]:
    """The accession clause the demo's ``dsa-pl-rsi`` carries: profiles ``borough`` and ``hostel_provider``
    (amendment ``docs/agreements-accession.md``). A fresh copy each call."""
    clause: dict[str, Any] = read_data_file("example-accession-clause.json")
    return clause
