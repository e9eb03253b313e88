"""The warehouse's tables, derived from the canonical formats (``sources.schema``).

``main.<table>``      the current accepted version of every supplier: canonical columns except direct
                      identifiers, typed, plus ``supplier_code`` and ``submission_id``.
``identity.<table>``  for the person tables only: ``supplier_code``, the primary key, the direct
                      identifiers, ``person_pseudonym`` (keyed hash, see ``pseudonym.py``) and
                      ``submission_id``. Read by linkage and by audited record views only.
``history.<table>`` and ``history.identity_<table>``  every superseded version, same columns.
``main.submissions``  one row per load.

Every row of ``main``, ``identity`` and ``history`` also carries the upload's ``stamp`` obligation
(agreements spec §3.6): ``stamp_purpose``, ``stamp_agreement_id`` and ``stamp_agreement_version``
(the supplier is ``supplier_code``). They come last, so a warehouse made before them gains them by
``ALTER TABLE ... ADD COLUMN`` (empty for the rows loaded before).
"""

from __future__ import annotations

from boroughhub.sources import PERSON_TABLES, TABLES, WAREHOUSE_TYPE, Table

IDENTITY_SCHEMA = "identity"
HISTORY_SCHEMA = "history"
SUBMISSIONS_TABLE = "main.submissions"
CURRENT = "current"
SUPERSEDED = "superseded"


#: The ``stamp`` obligation's columns, on every stored row (after ``submission_id``).
STAMP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("stamp_purpose", "VARCHAR"),
    ("stamp_agreement_id", "VARCHAR"),
    ("stamp_agreement_version", "INTEGER"),
)


def analytic_columns(table: Table) -> list[tuple[str, str]]:
    """``(name, type)`` of ``main.<table>`` in order."""
    columns = [(c.name, WAREHOUSE_TYPE[c.type]) for c in table.columns if not c.is_direct_identifier]
    return columns + [("supplier_code", "VARCHAR"), ("submission_id", "VARCHAR"), *STAMP_COLUMNS]


def identity_columns(table: Table) -> list[tuple[str, str]]:
    """``(name, type)`` of ``identity.<table>`` in order."""
    key = [(name, WAREHOUSE_TYPE[table.column(name).type]) for name in table.primary_key]
    identifiers = [(c.name, WAREHOUSE_TYPE[c.type]) for c in table.columns if c.is_direct_identifier]
    return [
        ("supplier_code", "VARCHAR"),
        *key,
        *identifiers,
        ("person_pseudonym", "VARCHAR"),
        ("submission_id", "VARCHAR"),
        *STAMP_COLUMNS,
    ]


def _create(name: str, columns: list[tuple[str, str]]) -> list[str]:
    body = ", ".join(f'"{column}" {type_}' for column, type_ in columns)
    return [f"CREATE TABLE IF NOT EXISTS {name} ({body})"]


def stored_tables() -> list[str]:
    """Every table that holds supplied rows (``schema.name``): each carries the stamp columns."""
    names = []
    for table in TABLES.values():
        names += [f"main.{table.name}", f"{HISTORY_SCHEMA}.{table.name}"]
        if table.name in PERSON_TABLES:
            names += [f"{IDENTITY_SCHEMA}.{table.name}", f"{HISTORY_SCHEMA}.identity_{table.name}"]
    return names


def stamp_upgrade_statements(stamped: set[str]) -> list[str]:
    """``ALTER TABLE`` for the stored tables made before the stamp columns (``stamped``: those that have them)."""
    return [f'ALTER TABLE {name} ADD COLUMN IF NOT EXISTS "{column}" {type_}'
            for name in stored_tables() if name not in stamped for column, type_ in STAMP_COLUMNS]


def schema_statements() -> list[str]:
    """DDL for an empty warehouse; every statement is idempotent."""
    statements = [
        f"CREATE SCHEMA IF NOT EXISTS {IDENTITY_SCHEMA}",
        f"CREATE SCHEMA IF NOT EXISTS {HISTORY_SCHEMA}",
        f"""CREATE TABLE IF NOT EXISTS {SUBMISSIONS_TABLE} (
            submission_id VARCHAR PRIMARY KEY,
            source VARCHAR NOT NULL,
            supplier_code VARCHAR NOT NULL,
            version INTEGER NOT NULL,
            status VARCHAR NOT NULL,
            extract_period_start DATE,
            extract_period_end DATE,
            extracted_on DATE,
            encoding VARCHAR,
            loaded_at TIMESTAMP WITH TIME ZONE,
            files_sha256 VARCHAR,
            file_hashes VARCHAR,
            row_counts VARCHAR,
            restored_at TIMESTAMP WITH TIME ZONE
        )""",
    ]
    for table in TABLES.values():
        statements += _create(f"main.{table.name}", analytic_columns(table))
        statements += _create(f"{HISTORY_SCHEMA}.{table.name}", analytic_columns(table))
        if table.name in PERSON_TABLES:
            statements += _create(f"{IDENTITY_SCHEMA}.{table.name}", identity_columns(table))
            statements += _create(f"{HISTORY_SCHEMA}.identity_{table.name}", identity_columns(table))
    return statements
