"""Reading the person records to link from the warehouse.

The warehouse keeps each source table's non-identifying columns in ``main`` and its direct
identifiers in ``identity``, both with ``supplier_code`` and the table's primary key. This module
joins the two and takes each wanted field from whichever side holds it, so it does not depend on
exactly which columns the warehouse puts where.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from boroughhub.linkage.activity import activity_sql, table_columns
from boroughhub.linkage.application import application_sql

UNIQUE_ID_SEPARATOR = ":"
# A record's unique id in SQL, for ``activity_sql`` and ``application_sql`` (the same shape as ``unique_id``).
UNIQUE_ID_SQL = f"'{{source}}{UNIQUE_ID_SEPARATOR}' || {{supplier}} || '{UNIQUE_ID_SEPARATOR}' || {{key}}"


@dataclass(frozen=True)
class PersonTable:
    source: str
    table: str
    key: str
    # field in the linkage model -> column in the source table
    columns: dict[str, str]


PERSON_TABLES: tuple[PersonTable, ...] = (
    PersonTable(
        "chain",
        "chain_people",
        "chain_person_id",
        {
            "first_name": "first_name", "last_name": "last_name", "other_names": "other_names",
            "date_of_birth": "date_of_birth", "date_of_birth_estimated": "date_of_birth_estimated",
            "ni_number": "ni_number", "gender": "gender", "nationality": "nationality", "chain_ref": "chain_person_id",
        },
    ),
    PersonTable(
        "inform",
        "inform_clients",
        "inform_client_id",
        {
            "first_name": "first_name", "last_name": "last_name", "other_names": "other_names",
            "date_of_birth": "date_of_birth", "ni_number": "ni_number", "gender": "gender",
            "nationality": "nationality", "chain_ref": "chain_person_id",
        },
    ),
    PersonTable(
        "hclic",
        "hclic_people",
        "person_ref",
        {
            "first_name": "first_name", "last_name": "last_name", "date_of_birth": "date_of_birth",
            "ni_number": "ni_number", "gender": "gender", "nationality": "nationality", "household": "case_ref",
            "household_role": "relationship",
        },
    ),
)


def unique_id(source: str, supplier_code: str, record_key: str) -> str:
    return UNIQUE_ID_SEPARATOR.join((source, supplier_code, record_key))


def split_unique_id(value: str) -> tuple[str, str, str]:
    source, supplier_code, record_key = value.split(UNIQUE_ID_SEPARATOR, 2)
    return source, supplier_code, record_key


class PairOfRecords:
    """The sources and suppliers of a pair's two records, read from their unique ids (a mixin for pairs)."""

    unique_id_l: str
    unique_id_r: str

    @property
    def sources(self) -> tuple[str, str]:
        return split_unique_id(self.unique_id_l)[0], split_unique_id(self.unique_id_r)[0]

    @property
    def suppliers(self) -> tuple[str, str]:
        return split_unique_id(self.unique_id_l)[1], split_unique_id(self.unique_id_r)[1]



def person_records_sql(con: duckdb.DuckDBPyConnection) -> str:
    """One SELECT (UNION ALL over the three sources present) of raw person records for ``standardise``."""
    selects = []
    for spec in PERSON_TABLES:
        identity_cols = table_columns(con, "identity", spec.table)
        main_cols = table_columns(con, "main", spec.table)
        if not identity_cols and not main_cols:
            continue
        base = "i" if identity_cols else "m"
        join = ""
        if identity_cols and main_cols:
            join = (
                f"LEFT JOIN main.{spec.table} AS m "
                f"ON m.supplier_code = i.supplier_code AND m.{spec.key} = i.{spec.key}"
            )
        from_ = f"identity.{spec.table} AS i" if identity_cols else f"main.{spec.table} AS m"
        fields = []
        for field in ("first_name", "last_name", "other_names", "date_of_birth", "date_of_birth_estimated",
                      "ni_number", "gender", "nationality", "chain_ref", "household", "household_role"):
            column = spec.columns.get(field)
            if column and column in identity_cols:
                fields.append(f"CAST(i.{column} AS VARCHAR) AS {field}")
            elif column and column in main_cols:
                fields.append(f"CAST(m.{column} AS VARCHAR) AS {field}")
            else:
                fields.append(f"CAST(NULL AS VARCHAR) AS {field}")
        selects.append(
            f"SELECT '{spec.source}' || '{UNIQUE_ID_SEPARATOR}' || {base}.supplier_code || "
            f"'{UNIQUE_ID_SEPARATOR}' || CAST({base}.{spec.key} AS VARCHAR) AS unique_id, "
            f"'{spec.source}' AS source, {base}.supplier_code, CAST({base}.{spec.key} AS VARCHAR) AS record_key, "
            + ", ".join(fields)
            + f" FROM {from_} {join}"
        )
    if not selects:
        raise LookupError("The warehouse holds no person tables (chain_people, inform_clients, hclic_people).")
    return with_evidence(con, "\nUNION ALL\n".join(selects))


def with_evidence(con: duckdb.DuckDBPyConnection, people_sql: str) -> str:
    """``people_sql`` (person records with ``unique_id``) with the evidence beyond their identifiers that
    the other tables in ``con`` hold: where and when each was active (``activity``) and how an H-CLIC
    household applied (``application``)."""
    selected, joins = ["p.*"], []
    activity = activity_sql(con, UNIQUE_ID_SQL)
    if activity is not None:
        selected += ["a.stay_starts", "a.seen_in"]
        joins.append(f"LEFT JOIN ({activity}) AS a USING (unique_id)")
    application = application_sql(con, UNIQUE_ID_SQL)
    if application is not None:
        selected.append("h.application")
        joins.append(f"LEFT JOIN ({application}) AS h USING (unique_id)")
    if not joins:
        return people_sql
    return f"SELECT {', '.join(selected)} FROM ({people_sql}) AS p " + " ".join(joins)
