"""The saving of a placement against a market-rate agency fee, with the assumptions it rests on.

An agency typically charges a percentage of the first year's salary for a permanent placement; the office
fills the vacancy through its networks at a cost of its own time. The saving of one placement is

    saving = salary × agency fee rate − office cost of the placement

Each placement keeps its own assumptions (rate, salary, office cost and where they come from), so the
evaluation can read, challenge and re-run them (docs/decisions/0142-recruitment-saving-per-placement.md).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import Workbook

#: Defaults offered on the form: 20% is a common agency rate for permanent public-sector digital roles.
DEFAULT_AGENCY_FEE_RATE = Decimal("0.20")
DEFAULT_OFFICE_COST = Decimal("1500")


@dataclass(frozen=True)
class SavingAssumptions:
    salary: Decimal
    agency_fee_rate: Decimal
    office_cost: Decimal
    source: str

    def problems(self) -> list[str]:
        found = []
        if self.salary <= 0:
            found.append("Enter the appointed salary in pounds, more than 0.")
        if not Decimal("0") < self.agency_fee_rate < Decimal("1"):
            found.append("Enter the agency fee as a percentage between 0 and 100.")
        if self.office_cost < 0:
            found.append("Enter the office's cost of the placement in pounds, 0 or more.")
        if not self.source.strip():
            found.append("Say where the agency fee rate comes from (for example, a framework price list).")
        return found


def placement_saving(assumptions: SavingAssumptions) -> Decimal:
    agency_fee = assumptions.salary * assumptions.agency_fee_rate
    return (agency_fee - assumptions.office_cost).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def days_to_fill(opened_on: date, filled_on: date) -> int:
    if filled_on < opened_on:
        raise ValueError("A vacancy cannot be filled before it was opened.")
    return (filled_on - opened_on).days


@dataclass(frozen=True)
class PlacementRow:
    """One filled vacancy for the evaluation: no candidate's name, only the facts of the placement."""

    reference: str
    borough: str
    role: str
    grade: str
    opened_on: date
    filled_on: date
    candidate_source: str
    assumptions: SavingAssumptions

    @property
    def days_to_fill(self) -> int:
        return days_to_fill(self.opened_on, self.filled_on)

    @property
    def saving(self) -> Decimal:
        return placement_saving(self.assumptions)

    def cells(self) -> list[str | int | float]:
        a = self.assumptions
        return [self.reference, self.borough, self.role, self.grade, self.opened_on.isoformat(),
                self.filled_on.isoformat(), self.days_to_fill, self.candidate_source, float(a.salary),
                float(a.agency_fee_rate * 100), float(a.office_cost), float(self.saving), a.source]


PLACEMENT_HEADER = ["Vacancy", "Borough", "Role", "Grade", "Opened on", "Filled on", "Days to fill",
                    "Candidate from", "Salary (£)", "Agency fee rate (%)", "Office cost (£)", "Saving (£)",
                    "Source of the fee rate"]


def total_saving(rows: Sequence[PlacementRow]) -> Decimal:
    return sum((row.saving for row in rows), Decimal("0"))


def placements_csv(rows: Sequence[PlacementRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PLACEMENT_HEADER)
    for row in rows:
        writer.writerow(row.cells())
    return out.getvalue().encode("utf-8-sig")


def placements_xlsx(rows: Sequence[PlacementRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Placements"
    sheet.append(PLACEMENT_HEADER)
    for row in rows:
        sheet.append(row.cells())
    notes = book.create_sheet("Assumptions")
    notes.append(["Saving per placement = salary × agency fee rate − office cost of the placement."])
    notes.append(["Each row carries its own rate, salary, office cost and the source of the rate."])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
