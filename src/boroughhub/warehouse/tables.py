"""The warehouse's tables, derived from the canonical formats (``sources.schema``).

``main.<table>``      the current accepted version of every supplier: canonical columns except direct
                      identifiers, typed, plus ``supplier_code`` and ``submission_id``.
``identity.<table>``  for the person tables only: ``supplier_code``, the primary key, the direct
                      identifiers, ``person_pseudonym`` (keyed hash, see ``pseudonym.py``) and
                      ``submission_id``. Read by linkage and by audited record views only.
``history.<table>`` and ``history.identity_<table>``  every superseded version, same columns.
``main.submissions``  one row per load.
"""

from __future__ import annotations

from boroughhub.sources import PERSON_TABLES, TABLES, WAREHOUSE_TYPE, Table

IDENTITY_SCHEMA = "identity"
HISTORY_SCHEMA = "history"
SUBMISSIONS_TABLE = "main.submissions"
CURRENT = "current"
SUPERSEDED = "superseded"


def analytic_columns(table: Table) -> list[tuple[str, str]]:
    """``(name, type)`` of ``main.<table>`` in order."""
    columns = [(c.name, WAREHOUSE_TYPE[c.type]) for c in table.columns if not c.is_direct_identifier]
    return columns + [("supplier_code", "VARCHAR"), ("submission_id", "VARCHAR")]


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
    ]


def _create(name: str, columns: list[tuple[str, str]]) -> str:
    body = ", ".join(f'"{column}" {type_}' for column, type_ in columns)
    return f"CREATE TABLE IF NOT EXISTS {name} ({body})"


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
        statements.append(_create(f"main.{table.name}", analytic_columns(table)))
        statements.append(_create(f"{HISTORY_SCHEMA}.{table.name}", analytic_columns(table)))
        if table.name in PERSON_TABLES:
            statements.append(_create(f"{IDENTITY_SCHEMA}.{table.name}", identity_columns(table)))
            statements.append(_create(f"{HISTORY_SCHEMA}.identity_{table.name}", identity_columns(table)))
    return statements
