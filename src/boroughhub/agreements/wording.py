"""The words a signatory reads for the codes an agreement version is written in (no Django here).

Lawful bases, legal powers, durations, security measures, roles and the other code lists of spec
§1.4–§1.9 each get the name a person knows them by. Organisations, datasets and purposes live in
registers the caller holds (the database on the pages, the shipped JSON in tests), so they come in
as a ``Names`` object; everything else is fixed by the spec and read from ``agreements/data``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from boroughhub.agreements.registers import (
    load_dataset_register,
    load_example_organisations,
    load_purpose_register,
    read_data_file,
)

LONDON = ZoneInfo("Europe/London")

ACTION_WORDS = {
    "upload": "upload", "link": "link records of", "view_aggregate": "view aggregate figures from",
    "view_record": "view individual records of", "view_unrounded": "view unrounded figures from",
    "export": "export",
}
ACTION_NOUNS = {
    "upload": "uploading", "link": "linking", "view_aggregate": "viewing aggregate figures",
    "view_record": "viewing individual records", "view_unrounded": "viewing unrounded figures", "export": "exporting",
}
ROLE_WORDS = {"uploader": "uploaders", "analyst": "analysts", "frontline_worker": "frontline workers",
              "data_manager": "data managers"}
PARTY_ROLE_WORDS = {"controller": "Controller", "joint_controller": "Joint controller", "processor": "Processor",
                    "recipient": "Recipient"}
SPECIAL_CATEGORY_WORDS = {
    "racial_or_ethnic_origin": "racial or ethnic origin", "health": "health",
    "sex_life_or_sexual_orientation": "sex life or sexual orientation", "political_opinions": "political opinions",
    "religious_or_philosophical_beliefs": "religious or philosophical beliefs",
    "trade_union_membership": "trade union membership", "genetic": "genetic", "biometric": "biometric",
}
AGREEMENT_TYPE_WORDS = {
    "isp_reciprocal": "information sharing protocol (reciprocal)",
    "dda_one_way_disclosure": "data disclosure agreement (one way)",
    "jca_joint_controllers": "joint controller agreement",
    "controller_processor": "controller–processor agreement",
}
DPIA_OUTCOME_WORDS = {
    "not_required": "not required", "no_high_risk": "no high risk found",
    "high_risk_mitigated": "high risk, mitigated",
    "high_risk_residual_ico_consulted": "residual high risk, ICO consulted",
}
SAR_MODE_WORDS = {"each_controller": "each controller answers for the data it supplied",
                  "lead_coordinates": "the lead party coordinates the answer"}
FLOW_METHOD_WORDS = {"sftp_upload": "secure file transfer", "api": "the hub's API", "manual_upload": "upload on the hub's pages"}
DELETION_WORDS = {"purge": "deleted", "crypto_erase_and_purge": "its keys destroyed, then deleted"}
RETENTION_START_WORDS = {"upload": "upload", "creation": "creation", "export": "export",
                         "superseded_by_next_linkage_run": "the next linkage run"}
ART10_WORDS = {"official_authority": "processing under the control of official authority",
               "dpa_sch1": "a condition of DPA 2018 Schedule 1"}
S35_WORDS = {"s35-2-a-consent": "DPA 2018 s35(2)(a): consent",
             "s35-2-b-task": "DPA 2018 s35(2)(b): necessary for a law enforcement task"}
AUDIT_REVIEWER_WORDS = {"privacy_officer": "privacy officers", "ig_lead": "information governance leads"}


@dataclass(frozen=True)
class Names:
    """Names of the organisations, datasets and purposes a version refers to by id."""

    organisations: Mapping[str, str] = field(default_factory=dict)
    datasets: Mapping[str, str] = field(default_factory=dict)
    purposes: Mapping[str, str] = field(default_factory=dict)

    def organisation(self, org_id: object) -> str:
        return self.organisations.get(str(org_id), str(org_id))

    def dataset(self, dataset_id: object) -> str:
        return self.datasets.get(str(dataset_id), str(dataset_id))

    def purpose(self, code: object) -> str:
        return self.purposes.get(str(code), str(code))


def names_from_registers() -> Names:
    """The shipped registers' names (spec §1.1, §1.6, §1.7): what tests and the CLI use without a database."""
    return Names(organisations={o.id: o.name for o in load_example_organisations()},
                 datasets={d.id: d.title for d in load_dataset_register()},
                 purposes={p.code: p.label for p in load_purpose_register()})


def join_words(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    words = [i for i in items if i]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def sentence(text: str) -> str:
    """Capitalised first letter only: names inside the sentence keep their own case."""
    return text[:1].upper() + text[1:] if text else text


@cache
def _lawful_bases() -> dict[str, Any]:
    data: dict[str, Any] = read_data_file("lawful_bases.json")
    return data


def _article(code: str, prefix: str) -> str:
    """``A6-1-e`` → ``Article 6(1)(e)``; ``A9-2-g`` → ``Article 9(2)(g)``."""
    match = re.fullmatch(rf"{prefix}(\d+)-(\d+)-([a-z]+)", code)
    return f"Article {match.group(1)}({match.group(2)})({match.group(3)})" if match else code


def art6_name(code: object, annex1_condition: object = None) -> str:
    """``UK GDPR Article 6(1)(e): public task``."""
    text = str(code)
    label = _lawful_bases()["art6"].get(text)
    name = f"UK GDPR {_article(text, 'A')}: {label}" if label else text
    if annex1_condition:
        name += f" ({str(annex1_condition).replace('_', ' ')})"
    return name


def sch1_name(code: object) -> str:
    """``S1-P2-6`` → ``DPA 2018 Schedule 1 paragraph 6: statutory and government purposes``."""
    text = str(code)
    match = re.fullmatch(r"S1-P(\d)-(\d+)", text)
    if not match:
        return text
    label = ""
    if match.group(1) == "2":
        label = _lawful_bases()["dpa_sch1_part2"].get(text, "")
    else:
        label = next((v["label"] for v in _lawful_bases()["art9"].values() if v["dpa_sch1_para"] == text), "")
    base = f"DPA 2018 Schedule 1 paragraph {match.group(2)}"
    return f"{base}: {label}" if label else base


def art9_name(condition: object, para: object = None) -> str:
    """``UK GDPR Article 9(2)(g): substantial public interest, under DPA 2018 Schedule 1 paragraph 6: …``."""
    text = str(condition)
    entry = _lawful_bases()["art9"].get(text)
    name = f"UK GDPR {_article(text, 'A')}: {entry['label']}" if entry else text
    return f"{name}, under {sch1_name(para)}" if para else name


def art10_name(basis: object, para: object = None) -> str:
    """``official_authority`` → its words; ``dpa_sch1`` with its paragraph → that paragraph by name."""
    if str(basis) == "dpa_sch1" and para:
        return sch1_name(para)
    name = ART10_WORDS.get(str(basis), str(basis))
    return f"{name} ({sch1_name(para)})" if para else name


def sch8_name(code: object) -> str:
    text = str(code)
    label = _lawful_bases()["sch8"].get(text)
    number = text.removeprefix("S8-")
    return f"DPA 2018 Schedule 8 paragraph {number}: {label}" if label else text


def legal_power_name(code: object) -> str:
    powers: dict[str, str] = _lawful_bases()["legal_powers"]
    return powers.get(str(code), str(code))


def measure_name(code: object) -> str:
    """``dpv:EncryptionAtRest`` → ``Encryption at rest``; ``bhm:audit-review`` → ``Audit review``."""
    text = str(code)
    term = text.split(":", 1)[-1]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", term).replace("-", " ").lower()
    return sentence(words) if words else text


_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?")


def duration_words(value: object) -> str:
    """``P24M`` → ``24 months``; ``P1Y6M`` → ``1 year and 6 months``; anything else as written."""
    text = str(value)
    match = _DURATION.fullmatch(text)
    if not match or not any(match.groups()):
        return text
    parts = []
    for number, unit in zip(match.groups(), ("year", "month", "week", "day"), strict=True):
        if number:
            parts.append(f"{int(number)} {unit}{'' if int(number) == 1 else 's'}")
    return join_words(parts)


def london(value: datetime | str | None) -> str:
    """``1 April 2026, 00:00 BST``: London time with its zone (spec §7.4 Z3)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    local = value.astimezone(LONDON)
    return f"{local.day} {local:%B %Y, %H:%M} {local.tzname()}"


def utc(value: datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def date_words(value: object) -> str:
    """``2027-03-01`` → ``1 March 2027``."""
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {day:%B %Y}"


def code_words(value: object) -> str:
    """Last resort for a code without a list of names: ``record_accesses_per_month`` → ``record accesses per month``."""
    return str(value).replace("_", " ").replace("-", " ")
