"""The 360Giving export validates against the bundled schema, and the schema catches what it should."""

from __future__ import annotations

import copy
import io
from datetime import UTC, date, datetime

import jsonschema
from openpyxl import load_workbook

from boroughhub.fund.giving360 import (
    AwardedGrant,
    package,
    schema,
    spreadsheet_csv,
    spreadsheet_rows,
    spreadsheet_xlsx,
    validation_problems,
)

GRANT = AwardedGrant("asc-2026", "Adult social care innovation fund 2026", "APP-0001", "Home sensors for falls",
                     "Older residents stay independent at home for longer.", 8_000_000, 7_500_000,
                     date(2026, 7, 20), "hackney", "London Borough of Hackney", "E09000012",
                     date(2026, 9, 1), date(2027, 8, 31))
ISSUED = datetime(2026, 7, 21, 10, 0, tzinfo=UTC)


def test_the_package_validates_against_the_schema_with_jsonschema() -> None:
    data = package([GRANT], title="Awards", issued=ISSUED)
    jsonschema.Draft4Validator.check_schema(schema())
    jsonschema.validate(data, schema(), cls=jsonschema.Draft4Validator)
    assert validation_problems(data) == []
    assert data["grants"][0]["id"] == "360G-boroughhub-asc-2026-APP-0001"
    assert data["grants"][0]["amountAwarded"] == 75000.0


def test_the_schema_refuses_a_grant_missing_what_the_standard_requires() -> None:
    data = package([GRANT], title="Awards", issued=ISSUED)
    broken = copy.deepcopy(data)
    del broken["grants"][0]["awardDate"]
    broken["grants"][0]["recipientOrganization"] = []
    broken["grants"][0]["id"] = "APP-0001"
    problems = validation_problems(broken)
    assert any("awardDate" in p for p in problems)
    assert any(p.startswith("grants/0/recipientOrganization") for p in problems)
    assert any(p.startswith("grants/0/id") for p in problems)
    assert validation_problems({"grants": []})


def test_the_spreadsheet_uses_the_standards_column_titles() -> None:
    rows = spreadsheet_rows(package([GRANT], title="Awards", issued=ISSUED))
    header, first = rows
    assert header[:3] == ["Identifier", "Title", "Description"]
    assert dict(zip(header, first, strict=True))["Recipient Org:Identifier"] == "360G-boroughhub-hackney"
    sheet = load_workbook(io.BytesIO(spreadsheet_xlsx(rows))).active
    assert sheet is not None and sheet.cell(2, header.index("Amount Awarded") + 1).value == 75000
    assert spreadsheet_csv(rows).splitlines()[0].startswith("Identifier,Title,Description")
