"""Standardise raw person records into the columns the linkage model compares.

Input: a DuckDB table holding ``unique_id``, ``source``, ``supplier_code``, ``record_key`` and any of
``RAW_FIELDS`` (missing fields are treated as empty). Output: a table with ``MODEL_COLUMNS``.

What standardisation does, and why:

- names: lower case, accents removed (``strip_accents`` plus letters Unicode cannot decompose,
  such as Polish ``ł``), apostrophes dropped (O'Brien = OBrien), other punctuation to spaces;
  first name = canonical form of its first token (transliteration variants, then nicknames:
  Mohamed = Muhammad = mohammed, Bob = Robert); last name = canonical form with spaces removed
  (Mc Donald = McDonald).
- ``given_name``: the first name again, for comparisons that must not count as reading ``first_name``
  (see ``model_settings.home_comparison``).
- ``name_tokens``: every distinct canonical token of first name, last name and ``other_names``, so
  an alias can match a current name.
- dates of birth: ISO ``YYYY-MM-DD``, ``YYYYMMDD`` or day-first ``DD/MM/YYYY``, each value parsed by
  the one pattern it fits; impossible dates and years outside 1900–2100 become empty. Split into
  year, month, day and a day number so comparisons stay plain integer SQL on every backend.
- addresses (``link-files`` only): lower case, accents and punctuation removed, plus the set of
  their words (``address_tokens``).
- NI numbers: upper case, spaces removed; temporary ``TN`` numbers and all-zero digits dropped.
- activity (``stay_starts``, ``seen_in``: see ``activity``): the stays' first days, the areas, and
  each area with the months around each event.
- ``household``: the people of one household (an H-CLIC case), who are never one person; ``household_role``:
  each one's relationship in it (H-CLIC's main applicant, partner, child, other adult), for
  ``cluster.cluster_persons``.
- ``application`` (H-CLIC): how the household applied, ``street``, ``alone`` or ``with_others`` (see
  ``application``), compared only for a CHAIN or InForm record against an H-CLIC record.
- a date of birth flagged as estimated (``date_of_birth_estimated``) counts as missing; its year is kept as
  ``dob_estimated_y``, compared only as an age (``model_settings.date_of_birth_comparison``).
- gender ``not_known`` and nationality ``XXX``/``not_known`` count as missing.

The SQL is DuckDB's: standardisation always runs in DuckDB, also for the Spark backend, so both
backends compare identical values.
"""

from __future__ import annotations

import duckdb

from boroughhub.linkage.activity import EVENT_SEPARATOR, LIST_SEPARATOR, WINDOW_SEPARATOR
from boroughhub.linkage.names import first_name_map_rows, last_name_map_rows, translate_table

RAW_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "other_names",
    "date_of_birth",
    "date_of_birth_estimated",
    "ni_number",
    "gender",
    "nationality",
    "chain_ref",
    "postcode",
    "address",
    "stay_starts",
    "seen_in",
    "household",
    "household_role",
    "application",
)

MODEL_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "source",
    "supplier_code",
    "record_key",
    "first_name",
    "given_name",
    "last_name",
    "full_name",
    "name_tokens",
    "dob",
    "dob_y",
    "dob_m",
    "dob_d",
    "dob_days",
    "dob_estimated_y",
    "ni_number",
    "gender",
    "nationality",
    "chain_ref",
    "postcode",
    "address",
    "address_tokens",
    "stay_tokens",
    "place_months",
    "areas",
    "household",
    "household_role",
    "application",
)

# Events in one area within this many calendar months of each other count as "at the same time": an
# outreach contact and the homelessness application it leads to fall within weeks (see activity.py).
PLACE_MONTH_WINDOW = 1
# Month indexes (year * 12 + month) fit below this; an area's hash fills the bits above.
MONTH_SLOTS = 1 << 20

DATE_FORMATS: dict[str, str] = {"iso": "%Y-%m-%d", "yyyymmdd": "%Y%m%d", "dd/mm/yyyy": "%d/%m/%Y"}

FIRST_NAME_MAP_TABLE = "linkage_tmp_first_name_map"
LAST_NAME_MAP_TABLE = "linkage_tmp_last_name_map"


def register_name_maps(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the temporary name-map tables the standardisation SQL joins to."""
    for table, rows in ((FIRST_NAME_MAP_TABLE, first_name_map_rows()), (LAST_NAME_MAP_TABLE, last_name_map_rows())):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} (variant VARCHAR PRIMARY KEY, canonical VARCHAR)")
        con.executemany(f"INSERT INTO {table} VALUES (?, ?)", rows)


def _clean_name_sql(expr: str) -> str:
    """SQL turning a raw name expression into lower-case letters and single spaces, or NULL."""
    src, dst = translate_table()
    lowered = f"lower(CAST({expr} AS VARCHAR))"
    for multi, single in (("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("þ", "th")):
        lowered = f"replace({lowered}, '{multi}', '{single}')"
    text = f"strip_accents(translate({lowered}, '{src}', '{dst}'))"
    text = f"regexp_replace({text}, '[''’`]', '', 'g')"
    text = f"regexp_replace({text}, '[^a-z|]+', ' ', 'g')"
    return f"nullif(trim(regexp_replace({text}, ' +', ' ', 'g')), '')"


def parse_date_sql(expr: str) -> str:
    """SQL parsing a date held as DATE or text in one of ``DATE_FORMATS``; NULL if it is none of them."""
    text = f"trim(CAST({expr} AS VARCHAR))"
    parsed = ", ".join(f"try_strptime({text}, '{fmt}')" for fmt in DATE_FORMATS.values())
    return (
        f"CASE WHEN year(CAST(coalesce({parsed}) AS DATE)) BETWEEN 1900 AND 2100 "
        f"THEN CAST(coalesce({parsed}) AS DATE) END"
    )


def standardise_sql(raw_table: str, available: set[str]) -> str:
    """SELECT statement producing ``MODEL_COLUMNS`` from ``raw_table``."""

    def col(name: str) -> str:
        return f"r.{name}" if name in available else "CAST(NULL AS VARCHAR)"

    ni = f"upper(regexp_replace(CAST({col('ni_number')} AS VARCHAR), '[^A-Za-z0-9]', '', 'g'))"
    gender = f"lower(trim(CAST({col('gender')} AS VARCHAR)))"
    nationality = f"upper(trim(CAST({col('nationality')} AS VARCHAR)))"
    postcode = f"upper(regexp_replace(CAST({col('postcode')} AS VARCHAR), '[^A-Za-z0-9]', '', 'g'))"
    estimated = f"lower(trim(CAST({col('date_of_birth_estimated')} AS VARCHAR))) IN ('true', 't', '1', 'yes', 'y')"
    return f"""
WITH cleaned AS (
    SELECT
        CAST(r.unique_id AS VARCHAR) AS unique_id,
        CAST(r.source AS VARCHAR) AS source,
        CAST(r.supplier_code AS VARCHAR) AS supplier_code,
        CAST(r.record_key AS VARCHAR) AS record_key,
        {_clean_name_sql(col("first_name"))} AS first_clean,
        {_clean_name_sql(col("last_name"))} AS last_clean,
        {_clean_name_sql(col("other_names"))} AS other_clean,
        -- A date of birth the source flags as estimated (CHAIN: 1 January of a year worked out from a
        -- stated age) is not a recorded date: comparing it as one penalises the true match.
        CASE WHEN {estimated} THEN NULL ELSE {parse_date_sql(col("date_of_birth"))} END AS dob_date,
        -- Its year still says roughly how old the person is: kept apart, compared only as an age.
        CASE WHEN {estimated} THEN year({parse_date_sql(col("date_of_birth"))}) END AS dob_estimated_year,
        CASE WHEN length({ni}) >= 5 AND NOT starts_with({ni}, 'TN')
             AND NOT regexp_matches({ni}, '^[A-Z]{{0,2}}0+[A-Z]?$') THEN {ni} END AS ni_number,
        CASE
            WHEN {gender} IN ('m', 'male', 'man') THEN 'male'
            WHEN {gender} IN ('f', 'female', 'woman') THEN 'female'
            WHEN {gender} IN ('other', 'non_binary', 'non-binary') THEN 'other'
        END AS gender,
        CASE WHEN {nationality} NOT IN ('', 'XXX', 'NOT_KNOWN', 'UNKNOWN') THEN {nationality} END AS nationality,
        nullif(trim(CAST({col("chain_ref")} AS VARCHAR)), '') AS chain_ref,
        nullif({postcode}, '') AS postcode,
        nullif(trim(regexp_replace(lower(strip_accents(CAST({col("address")} AS VARCHAR))), '[^a-z0-9]+', ' ', 'g')), '')
            AS address,
        nullif(trim(CAST({col("stay_starts")} AS VARCHAR)), '') AS stay_starts,
        nullif(trim(CAST({col("seen_in")} AS VARCHAR)), '') AS seen_in,
        -- The people of one household (an H-CLIC case) are different people: qualified by source and
        -- supplier, as each numbers its own cases.
        CASE WHEN nullif(trim(CAST({col("household")} AS VARCHAR)), '') IS NOT NULL
             THEN CAST(r.source AS VARCHAR) || ':' || CAST(r.supplier_code AS VARCHAR) || ':'
                  || trim(CAST({col("household")} AS VARCHAR)) END AS household,
        nullif(lower(trim(CAST({col("household_role")} AS VARCHAR))), '') AS household_role,
        nullif(lower(trim(CAST({col("application")} AS VARCHAR))), '') AS application
    FROM {raw_table} AS r
),
events AS (
    -- One row per record, area and month (a person seen on many days of one month counts once), with
    -- the window of months the event stands for.
    SELECT DISTINCT unique_id, split_part(event, '{EVENT_SEPARATOR}', 1) AS area,
           date_trunc('month', CAST(try_strptime(split_part(split_part(event, '{EVENT_SEPARATOR}', 2),
                                                            '{WINDOW_SEPARATOR}', 1), '%Y-%m-%d') AS DATE)) AS month,
           coalesce(try_cast(split_part(event, '{WINDOW_SEPARATOR}', 2) AS INTEGER), 0) AS before,
           coalesce(try_cast(split_part(event, '{WINDOW_SEPARATOR}', 3) AS INTEGER), 0) AS after
    FROM (SELECT unique_id, unnest(string_split(seen_in, '{LIST_SEPARATOR}')) AS event
          FROM cleaned WHERE seen_in IS NOT NULL)
),
activity AS (
    SELECT unique_id, list_sort(list(DISTINCT area)) AS areas,
           -- An area and a month as one number (the area's hash above, the month's index below): a
           -- list of numbers takes a fraction of the memory of a list of strings at all-London scale.
           list_sort(list(DISTINCT CAST(hash(area) // {MONTH_SLOTS} * {MONTH_SLOTS}
                                        + (year(month) * 12 + month(month) - 1 + k) AS UBIGINT)))
               AS place_months
    FROM (SELECT unique_id, area, month,
                 unnest(range(-before - {PLACE_MONTH_WINDOW}, after + {PLACE_MONTH_WINDOW} + 1)) AS k
          FROM events WHERE area <> '' AND month IS NOT NULL)
    GROUP BY unique_id
),
named AS (
    SELECT
        c.*,
        coalesce(fm.canonical, split_part(c.first_clean, ' ', 1)) AS first_name,
        coalesce(lm.canonical, replace(c.last_clean, ' ', '')) AS last_name
    FROM cleaned AS c
    LEFT JOIN {FIRST_NAME_MAP_TABLE} AS fm ON fm.variant = split_part(c.first_clean, ' ', 1)
    LEFT JOIN {LAST_NAME_MAP_TABLE} AS lm ON lm.variant = replace(c.last_clean, ' ', '')
),
tokens AS (
    SELECT unique_id, unnest(string_split(regexp_replace(
        concat_ws(' ', first_clean, last_clean, other_clean), '[| ]+', ' ', 'g'), ' ')) AS token
    FROM named
),
token_lists AS (
    SELECT t.unique_id, list_sort(list(DISTINCT coalesce(fm.canonical, t.token))) AS name_tokens
    FROM tokens AS t
    LEFT JOIN {FIRST_NAME_MAP_TABLE} AS fm ON fm.variant = t.token
    WHERE length(t.token) > 1
    GROUP BY t.unique_id
)
SELECT
    n.unique_id, n.source, n.supplier_code, n.record_key,
    n.first_name,
    n.first_name AS given_name,
    n.last_name,
    CASE WHEN n.first_name IS NOT NULL AND n.last_name IS NOT NULL
         THEN n.first_name || ' ' || n.last_name END AS full_name,
    tl.name_tokens,
    strftime(n.dob_date, '%Y-%m-%d') AS dob,
    CAST(year(n.dob_date) AS INTEGER) AS dob_y,
    CAST(month(n.dob_date) AS INTEGER) AS dob_m,
    CAST(day(n.dob_date) AS INTEGER) AS dob_d,
    CAST(n.dob_date - DATE '1970-01-01' AS INTEGER) AS dob_days,
    CAST(n.dob_estimated_year AS INTEGER) AS dob_estimated_y,
    n.ni_number, n.gender, n.nationality, n.chain_ref, n.postcode,
    n.address,
    CASE WHEN n.address IS NOT NULL THEN list_sort(list_distinct(string_split(n.address, ' '))) END AS address_tokens,
    CASE WHEN n.stay_starts IS NOT NULL
         THEN list_sort(list_distinct(list_filter(string_split(n.stay_starts, '{LIST_SEPARATOR}'), lambda x: x <> ''))) END
        AS stay_tokens,
    a.place_months, a.areas, n.household, n.household_role, n.application
FROM named AS n
LEFT JOIN token_lists AS tl USING (unique_id)
LEFT JOIN activity AS a USING (unique_id)
ORDER BY n.unique_id
"""


def standardise(con: duckdb.DuckDBPyConnection, raw_table: str, out_table: str) -> None:
    """Create ``out_table`` holding the standardised records of ``raw_table``."""
    available = {row[0] for row in con.execute(f"SELECT * FROM {raw_table} LIMIT 0").description}
    register_name_maps(con)
    con.execute(f"CREATE OR REPLACE TABLE {out_table} AS {standardise_sql(raw_table, available)}")


def detect_date_format(values: list[str]) -> str | None:
    """Name of the ``DATE_FORMATS`` entry that parses most of ``values`` (None if none parses any)."""
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE v (s VARCHAR)")
        con.executemany("INSERT INTO v VALUES (?)", [(v,) for v in values if v])
        counts = {
            name: con.execute(f"SELECT count(try_strptime(trim(s), '{fmt}')) FROM v").fetchone()
            for name, fmt in DATE_FORMATS.items()
        }
    finally:
        con.close()
    best = max(counts, key=lambda name: (counts[name] or (0,))[0])
    return best if (counts[best] or (0,))[0] > 0 else None
