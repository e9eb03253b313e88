"""Canonical source extracts (sources.md): formats, readers and validation reports. Plain Python."""

from boroughhub.sources.manifest import Manifest, parse_date, read_manifest
from boroughhub.sources.report import RULES, Issue, ValidationReport, neutralise_formula
from boroughhub.sources.schema import PERSON_TABLES, SOURCES, TABLES, Column, Table, tables_of
from boroughhub.sources.validate import ValidatedSubmission, validate_submission

__all__ = [
    "PERSON_TABLES",
    "RULES",
    "SOURCES",
    "TABLES",
    "Column",
    "Issue",
    "Manifest",
    "Table",
    "ValidatedSubmission",
    "ValidationReport",
    "neutralise_formula",
    "parse_date",
    "read_manifest",
    "tables_of",
    "validate_submission",
]
