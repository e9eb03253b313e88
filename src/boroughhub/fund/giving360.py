"""Awarded grants in the 360Giving Data Standard: the JSON package, the same grants as a flat
spreadsheet (the standard's column titles), and validation against the bundled schema.

The schema ships in ``schema/`` (docs/decisions/0112-360giving-schema-bundled.md); nothing is fetched.
Organisation identifiers: the hub's own 360Giving prefix plus the hub's organisation id, which the
standard allows when no register identifier is held.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, FormatChecker

SCHEMA_PATH = Path(__file__).with_name("schema") / "360giving-package.schema.json"
#: The hub's 360Giving identifier prefix (a publisher registers one with 360Giving before publishing).
PREFIX = "360G-boroughhub"
FUNDER_ID = f"{PREFIX}-hub"
FUNDER_NAME = "London borough collaboration office"
STANDARD_VERSION = "1.4"


@dataclass(frozen=True)
class AwardedGrant:
    round_id: str
    round_title: str
    reference: str
    title: str
    description: str
    amount_requested_pence: int
    amount_awarded_pence: int
    awarded_on: date
    recipient_id: str
    recipient_name: str
    recipient_ons_code: str
    planned_start: date | None = None
    planned_end: date | None = None


def grant_record(grant: AwardedGrant, modified: datetime) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"{PREFIX}-{grant.round_id}-{grant.reference}",
        "title": grant.title,
        "description": grant.description,
        "currency": "GBP",
        "amountAppliedFor": grant.amount_requested_pence / 100,
        "amountAwarded": grant.amount_awarded_pence / 100,
        "awardDate": grant.awarded_on.isoformat(),
        "recipientOrganization": [{"id": f"{PREFIX}-{grant.recipient_id}", "name": grant.recipient_name,
                                   "addressLocality": "London", "addressCountry": "United Kingdom"}],
        "fundingOrganization": [{"id": FUNDER_ID, "name": FUNDER_NAME}],
        "grantProgramme": [{"code": grant.round_id, "title": grant.round_title}],
        "fromOpenCall": "Yes",
        "dateModified": modified.isoformat(timespec="seconds"),
    }
    if grant.recipient_ons_code:
        record["beneficiaryLocation"] = [{"name": grant.recipient_name, "countryCode": "GB",
                                          "geoCode": grant.recipient_ons_code, "geoCodeType": "LA"}]
    if grant.planned_start:
        event = {"startDate": grant.planned_start.isoformat()}
        if grant.planned_end:
            event["endDate"] = grant.planned_end.isoformat()
        record["plannedDates"] = [event]
    return record


def package(grants: Iterable[AwardedGrant], *, title: str, issued: datetime) -> dict[str, Any]:
    return {
        "version": STANDARD_VERSION,
        "title": title,
        "issued": issued.isoformat(timespec="seconds"),
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "publisher": {"identifier": FUNDER_ID, "name": FUNDER_NAME},
        "grants": [grant_record(g, issued) for g in grants],
    }


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def validation_problems(data: Any) -> list[str]:
    """Each way ``data`` breaks the 360Giving schema, as ``where: what`` (empty when it validates)."""
    validator = Draft4Validator(schema(), format_checker=FormatChecker())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(part) for part in error.absolute_path) or "(package)"
        problems.append(f"{where}: {error.message}")
    return problems


#: The standard's spreadsheet column titles for the fields the hub publishes, in its order.
SPREADSHEET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Identifier", "id"), ("Title", "title"), ("Description", "description"), ("Currency", "currency"),
    ("Amount Applied For", "amountAppliedFor"), ("Amount Awarded", "amountAwarded"), ("Award Date", "awardDate"),
    ("Planned Dates:Start Date", "plannedDates/0/startDate"), ("Planned Dates:End Date", "plannedDates/0/endDate"),
    ("Recipient Org:Identifier", "recipientOrganization/0/id"), ("Recipient Org:Name", "recipientOrganization/0/name"),
    ("Recipient Org:City", "recipientOrganization/0/addressLocality"),
    ("Recipient Org:Country", "recipientOrganization/0/addressCountry"),
    ("Beneficiary Location:Name", "beneficiaryLocation/0/name"),
    ("Beneficiary Location:Country Code", "beneficiaryLocation/0/countryCode"),
    ("Beneficiary Location:Geographic Code", "beneficiaryLocation/0/geoCode"),
    ("Beneficiary Location:Geographic Code Type", "beneficiaryLocation/0/geoCodeType"),
    ("Funding Org:Identifier", "fundingOrganization/0/id"), ("Funding Org:Name", "fundingOrganization/0/name"),
    ("Grant Programme:Code", "grantProgramme/0/code"), ("Grant Programme:Title", "grantProgramme/0/title"),
    ("From An Open Call?", "fromOpenCall"), ("Last Modified", "dateModified"),
)


def _at(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("/"):
        if isinstance(value, list):
            value = value[int(part)] if int(part) < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        if value is None:
            return None
    return value


def spreadsheet_rows(data: dict[str, Any]) -> list[list[Any]]:
    """The header row, then one row per grant (flattened as the standard's spreadsheet template is)."""
    rows: list[list[Any]] = [[title for title, _ in SPREADSHEET_COLUMNS]]
    for record in data["grants"]:
        rows.append([_at(record, path) for _, path in SPREADSHEET_COLUMNS])
    return rows


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return f"'{value}"
    return "" if value is None else value


def spreadsheet_csv(rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def spreadsheet_xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "grants"
    for row in rows:
        sheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
