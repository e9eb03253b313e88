"""Row rules across fields and files (``sources.md`` 3-5 "Codes / rule" columns, 6.3-6.5), as SQL.

Each :class:`~boroughhub.sources.row_rule.RowRule` selects the offending rows of one file. The rules
every file has (keys, references, the extract period) are generated here from the schema; the rules
particular to a source are in ``rules_chain_inform.py`` and ``rules_hclic.py``.
"""

from __future__ import annotations

from boroughhub.sources.row_rule import AGE_MACRO, RowRule, where
from boroughhub.sources.rules_chain_inform import chain_rules, inform_rules
from boroughhub.sources.rules_hclic import hclic_case_rules, hclic_duty_rules
from boroughhub.sources.schema import Table

__all__ = ["AGE_MACRO", "RowRule", "generic_rules", "rules_for"]


def generic_rules(table: Table) -> list[RowRule]:
    """Keys, references and the extract period: the rules every file has."""
    name = table.name
    rules: list[RowRule] = []
    key = ", ".join(table.primary_key)
    rules.append(
        where(
            name,
            table.primary_key[-1] if len(table.primary_key) == 1 else "",
            "duplicate_key",
            "t.record_key IN (SELECT record_key FROM {t} GROUP BY record_key HAVING count(*) > 1)",
            f"The key ({key}) is used by more than one row of the file.",
            value="t.record_key",
        )
    )
    if name in ("hclic_prevention", "hclic_relief", "hclic_main_duty"):
        rules.append(
            where(
                name,
                "case_ref",
                "cardinality",
                "case_ref IN (SELECT case_ref FROM {t} GROUP BY case_ref HAVING count(*) > 1)",
                "A case has at most one row in this file.",
            )
        )
    for fk in table.foreign_keys:
        rules.append(
            where(
                name,
                fk.column,
                "orphan_reference",
                f"t.{fk.column} IS NOT NULL AND t.{fk.column} NOT IN "
                f"(SELECT {fk.parent_column} FROM {{{fk.parent_table}}} WHERE {fk.parent_column} IS NOT NULL)",
                f"No row of {fk.parent_table}.csv has this {fk.parent_column}.",
            )
        )
    for column in table.date_columns:
        rules.append(
            where(
                name,
                column,
                "future_date",
                f"t.{column} > {{X}}",
                "The date is after the manifest's extracted_on.",
            )
        )
        rules.append(
            where(
                name,
                column,
                "outside_extract_period",
                f"t.{column} > {{E}} AND t.{column} <= {{X}}",
                "The date is after extract_period_end.",
            )
        )
    return rules


def rules_for(table: Table) -> list[RowRule]:
    """Every row rule whose offending rows are reported in ``table``'s file."""
    specific = [
        r
        for r in (*chain_rules(), *inform_rules(), *hclic_case_rules(), *hclic_duty_rules())
        if r.table == table.name
    ]
    return generic_rules(table) + specific
