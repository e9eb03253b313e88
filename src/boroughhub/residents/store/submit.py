"""An adult social care team's ASC CLD extract, submitted by its organisation's uploader: decided by
``decide()`` (``upload`` of ``asc_cld`` for ``bhp:safeguarding-adults``), checked row by row, and loaded
whole or not at all. Its assessment and service events become the organisation's adult social care
involvements (replacing the previous extract's), which the relationship rule reads. Its people are
the organisation's own person ids: which resident each is comes from matching (``matching``)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from boroughhub.agreements import decide_and_audit, record_access, refusal_message
from boroughhub.residents.models import Involvement
from boroughhub.residents.people import RecordedPerson
from boroughhub.residents.vocabulary import ASC_CLD_DATASET, SAFEGUARDING
from boroughhub.sources import ASC_CLD_COLUMNS, ValidationReport, open_asc_cases, validate_asc_cld

from .matching import assign_residents


@dataclass
class AscSubmission:
    report: ValidationReport
    refusal: str | None = None
    cases_loaded: int = 0
    residents_added: int = 0
    matched_to_known: int = 0
    uncertain_pairs: int = 0
    unmatched_reason: str = ""
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
    # A person's last row in the file is how the organisation records them now.
    people = {row["person_id"]: RecordedPerson(ASC_CLD_DATASET, org_id, row["person_id"], row.get("first_name", ""),
                                               row["last_name"], date.fromisoformat(row["date_of_birth"]),
                                               row.get("postcode", "")) for row in rows}
    with transaction.atomic():
        matched = assign_residents(list(people.values()), f"ASC CLD of {org_id}")
        Involvement.objects.filter(source=ASC_CLD_DATASET, supplier=org_id).delete()
        Involvement.objects.bulk_create([
            Involvement(resident_id=matched.resident_of[people[case.person_id].key], source=ASC_CLD_DATASET,
                        supplier=org_id,
                        record_key=f"{case.person_id}:{case.start}:{n}", team_code=case.team_code,
                        team_name=case.team_name, key_worker_name=case.key_worker_name,
                        key_worker_phone=case.key_worker_phone, key_worker_email=case.key_worker_email,
                        start_date=case.start, end_date=case.end)
            for n, case in enumerate(cases)], batch_size=2000)
        record_access(decision, row_count=len(rows))
    outcome.cases_loaded, outcome.residents_added = len(cases), matched.residents_added
    outcome.matched_to_known, outcome.uncertain_pairs = matched.matched_to_known, matched.uncertain_pairs
    outcome.unmatched_reason = matched.unmatched_reason
    return outcome
