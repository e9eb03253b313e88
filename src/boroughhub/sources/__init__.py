"""Canonical source extracts (sources.md): formats, readers and validation reports. Plain Python.

The public front: other rooms import from here, not from the modules behind it.
"""

from boroughhub.sources.asc_cld import COLUMNS as ASC_CLD_COLUMNS
from boroughhub.sources.asc_cld import FILE_NAME as ASC_CLD_FILE
from boroughhub.sources.asc_cld import AscOpenCase, open_asc_cases, validate_asc_cld
from boroughhub.sources.manifest import Manifest, history_shrunk, parse_date, read_manifest
from boroughhub.sources.readers import UnreadableFile
from boroughhub.sources.report import (
    REDACTED,
    REPORT_COLUMNS,
    RULES,
    Issue,
    ValidationReport,
    neutralise_formula,
)
from boroughhub.sources.schema import (
    MANIFEST_FILE,
    PERSON_TABLES,
    SOURCES,
    TABLES,
    WAREHOUSE_TYPE,
    Column,
    Table,
    tables_of,
)
from boroughhub.sources.submission_files import unpack_submission_zip, zip_is_submission
from boroughhub.sources.validate import Progress, ValidatedSubmission, validate_submission

__all__ = [
    "ASC_CLD_COLUMNS",
    "ASC_CLD_FILE",
    "AscOpenCase",
    "open_asc_cases",
    "validate_asc_cld",
    "MANIFEST_FILE",
    "PERSON_TABLES",
    "REDACTED",
    "REPORT_COLUMNS",
    "RULES",
    "SOURCES",
    "TABLES",
    "WAREHOUSE_TYPE",
    "Column",
    "Issue",
    "Manifest",
    "Progress",
    "Table",
    "UnreadableFile",
    "ValidatedSubmission",
    "ValidationReport",
    "history_shrunk",
    "neutralise_formula",
    "parse_date",
    "read_manifest",
    "tables_of",
    "unpack_submission_zip",
    "validate_submission",
    "zip_is_submission",
]
