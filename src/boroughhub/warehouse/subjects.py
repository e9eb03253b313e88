"""The agreement's ``data_subjects`` rules, applied at upload (agreements spec §3.6, ``stamp``).

Records of people outside the age rules of the agreement the upload is permitted under, and the rows
that refer to them, are left out of the load; everything else is loaded as it is. The submission's
report says how many were left out, per rule. Nothing of the people left out reaches the warehouse.

The rules the hub applies are the agreement's structured ones: ``min_age_years``, ``max_age_years``,
and ``children_included: false`` (which means 18 or over when no minimum is given). Age is taken at
the end of the extract period (the manifest's ``extract_period_end``): the date the records describe,
the same for every record of the submission (docs/decisions/0161-data-subjects-rules-and-stamp-at-upload.md).
A person without a date of birth cannot be judged by age and is kept. The free-text inclusion and
exclusion rules are for people to read; the hub does not guess at them. The structured cohort rules
(``cohort_rules``) are read here too and applied after the age rules by ``cohort.py``.

Plain Python: works on the typed staging tables validation leaves on the warehouse connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

from boroughhub.sources import Table, tables_of

ADULT_AGE = 18


@dataclass(frozen=True)
class CohortRule:
    """One of ``data_subjects.cohort_rules``, as written: a rule code and the dataset it applies to.

    Read leniently: anything that is not ``{"dataset": str, "rule": str}`` keeps ``dataset`` empty and
    ``rule`` as written, so the upload can say which rule it could not apply instead of failing."""

    rule: str
    dataset: str


@dataclass(frozen=True)
class SubjectRules:
    """The rules of one agreement version's ``data_subjects``; ``cited`` names the version."""

    min_age_years: int | None
    max_age_years: int | None
    cited: str = ""
    cohort: tuple[CohortRule, ...] = ()

    @classmethod
    def from_content(cls, data_subjects: Mapping[str, Any] | None, cited: str = "") -> SubjectRules:
        subjects = data_subjects or {}
        lowest = subjects.get("min_age_years")
        if lowest is None and subjects.get("children_included") is False:
            lowest = ADULT_AGE
        highest = subjects.get("max_age_years")
        return cls(int(lowest) if lowest is not None else None, int(highest) if highest is not None else None,
                   cited, _cohort_rules(subjects.get("cohort_rules")))

    @property
    def any(self) -> bool:
        return self.min_age_years is not None or self.max_age_years is not None or bool(self.cohort)


def _cohort_rules(value: Any) -> tuple[CohortRule, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        return (CohortRule(str(value)[:80], ""),)
    rules = []
    for item in value:
        if isinstance(item, Mapping) and isinstance(item.get("rule"), str) and isinstance(item.get("dataset"), str):
            rules.append(CohortRule(item["rule"], item["dataset"]))
        else:
            rules.append(CohortRule(str(item)[:80], ""))
    return tuple(rules)


@dataclass(frozen=True)
class LeftOut:
    """People left out under one rule, and every row that went with them (theirs and those referring)."""

    rule: str  # "min_age_years" or "max_age_years"
    people: int
    rows: int
    rows_by_file: dict[str, int]

    def sentence(self, rules: SubjectRules, reference_date: dt.date) -> str:
        on = f"{reference_date.day} {reference_date:%B %Y}"
        if self.rule == "min_age_years":
            why = f"under {rules.min_age_years} on {on} (the end of the extract period)"
            rule = f"people aged {rules.min_age_years} or over"
        else:
            why = f"over {rules.max_age_years} on {on} (the end of the extract period)"
            rule = f"people aged {rules.max_age_years} or under"
        people = f"{self.people:,} {'person' if self.people == 1 else 'people'}"
        files = ", ".join(f"{count:,} in {name}" for name, count in sorted(self.rows_by_file.items()))
        cited = f" ({rules.cited})" if rules.cited else ""
        verb = "was" if self.people == 1 else "were"
        rows = f"{self.rows:,} {'row' if self.rows == 1 else 'rows'}"
        return (f"{people} {why} {verb} left out, with {rows} ({files}): the agreement"
                f"{cited} covers {rule}.")


def _age_condition(rule: str, rules: SubjectRules) -> str:
    age = "date_sub('year', date_of_birth, $reference)"
    if rule == "min_age_years":
        return f"date_of_birth IS NOT NULL AND {age} < {int(rules.min_age_years or 0)}"
    return f"date_of_birth IS NOT NULL AND {age} > {int(rules.max_age_years or 0)}"


def row_key(table: Table) -> str:
    """A row's primary key as one string (a composite key joined with ``|``)."""
    return " || '|' || ".join(f'CAST("{k}" AS VARCHAR)' for k in table.primary_key)


def leave_out_people(
    con: duckdb.DuckDBPyConnection,
    source: str,
    staged: Mapping[str, str],
    rules: SubjectRules,
    reference_date: dt.date,
) -> list[LeftOut]:
    """Delete from the staging tables the people outside ``rules`` and the rows that refer to them.

    Runs on the staging tables only, before the load's transaction: the warehouse is untouched here.
    """
    tables = [t for t in tables_of(source) if t.name in staged]
    outcome: list[LeftOut] = []
    for rule in ("min_age_years", "max_age_years"):
        if getattr(rules, rule) is None:
            continue
        # Which keys go, table by table: the people first, then every row whose reference leads to them.
        gone: dict[str, set[str]] = {}
        for table in tables:
            if "date_of_birth" not in table.column_names:
                continue
            rows = con.execute(
                f"SELECT {row_key(table)} FROM {staged[table.name]} WHERE {_age_condition(rule, rules)}",
                {"reference": reference_date},
            ).fetchall()
            if rows:
                gone[table.name] = {str(r[0]) for r in rows}
        people = sum(len(keys) for keys in gone.values())
        if not people:
            continue
        counts = leave_out_rows(con, tables, staged, gone)
        outcome.append(LeftOut(rule, people, sum(counts.values()), counts))
    return outcome


def leave_out_rows(con: duckdb.DuckDBPyConnection, tables: list[Table], staged: Mapping[str, str],
                   gone: dict[str, set[str]]) -> dict[str, int]:
    """Delete the rows keyed in ``gone`` (table -> keys) and every row that refers to them, from the
    staging tables; the rows deleted, per file."""
    _follow_references(con, tables, staged, gone)
    counts = {TABLE_FILES[name]: len(keys) for name, keys in gone.items() if keys}
    for name, keys in gone.items():
        table = next(t for t in tables if t.name == name)
        con.execute(f"DELETE FROM {staged[name]} WHERE {row_key(table)} IN (SELECT unnest($keys))",
                    {"keys": sorted(keys)})
    return counts


def _follow_references(con: duckdb.DuckDBPyConnection, tables: list[Table], staged: Mapping[str, str],
                       gone: dict[str, set[str]]) -> None:
    """Add to ``gone`` every row that refers (directly or through another such row) to a row in it."""
    changed = True
    while changed:
        changed = False
        for table in tables:
            for reference in table.foreign_keys:
                parent = next((t for t in tables if t.name == reference.parent_table), None)
                if parent is None or not gone.get(parent.name) or parent.primary_key != (reference.parent_column,):
                    continue
                rows = con.execute(
                    f'SELECT {row_key(table)} FROM {staged[table.name]} '
                    f'WHERE CAST("{reference.column}" AS VARCHAR) IN (SELECT unnest($keys))',
                    {"keys": sorted(gone[parent.name])},
                ).fetchall()
                found = {str(r[0]) for r in rows} - gone.get(table.name, set())
                if found:
                    gone.setdefault(table.name, set()).update(found)
                    changed = True


TABLE_FILES: dict[str, str] = {t.name: t.file_name for s in ("chain", "inform", "hclic") for t in tables_of(s)}
