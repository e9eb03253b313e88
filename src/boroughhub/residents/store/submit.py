"""An adult social care team's ASC CLD extract, submitted by its organisation's uploader: decided by
``decide()`` (``upload`` of ``asc_cld`` for ``bhp:safeguarding-adults``), checked row by row, and loaded
whole or not at all. Its assessment and service events become the organisation's adult social care
involvements (replacing the previous extract's), which the relationship rule reads."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from boroughhub.agreements import decide_and_audit, record_access, refusal_message
from boroughhub.residents.models import Involvement, Resident
from boroughhub.residents.rules import fold_name
from boroughhub.residents.vocabulary import ASC_CLD_DATASET, SAFEGUARDING
from boroughhub.sources import ASC_CLD_COLUMNS, ValidationReport, open_asc_cases, validate_asc_cld


@dataclass
class AscSubmission:
    report: ValidationReport
    refusal: str | None = None
    cases_loaded: int = 0
    residents_added: int = 0
    rows: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> bool:
        return self.refusal is None and self.report.passed


def submit_asc_cld(user: Any, org_id: str, path: Path) -> AscSubmission:
    """Decide, check, then load; a refusal or a failed check changes nothing."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            header = list(reader.fieldnames or [])
    except (OSError, UnicodeDecodeError) as error:
        return AscSubmission(ValidationReport(), refusal=f"The file cannot be read ({error}): send a UTF-8 CSV file.")
    decision = decide_and_audit(user=user, org_id=org_id, role="uploader", action="upload", dataset=ASC_CLD_DATASET,
                                fields=set(header) & set(ASC_CLD_COLUMNS) or {"person_id"}, purpose=SAFEGUARDING)
    if not decision.permitted:
        return AscSubmission(ValidationReport(), refusal=refusal_message(decision))
    report = validate_asc_cld(rows, header)
    outcome = AscSubmission(report, rows=len(rows))
    if not report.passed:
        return outcome
    cases = open_asc_cases(rows)
    people = {row["person_id"]: row for row in rows}
    with transaction.atomic():
        known = set(Resident.objects.filter(resident_id__in=people).values_list("resident_id", flat=True))
        new = [Resident(resident_id=pid, first_name=row.get("first_name", ""), last_name=row["last_name"],
                        first_name_folded=fold_name(row.get("first_name", "")), last_name_folded=fold_name(row["last_name"]),
                        date_of_birth=date.fromisoformat(row["date_of_birth"]))
               for pid, row in people.items() if pid not in known]
        Resident.objects.bulk_create(new, batch_size=2000)
        Involvement.objects.filter(source=ASC_CLD_DATASET, supplier=org_id).delete()
        Involvement.objects.bulk_create([
            Involvement(resident_id=case.person_id, source=ASC_CLD_DATASET, supplier=org_id,
                        record_key=f"{case.person_id}:{case.start}:{n}", team_code=case.team_code,
                        team_name=case.team_name, key_worker_name=case.key_worker_name,
                        key_worker_phone=case.key_worker_phone, key_worker_email=case.key_worker_email,
                        start_date=case.start, end_date=case.end)
            for n, case in enumerate(cases)], batch_size=2000)
        record_access(decision, row_count=len(rows))
    outcome.cases_loaded, outcome.residents_added = len(cases), len(new)
    return outcome
