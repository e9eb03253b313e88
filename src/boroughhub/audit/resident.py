"""Does the officer's organisation hold this person record? (plain Python; spec §4.6 step 1)

The resident search must tell "no such record" from "a record nobody has accessed". The answer comes
from the warehouse's person tables, current and superseded versions, restricted to the officer's own
supplier code: the search never covers other suppliers' rows. Only the key is read, never a name.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

from boroughhub.sources import PERSON_TABLES, TABLES
from boroughhub.warehouse import Warehouse

#: dataset (as subject references name it) -> (person table, its key column)
PERSON_RECORDS: dict[str, tuple[str, str]] = {
    TABLES[name].source: (name, TABLES[name].primary_key[0]) for name in PERSON_TABLES
}


class RecordKnown(Enum):
    YES = "yes"
    NO = "no"
    CANNOT_TELL = "cannot_tell"  # the warehouse is busy (a load holds it) or unreadable


def record_known_sql(dataset: str) -> str:
    """One row if ``(supplier_code, key)`` is in the dataset's person table, now or in its history."""
    table, key = PERSON_RECORDS[dataset]
    return (f'SELECT 1 FROM main.{table} WHERE supplier_code = $supplier AND CAST("{key}" AS VARCHAR) = $key '
            f'UNION ALL SELECT 1 FROM history.{table} WHERE supplier_code = $supplier '
            f'AND CAST("{key}" AS VARCHAR) = $key LIMIT 1')


def record_known(warehouse_path: Path, dataset: str, supplier_codes: set[str], record_key: str) -> RecordKnown:
    """Whether any of ``supplier_codes`` supplied ``record_key`` in ``dataset`` (read-only)."""
    if dataset not in PERSON_RECORDS or not supplier_codes:
        return RecordKnown.NO
    if not warehouse_path.exists():
        return RecordKnown.NO  # nothing was ever loaded
    try:
        with Warehouse(warehouse_path, read_only=True) as warehouse:
            for supplier in sorted(supplier_codes):
                rows: list[Any] = warehouse.fetchall(record_known_sql(dataset),
                                                     {"supplier": supplier, "key": record_key})
                if rows:
                    return RecordKnown.YES
    except Exception:  # noqa: BLE001 - a locked or half-created warehouse: say so, never guess "no"
        return RecordKnown.CANNOT_TELL
    return RecordKnown.NO
