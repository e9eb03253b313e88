"""One row rule: a SQL condition over a typed staging table, and the helpers that build the common kinds.

Placeholders in the SQL: ``{t}`` is the rule's own table (alias ``t``), ``{<table>}`` any other table
of the submission, ``{S}``, ``{E}``, ``{X}`` the extract period start and end and ``extracted_on``
as DATE literals. A rule whose tables are not all readable is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from boroughhub.sources.schema import TABLES

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

#: Whole years between a date of birth and an event (metrics.md 3.1).
AGE_MACRO = """
CREATE OR REPLACE TEMP MACRO bh_age(dob, d) AS
    year(d) - year(dob) - CASE WHEN month(d) * 100 + day(d) < month(dob) * 100 + day(dob) THEN 1 ELSE 0 END
"""


@dataclass(frozen=True)
class RowRule:
    """Rows of ``{t}`` (alias ``t``, joined with ``joins``) where ``condition`` holds break ``rule``."""

    table: str
    column: str
    rule: str
    message: str
    condition: str
    joins: str = ""
    value: str | None = None

    @property
    def shown(self) -> str:
        return self.value if self.value is not None else f"t.{self.column}"

    @property
    def sql(self) -> str:
        return (
            f"SELECT t.line_no, t.record_key, {self.shown} AS value FROM {{t}} t {self.joins} "
            f"WHERE {self.condition}"
        )

    def tables_needed(self) -> set[str]:
        return {name for name in _PLACEHOLDER.findall(self.sql) if name in TABLES} | {self.table}


def where(
    table: str,
    column: str,
    rule: str,
    condition: str,
    message: str,
    *,
    joins: str = "",
    value: str | None = None,
) -> RowRule:
    return RowRule(table, column, rule, message, condition, joins, value)


def required_if(table: str, column: str, condition: str, message: str) -> list[RowRule]:
    """``column`` is required when ``condition`` holds and must be empty otherwise."""
    return [
        where(
            table,
            column,
            "conditional_required",
            f"t.{column} IS NULL AND ({condition})",
            f"Required: {message}.",
        ),
        where(
            table,
            column,
            "conditional_forbidden",
            f"t.{column} IS NOT NULL AND NOT ({condition})",
            f"Must be empty unless {message}.",
        ),
    ]


def not_before(table: str, column: str, earlier: str, message: str, *, joins: str = "") -> RowRule:
    return where(table, column, "date_order", f"t.{column} < {earlier}", message, joins=joins)


def stay_in_period(table: str, start: str, end: str) -> RowRule:
    return where(
        table,
        start,
        "outside_extract_period",
        f"t.{end} IS NOT NULL AND t.{end} < {{S}}",
        f"The stay ended ({end}) before extract_period_start: it does not overlap the period.",
        value=f"t.{end}",
    )


def age_rules(table: str, column: str, people: str, person_key: str, *, plausible: bool) -> list[RowRule]:
    joins = f"JOIN {{{people}}} p ON p.{person_key} = t.{person_key}"
    age = f"bh_age(p.date_of_birth, t.{column})"
    rules = [
        where(
            table,
            column,
            "impossible_age",
            f"p.date_of_birth IS NOT NULL AND ({age} < 0 OR {age} > 110)",
            f"The person's age at {column} is below 0 or above 110 (check the date of birth).",
            joins=joins,
        )
    ]
    if plausible:
        rules.append(
            where(
                table,
                column,
                "age_implausible",
                f"p.date_of_birth IS NOT NULL AND ({age} BETWEEN 0 AND 15 OR {age} BETWEEN 91 AND 110)",
                f"The person is under 16 or over 90 at {column}.",
                joins=joins,
            )
        )
    return rules


def overlapping_stays(table: str, person: str, start: str, end: str) -> RowRule:
    other_end = f"coalesce(o.{end}, {{E}})"
    this_end = f"coalesce(t.{end}, {{E}})"
    return where(
        table,
        start,
        "overlapping_stays",
        f"o.stay_id < t.stay_id AND least({this_end}, {other_end}) - greatest(t.{start}, o.{start}) > 1",
        "Overlaps another stay of the same person by more than one day.",
        joins=f"JOIN {{t}} o ON o.{person} = t.{person}",
        value="'overlaps stay ' || o.stay_id",
    )
