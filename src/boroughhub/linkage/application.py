"""How an H-CLIC household applied: evidence for linking a CHAIN or InForm record to an H-CLIC record.

A CHAIN record without a date of birth is linked on its name and where and when outreach met the
person (``activity``), and in a borough a common name is shared by several applicants. The H-CLIC
case says more about who applied: whether the household was sleeping rough when it applied
(``accommodation_at_application``) and whether it is one adult alone (``household_type``). People
outreach or a hostel meets mostly apply from the street or alone; most applicants are families. So for
a CHAIN or InForm record against an H-CLIC record, "applied from the street" is evidence of one person, and "a family
or couple applied" evidence of two (docs/decisions/0201-linkage-how-the-household-applied.md).

Only the case's main section is read (quasi-identifiers of the case, not its support needs: those are
special category data, and a history of rough sleeping is among them).

Each H-CLIC person record gets one raw field, ``application``: ``street``, ``alone``, ``with_others``,
or empty when the case says neither (household type not known).
"""

from __future__ import annotations

import duckdb

from boroughhub.linkage.activity import schema_of

APPLIED_FROM_STREET = "street"
APPLIED_ALONE = "alone"
APPLIED_WITH_OTHERS = "with_others"

# ``hclic_accommodation_at_application`` code for sleeping rough when the household applied.
ROUGH_SLEEPING = "rough_sleeping"
# ``hclic_household_type`` codes.
SINGLE_ADULT = "single_adult"
HOUSEHOLD_TYPE_NOT_KNOWN = "not_known"


def application_sql(con: duckdb.DuckDBPyConnection, unique_id_sql: str) -> str | None:
    """SELECT ``unique_id, application`` for each H-CLIC person record; None without the H-CLIC tables.

    ``unique_id_sql`` is a format string with ``{source}``, ``{supplier}`` and ``{key}`` making the
    record's unique id exactly as the person records do (as for ``activity.activity_sql``).
    """
    cases = schema_of(con, "hclic_cases", {"supplier_code", "case_ref", "accommodation_at_application",
                                           "household_type"})
    people = schema_of(con, "hclic_people", {"supplier_code", "case_ref", "person_ref"})
    if cases is None or people is None:
        return None
    uid = unique_id_sql.format(source="hclic", supplier="p.supplier_code", key="CAST(p.person_ref AS VARCHAR)")
    accommodation = "lower(trim(CAST(c.accommodation_at_application AS VARCHAR)))"
    household_type = "lower(trim(CAST(c.household_type AS VARCHAR)))"
    return (
        f"SELECT {uid} AS unique_id, CASE "
        f"WHEN {accommodation} = '{ROUGH_SLEEPING}' THEN '{APPLIED_FROM_STREET}' "
        f"WHEN {household_type} = '{SINGLE_ADULT}' THEN '{APPLIED_ALONE}' "
        f"WHEN nullif({household_type}, '') IS NOT NULL AND {household_type} <> '{HOUSEHOLD_TYPE_NOT_KNOWN}' "
        f"THEN '{APPLIED_WITH_OTHERS}' END AS application "
        f"FROM {people}.hclic_people AS p JOIN {cases}.hclic_cases AS c "
        f"ON c.supplier_code = p.supplier_code AND c.case_ref = p.case_ref"
    )
