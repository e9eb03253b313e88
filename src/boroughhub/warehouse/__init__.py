"""The DuckDB warehouse: one executor, atomic versioned loads, identity schema, keyed pseudonyms.

Plain Python; ``store.py`` (reserved) is where Django-side helpers go.
"""

from boroughhub.warehouse.cohort import COHORT_QUERIES
from boroughhub.warehouse.load import LoadOutcome, load_submission
from boroughhub.warehouse.pseudonym import person_pseudonym, pseudonymise
from boroughhub.warehouse.stamp import RowStamp, stamp_of
from boroughhub.warehouse.subjects import CohortRule, LeftOut, SubjectRules
from boroughhub.warehouse.submit import (
    DENIED,
    REJECTED,
    SubmissionResult,
    is_permitted,
    submit_folder,
    submit_in_turn,
)
from boroughhub.warehouse.warehouse import SubmissionRecord, Warehouse
from boroughhub.warehouse.writer_queue import WAITING_FOR_THE_WAREHOUSE, WarehouseHeld, Work, WriterQueue

__all__ = [
    "COHORT_QUERIES",
    "DENIED",
    "REJECTED",
    "WAITING_FOR_THE_WAREHOUSE",
    "CohortRule",
    "LeftOut",
    "LoadOutcome",
    "RowStamp",
    "SubjectRules",
    "SubmissionRecord",
    "SubmissionResult",
    "Warehouse",
    "WarehouseHeld",
    "Work",
    "WriterQueue",
    "is_permitted",
    "load_submission",
    "person_pseudonym",
    "pseudonymise",
    "stamp_of",
    "submit_folder",
    "submit_in_turn",
]
