"""Where and when each person record was active: evidence beyond names and dates of birth.

A CHAIN record without a date of birth has only its name to go on, and a common name is shared by
many strangers. But services record *where and when* they met a person, and the sources meet the
same person at the same places and times: an outreach contact in Lambeth is followed within weeks
by a homelessness application to Lambeth; a hostel arrival is recorded both in CHAIN (the project's
stay) and in the provider's InForm, on the same day in the same borough. Two records active in the
same area at the same time are more likely one person; records never in the same area, less
(docs/decisions/0190-linkage-activity-evidence.md).

Each person record gets two raw fields, lists joined by ``|`` of ``AREA@YYYY-MM-DD`` events (an event
standing for a window of months carries it: ``AREA@YYYY-MM-DD~1~11``):

- ``stay_starts``: the start of each accommodation stay (CHAIN stays, InForm stays);
- ``seen_in``: every dated event in an area (CHAIN contacts and stays, InForm stays, and the
  H-CLIC application, in the council's own area, for every member of the household). An application
  stands for the months from one before it to eleven after: outreach refers people to the council,
  and people who asked a council for help are often first seen sleeping rough months later.

``standardise`` turns them into the model's ``stay_tokens``, ``place_months`` and ``areas``.
Only these two fields leave the source tables: no event detail reaches the linkage model.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

EVENT_SEPARATOR = "@"
# An event that stands for a window of months carries it: ``AREA@YYYY-MM-DD~BEFORE~AFTER``.
WINDOW_SEPARATOR = "~"
LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class EventTable:
    """Dated events in an area, for the person records of one source."""

    source: str
    table: str
    person_key: str  # the person record's key column in this table
    area: str  # SQL for the area code (columns of the event table ``e``)
    date: str  # SQL for the event's date
    is_stay: bool
    # Events reached through another table (H-CLIC people -> their case): (table, join column).
    via: tuple[str, str] | None = None
    # Months around the event in which another service meeting the person counts as "at the same time",
    # beyond the month either side every event has (see below).
    months_before: int = 0
    months_after: int = 0


EVENT_TABLES: tuple[EventTable, ...] = (
    EventTable("chain", "chain_contacts", "chain_person_id", "e.area_code", "e.contact_date", is_stay=False),
    EventTable("chain", "chain_stays", "chain_person_id", "e.area_code", "e.arrival_date", is_stay=True),
    EventTable("inform", "inform_stays", "inform_client_id", "e.area_code", "e.move_in_date", is_stay=True),
    # An H-CLIC record's area is the council that holds it (its supplier code).
    # An application to a council is "at the same time" as outreach contacts in its area from a little
    # before (outreach refers people to the council) to a year after (people who approached for help
    # before they slept rough: the prevention measures of metrics.md count exactly these).
    EventTable("hclic", "hclic_cases", "person_ref", "e.supplier_code", "e.application_date", is_stay=False,
               via=("hclic_people", "case_ref"), months_before=1, months_after=11),
)


def table_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> set[str]:
    """The columns of ``schema.table`` (empty if there is no such table)."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchall()
    return {r[0] for r in rows}


def schema_of(con: duckdb.DuckDBPyConnection, table: str, needed: set[str]) -> str | None:
    """The schema holding ``table`` with all ``needed`` columns (main first), if any."""
    return next((schema for schema in ("main", "identity") if needed <= table_columns(con, schema, table)), None)


def _event_select(con: duckdb.DuckDBPyConnection, spec: EventTable, unique_id_sql: str) -> str | None:
    date_col, area_col = spec.date.removeprefix("e."), spec.area.removeprefix("e.")
    if spec.via is None:
        schema = schema_of(con, spec.table, {"supplier_code", spec.person_key, date_col, area_col})
        if schema is None:
            return None
        key, from_ = f"e.{spec.person_key}", f"{schema}.{spec.table} AS e"
    else:
        via_table, join_col = spec.via
        schema = schema_of(con, spec.table, {"supplier_code", join_col, date_col, area_col})
        via_schema = schema_of(con, via_table, {"supplier_code", join_col, spec.person_key})
        if schema is None or via_schema is None:
            return None
        key = f"v.{spec.person_key}"
        from_ = (f"{via_schema}.{via_table} AS v JOIN {schema}.{spec.table} AS e "
                 f"ON e.supplier_code = v.supplier_code AND e.{join_col} = v.{join_col}")
    uid = unique_id_sql.format(source=spec.source, supplier="e.supplier_code", key=f"CAST({key} AS VARCHAR)")
    window = ""
    if spec.months_before or spec.months_after:
        window = f"{WINDOW_SEPARATOR}{spec.months_before}{WINDOW_SEPARATOR}{spec.months_after}"
    return (
        f"SELECT {uid} AS unique_id, {str(spec.is_stay).upper()} AS is_stay, "
        f"CAST({spec.area} AS VARCHAR) || '{EVENT_SEPARATOR}' || strftime(CAST({spec.date} AS DATE), '%Y-%m-%d') "
        f"|| '{window}' AS event "
        f"FROM {from_} WHERE {spec.area} IS NOT NULL AND {spec.date} IS NOT NULL"
    )


def activity_sql(con: duckdb.DuckDBPyConnection, unique_id_sql: str) -> str | None:
    """SELECT ``unique_id, stay_starts, seen_in``: one row per person record with any event.

    ``unique_id_sql`` is a format string with ``{source}``, ``{supplier}`` and ``{key}`` making the
    record's unique id exactly as the person records do. None if no event table is present.
    """
    selects = [s for spec in EVENT_TABLES if (s := _event_select(con, spec, unique_id_sql)) is not None]
    if not selects:
        return None
    events = " UNION ALL ".join(selects)
    return (
        f"SELECT unique_id, "
        f"string_agg(DISTINCT event, '{LIST_SEPARATOR}' ORDER BY event) FILTER (WHERE is_stay) AS stay_starts, "
        f"string_agg(DISTINCT event, '{LIST_SEPARATOR}' ORDER BY event) AS seen_in "
        f"FROM ({events}) GROUP BY unique_id"
    )
