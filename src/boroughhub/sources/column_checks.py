"""Per-column checks of ``sources.md`` 1.3 as SQL: one predicate per type, one typed expression per type.

Each check is a vectorised ``WHERE`` over a whole file in DuckDB; the same expressions that decide a
value is valid also convert it for the warehouse, so what passes is exactly what is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from boroughhub.reference import code_list
from boroughhub.sources import schema
from boroughhub.sources.report import REDACTED
from boroughhub.sources.schema import Column

TRUE_FORMS = ("true", "y", "yes", "1")
FALSE_FORMS = ("false", "n", "no", "0")
_NI_PREFIXES_NEVER = ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ")
_CONTROL = r"[\x00-\x1f\x7f]"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def reference_table(list_name: str) -> str:
    return f"bh_ref_{list_name}"


def load_code_lists(con: duckdb.DuckDBPyConnection) -> None:
    """Put every code list a column refers to into temp tables ``bh_ref_<list>`` (all text columns)."""
    needed = {c.code_list for t in schema.TABLES.values() for c in t.columns if c.code_list}
    present = {
        row[0] for row in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
    }
    for name in sorted(needed):
        if reference_table(name) in present:
            continue
        rows = code_list(name)
        columns = list(rows[0])
        values = ", ".join("(" + ", ".join(literal(row[c]) for c in columns) + ")" for row in rows)
        column_sql = ", ".join(quote(c) for c in columns)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {reference_table(name)} AS "
            f"SELECT * FROM (VALUES {values}) AS v({column_sql})"
        )


def date_expression(v: str) -> str:
    """SQL turning text ``v`` into a DATE, or NULL unless it is one of the accepted forms (1.3)."""
    return (
        f"(CASE WHEN regexp_full_match({v}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
        f"THEN try_strptime({v}, '%Y-%m-%d') "
        f"WHEN regexp_full_match({v}, '[0-9]{{1,2}}/[0-9]{{1,2}}/[0-9]{{4}}') "
        f"THEN try_strptime({v}, '%d/%m/%Y') END)::DATE"
    )


def valid_date_expression(v: str) -> str:
    parsed = date_expression(v)
    return f"(CASE WHEN year({parsed}) BETWEEN 1900 AND 2100 THEN {parsed} END)"


def boolean_expression(v: str) -> str:
    trues = ", ".join(literal(f) for f in TRUE_FORMS)
    falses = ", ".join(literal(f) for f in FALSE_FORMS)
    return f"(CASE WHEN lower({v}) IN ({trues}) THEN true WHEN lower({v}) IN ({falses}) THEN false END)"


def ni_number_expression(v: str) -> str:
    return f"upper(replace({v}, ' ', ''))"


def typed_expression(column: Column) -> str:
    """The warehouse value of a column, from its trimmed text (NULL when empty or invalid)."""
    v = quote(column.name)
    if column.type == schema.DATE:
        return valid_date_expression(v)
    if column.type == schema.BOOLEAN:
        return boolean_expression(v)
    if column.type == schema.INTEGER:
        return f"try_cast({v} AS INTEGER)"
    if column.type == schema.NI_NUMBER:
        return ni_number_expression(v)
    return v


@dataclass(frozen=True)
class ColumnCheck:
    column: str
    rule: str
    predicate: str
    message: str


def allowed_codes(column: Column) -> list[str]:
    """The codes a column accepts: its code list, narrowed by the column's filter."""
    assert column.code_list is not None
    rows = code_list(column.code_list)
    if column.code_filter is None:
        return [row["code"] for row in rows]
    attribute, _, wanted = column.code_filter.partition(" = ")
    return [row["code"] for row in rows if row.get(attribute.strip()) == wanted.strip().strip("'")]


def _code_check(column: Column) -> ColumnCheck:
    assert column.code_list is not None
    v = quote(column.name)
    allowed = ", ".join(literal(code) for code in allowed_codes(column))
    message = f"Not a code of {column.code_list}.csv"
    if column.code_filter:
        message += f" allowed here ({column.code_filter.replace(chr(39), '')})"
    message += "; codes are case-sensitive."
    return ColumnCheck(column.name, "bad_code", f"{v} NOT IN ({allowed})", message)


def checks_for(column: Column) -> list[ColumnCheck]:
    """The type checks of one column; each predicate is true for a bad, non-empty value."""
    v = quote(column.name)
    filled = f"{v} IS NOT NULL AND "
    checks: list[ColumnCheck] = []
    if column.required == schema.REQUIRED:
        checks.append(ColumnCheck(column.name, "required_missing", f"{v} IS NULL", "A value is required."))
    if column.type == schema.KEY:
        checks.append(
            ColumnCheck(
                column.name,
                "bad_key",
                filled + f"NOT regexp_full_match({v}, '[A-Za-z0-9._-]{{1,64}}')",
                "A key is 1-64 characters from A-Z a-z 0-9 . _ -",
            )
        )
    elif column.type == schema.TEXT:
        checks.append(
            ColumnCheck(
                column.name,
                "bad_text",
                filled + f"(length({v}) > {column.length} OR regexp_matches({v}, '{_CONTROL}'))",
                f"Text of at most {column.length} characters, without control characters.",
            )
        )
    elif column.type == schema.NAME_LIST:
        checks.append(
            ColumnCheck(
                column.name,
                "bad_text",
                filled
                + f"(regexp_matches({v}, '{_CONTROL}') OR list_bool_or(list_transform(string_split({v}, '|'), "
                "lambda x: trim(x) = '' OR length(x) > 100)))",
                "Names separated by |, each at most 100 characters, no empty name, no control characters.",
            )
        )
    elif column.type == schema.DATE:
        checks.append(
            ColumnCheck(
                column.name,
                "bad_date",
                filled + f"{valid_date_expression(v)} IS NULL",
                "Not a real date in the form YYYY-MM-DD or DD/MM/YYYY (years 1900-2100).",
            )
        )
    elif column.type == schema.BOOLEAN:
        checks.append(
            ColumnCheck(
                column.name,
                "bad_boolean",
                filled + f"{boolean_expression(v)} IS NULL",
                "Expected true or false (also accepted: Y/N, yes/no, 1/0).",
            )
        )
    elif column.type == schema.INTEGER:
        checks.append(
            ColumnCheck(
                column.name,
                "bad_integer",
                filled + f"(NOT regexp_full_match({v}, '-?[0-9]+') OR try_cast({v} AS INTEGER) IS NULL)",
                "Expected a whole number.",
            )
        )
    elif column.type == schema.CODE:
        check = _code_check(column)
        checks.append(ColumnCheck(check.column, check.rule, filled + check.predicate, check.message))
    elif column.type == schema.NI_NUMBER:
        ni = ni_number_expression(v)
        never = ", ".join(literal(p) for p in _NI_PREFIXES_NEVER)
        checks.append(
            ColumnCheck(
                column.name,
                "bad_ni_number",
                filled
                + f"(NOT regexp_full_match({ni}, '[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{{6}}[A-D]') "
                f"OR left({ni}, 2) IN ({never}))",
                "An NI number is two prefix letters, six digits and a suffix letter A-D (e.g. AB123456C).",
            )
        )
    return checks


def echoed_value(column: Column | None, expression: str) -> str:
    """SQL for the value shown in a report: never a direct identifier, never more than a glimpse."""
    if column is not None and column.is_direct_identifier:
        return literal(REDACTED)
    text = f"CAST({expression} AS VARCHAR)"
    return (
        f"(CASE WHEN length({text}) > 200 THEN left({text}, 120) || '… (' || length({text}) || ' characters)' "
        f"ELSE {text} END)"
    )
