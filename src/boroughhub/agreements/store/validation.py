"""Validating versions against the registers held in the database (spec §7.1)."""

from __future__ import annotations

from typing import Any

from boroughhub.agreements.content_rules import ValidationContext
from boroughhub.agreements.models import AgreementVersion, Dataset, Purpose
from boroughhub.agreements.schema import ValidationReport, validate_version_document, validate_version_text
from boroughhub.agreements.snapshot import Dataset as RegisterDataset
from boroughhub.agreements.snapshot import Organisation as RegisterOrganisation
from boroughhub.agreements.snapshot import Purpose as RegisterPurpose

from .documents import version_document


def validation_context() -> ValidationContext:
    from boroughhub.organisations import Organisation

    return ValidationContext.from_registers(
        [RegisterOrganisation.from_dict({"id": o.id, "name": o.name, "type": o.type, "status": o.status,
                                         "ons_code": o.ons_code, "supplier_code": o.supplier_code})
         for o in Organisation.objects.all()],
        datasets=[RegisterDataset.from_dict(d.as_register_dict()) for d in Dataset.objects.all()],
        purposes=[RegisterPurpose.from_dict(p.as_register_dict()) for p in Purpose.objects.all()],
    )


def validate_version(version: AgreementVersion, *, for_submission: bool = False) -> ValidationReport:
    return validate_version_document(version_document(version), validation_context(),
                                     for_submission=for_submission)


def validate_for_submission(version: AgreementVersion) -> ValidationReport:
    return validate_version(version, for_submission=True)


def validate_import(text: str | bytes) -> ValidationReport:
    return validate_version_text(text, validation_context())


def problems_by_path(report: ValidationReport) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for problem in (*report.errors, *report.warnings):
        grouped.setdefault(problem.path, []).append(problem)
    return grouped
