"""An ASC CLD extract is decided, checked row by row and loaded whole, or changes nothing."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boroughhub.sources import ASC_CLD_COLUMNS

pytestmark = pytest.mark.django_db

ROW = {"person_id": "R-NEW-1", "nhs_number": "", "first_name": "Rosa", "last_name": "Campbell",
       "date_of_birth": "1944-03-02", "gender": "", "ethnicity": "", "postcode": "", "event_id": "E1",
       "event_type": "assessment", "event_start": "2026-10-01", "event_end": "", "event_outcome": "ongoing",
       "service_type": "long_term_community", "primary_support_reason": "physical_support",
       "team_code": "LAM-ASC-NORTH", "team_name": "Lambeth adult social care, North locality",
       "key_worker_name": "Grace Adeyemi", "key_worker_phone": "020 7926 1001",
       "key_worker_email": "grace.adeyemi@lambeth.secure.example"}


def write(folder: Path, rows: list[dict[str, str]]) -> Path:
    path = folder / "asc_cld_events.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=ASC_CLD_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_good_extract_replaces_the_organisations_cases_and_opens_the_new_resident(
        residents_demo: Any, tmp_path: Path, worker: Any) -> None:
    from boroughhub.residents.models import Involvement, Resident, SourceRecord
    from boroughhub.residents.store.tiers import search

    out = StringIO()
    call_command("residents", "submit-asc", str(write(tmp_path, [ROW])), user="uploader@lambeth.example", stdout=out)
    assert "1 adult social care cases loaded for lambeth (1 residents new to the hub)" in out.getvalue()
    # R-NEW-1 is Lambeth's own person id: the hub gives the matched (here new) resident its own id.
    rosa = SourceRecord.objects.get(key="asc_cld:lambeth:R-NEW-1").resident_id
    assert rosa != "R-NEW-1" and Resident.objects.get(resident_id=rosa).last_name == "Campbell"
    assert set(Involvement.objects.filter(source="asc_cld", supplier="lambeth").values_list("resident_id", flat=True)) == {rosa}
    assert [r["resident"] for r in search(worker("lambeth"), "Campbell", "Care Act review")] == [rosa]
    from boroughhub.audit import AuditEntry

    upload = AuditEntry.objects.filter(dataset="asc_cld", event_type="decision").last()
    assert (upload.action, upload.outcome) == ("upload", "permit")


def test_a_bad_row_changes_nothing_and_says_where(residents_demo: Any, tmp_path: Path) -> None:
    from boroughhub.residents.models import Involvement

    before = Involvement.objects.filter(source="asc_cld", supplier="lambeth").count()
    errors = StringIO()
    bad = {**ROW, "event_id": "E2", "event_start": "2026-02-30"}
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("residents", "submit-asc", str(write(tmp_path, [ROW, bad])), user="uploader@lambeth.example",
                     stderr=errors)
    assert "line 3, column event_start: Write dates as YYYY-MM-DD. (bad_date)" in errors.getvalue()
    assert Involvement.objects.filter(source="asc_cld", supplier="lambeth").count() == before


def test_an_organisation_outside_the_agreement_cannot_submit(residents_demo: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no relevant agreement"):
        call_command("residents", "submit-asc", str(write(tmp_path, [ROW])), user="uploader@camden.example")
