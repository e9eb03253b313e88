"""Writing a submission folder: the canonical CSV files of sources.md and their ``manifest.csv``.

Values are written in canonical form (ISO dates, ``true``/``false``, empty for missing) with LF
line endings, so the same seed gives the same bytes.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import IO

COLUMNS: dict[str, tuple[str, ...]] = {
    "chain_people": (
        "chain_person_id", "first_name", "last_name", "other_names", "date_of_birth", "date_of_birth_estimated",
        "ni_number", "home_office_ref", "gender", "nationality", "ethnicity", "immigration_status",
        "support_need_alcohol", "support_need_drugs", "support_need_mental_health", "support_need_physical_health",
        "support_needs_assessed_date", "history_prison", "history_care", "history_armed_forces",
        "last_institution_type", "last_institution_left_date", "accommodation_before_first_seen",
    ),
    "chain_contacts": (
        "contact_id", "chain_person_id", "contact_date", "area_code", "location_type", "bedded_down",
        "contact_type", "team_code",
    ),
    "chain_stays": (
        "stay_id", "chain_person_id", "project_code", "project_type", "area_code", "arrival_date",
        "departure_date", "departure_reason", "departure_destination",
    ),
    "inform_clients": (
        "inform_client_id", "chain_person_id", "first_name", "last_name", "other_names", "date_of_birth",
        "ni_number", "gender", "nationality", "ethnicity",
    ),
    "inform_referrals": (
        "referral_id", "inform_client_id", "referral_date", "referrer_type", "service_code", "service_type",
        "decision", "decision_date",
    ),
    "inform_stays": (
        "stay_id", "inform_client_id", "referral_id", "service_code", "service_type", "area_code",
        "move_in_date", "move_out_date", "move_out_reason", "move_on_destination",
    ),
    "hclic_cases": (
        "case_ref", "application_date", "assessment_date", "initial_assessment", "s21_notice",
        "reason_loss_of_home", "accommodation_at_application", "household_type", "support_needs_status",
        "referral_source",
    ),
    "hclic_people": (
        "person_ref", "case_ref", "relationship", "first_name", "last_name", "date_of_birth", "ni_number",
        "gender", "ethnicity", "nationality", "employment_status", "eligibility", "sexual_identification",
    ),
    "hclic_support_needs": ("case_ref", "support_need"),
    "hclic_prevention": (
        "case_ref", "prevention_start_date", "prevention_end_date", "prevention_end_reason",
        "accommodation_secured", "main_activity",
    ),
    "hclic_relief": (
        "case_ref", "relief_start_date", "relief_end_date", "relief_end_reason", "accommodation_secured",
        "main_activity",
    ),
    "hclic_main_duty": (
        "case_ref", "decision_date", "decision", "priority_need", "main_duty_end_date", "main_duty_end_reason",
    ),
    "hclic_temporary_accommodation": (
        "placement_id", "case_ref", "placement_start_date", "placement_end_date", "ta_type", "out_of_area",
    ),
}
TABLES_OF_SOURCE: dict[str, tuple[str, ...]] = {
    "chain": ("chain_people", "chain_contacts", "chain_stays"),
    "inform": ("inform_clients", "inform_referrals", "inform_stays"),
    "hclic": (
        "hclic_cases", "hclic_people", "hclic_support_needs", "hclic_prevention", "hclic_relief",
        "hclic_main_duty", "hclic_temporary_accommodation",
    ),
}
MANIFEST_COLUMNS = (
    "source", "supplier_code", "extract_period_start", "extract_period_end", "extracted_on", "schema_version",
    "encoding", "file_name", "row_count",
)
Cell = str | int | bool | date | None


def cell(value: Cell) -> str:
    """Canonical text of a value (sources.md 1.3)."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@cache
def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def day(ordinal: int | None) -> str:
    """An ordinal day number as an ISO date ('' for None); cached, as the same days recur."""
    return "" if ordinal is None else _iso(ordinal)


@dataclass(frozen=True, slots=True)
class SubmissionSummary:
    source: str
    supplier_code: str
    folder: Path
    row_counts: dict[str, int]


class SubmissionWriter:
    """Opens every file of one source for one supplier; rows are written as they are made."""

    def __init__(self, out_dir: Path, source: str, supplier_code: str, start: date, end: date) -> None:
        self.source, self.supplier_code, self.start, self.end = source, supplier_code, start, end
        self.folder = out_dir / supplier_code / source
        self.folder.mkdir(parents=True, exist_ok=True)
        self._handles: dict[str, IO[str]] = {}
        self._raw: dict[str, Callable[[Sequence[str]], object]] = {}
        self.row_counts: dict[str, int] = {}
        for table in TABLES_OF_SOURCE[source]:
            handle = (self.folder / f"{table}.csv").open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS[table])
            self._handles[table] = handle
            self._raw[table] = writer.writerow
            self.row_counts[table] = 0

    def write(self, table: str, row: Sequence[str]) -> None:
        """Writes one row whose values are already canonical text, in the order of ``COLUMNS``."""
        self._raw[table](row)
        self.row_counts[table] += 1

    def close(self) -> SubmissionSummary:
        for handle in self._handles.values():
            handle.close()
        with (self.folder / "manifest.csv").open("w", encoding="ascii", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(MANIFEST_COLUMNS)
            for table in TABLES_OF_SOURCE[self.source]:
                writer.writerow((
                    self.source, self.supplier_code, self.start.isoformat(), self.end.isoformat(),
                    self.end.isoformat(), "1.0", "utf-8", f"{table}.csv", self.row_counts[table],
                ))
        return SubmissionSummary(self.source, self.supplier_code, self.folder, dict(self.row_counts))

    def __enter__(self) -> SubmissionWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is not None:
            for handle in self._handles.values():
                handle.close()

