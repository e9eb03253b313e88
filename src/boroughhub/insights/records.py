"""Persons: every source record mapped to its ``person_id`` (metrics.md 1.1) and resolved attributes (3.2)."""

from __future__ import annotations

from boroughhub.insights.params import ResolvedParameters
from boroughhub.insights.sql import Statement, code_list_select
from boroughhub.reference import code_list

SOURCE_RANK = "CASE source WHEN 'chain' THEN 1 WHEN 'inform' THEN 2 ELSE 3 END"
"""Precedence of sources (CHAIN, then InForm, then H-CLIC) for 1.4 sorting and 3.2 ties."""

_RECORDS = """
WITH recs AS (
  SELECT 'chain' AS source, supplier_code, chain_person_id AS record_key FROM main.chain_people
  UNION ALL SELECT 'inform', supplier_code, inform_client_id FROM main.inform_clients
  UNION ALL SELECT 'hclic', supplier_code, person_ref FROM main.hclic_people
), link AS (
  SELECT source, supplier_code, record_key, CAST(person_id AS VARCHAR) AS person_id
  FROM main.person_link
  QUALIFY row_number() OVER (PARTITION BY source, supplier_code, record_key ORDER BY linked_at DESC) = 1
)
-- A record without a link row is its own person (1.1); the prefix keeps such ids apart from linkage ids.
SELECT r.source, r.supplier_code, r.record_key,
       coalesce(l.person_id, 'unlinked:' || r.source || ':' || r.supplier_code || ':' || r.record_key) AS person_id
FROM recs r LEFT JOIN link l USING (source, supplier_code, record_key)
"""

_ATTRIBUTE_VALUES = """
SELECT * FROM (
SELECT r.person_id, 'dob' AS attr, CAST(CAST(i.date_of_birth AS DATE) AS VARCHAR) AS value, 1 AS src
  FROM identity.chain_people i JOIN ins_records r
    ON r.source = 'chain' AND r.supplier_code = i.supplier_code AND r.record_key = i.chain_person_id
UNION ALL SELECT r.person_id, 'dob', CAST(CAST(i.date_of_birth AS DATE) AS VARCHAR), 2
  FROM identity.inform_clients i JOIN ins_records r
    ON r.source = 'inform' AND r.supplier_code = i.supplier_code AND r.record_key = i.inform_client_id
UNION ALL SELECT r.person_id, 'dob', CAST(CAST(i.date_of_birth AS DATE) AS VARCHAR), 3
  FROM identity.hclic_people i JOIN ins_records r
    ON r.source = 'hclic' AND r.supplier_code = i.supplier_code AND r.record_key = i.person_ref
UNION ALL SELECT r.person_id, a.attr, a.value, 1 FROM main.chain_people p
  CROSS JOIN LATERAL (VALUES ('gender', p.gender), ('nationality', p.nationality)) AS a(attr, value)
  JOIN ins_records r ON r.source = 'chain' AND r.supplier_code = p.supplier_code AND r.record_key = p.chain_person_id
UNION ALL SELECT r.person_id, a.attr, a.value, 2 FROM main.inform_clients p
  CROSS JOIN LATERAL (VALUES ('gender', p.gender), ('nationality', p.nationality)) AS a(attr, value)
  JOIN ins_records r ON r.source = 'inform' AND r.supplier_code = p.supplier_code AND r.record_key = p.inform_client_id
UNION ALL SELECT r.person_id, a.attr, a.value, 3 FROM main.hclic_people p
  CROSS JOIN LATERAL (VALUES ('gender', p.gender), ('nationality', p.nationality)) AS a(attr, value)
  JOIN ins_records r ON r.source = 'hclic' AND r.supplier_code = p.supplier_code AND r.record_key = p.person_ref
) WHERE person_id IN (SELECT person_id FROM ins_street_persons)
"""

# 3.2: most frequent value; then the best source in which a tied value occurs; then the smallest value.
_RESOLVED = """
WITH counted AS (
  SELECT person_id, attr, value, count(*) AS n, min(src) AS best_src
  FROM ins_attribute_values WHERE value IS NOT NULL AND trim(value) <> ''
  GROUP BY ALL
)
SELECT person_id, attr, value FROM counted
QUALIFY row_number() OVER (PARTITION BY person_id, attr ORDER BY n DESC, best_src, value) = 1
"""

_NEEDS = """
SELECT r.person_id,
  coalesce(bool_or(p.support_need_alcohol), FALSE) AS alcohol,
  coalesce(bool_or(p.support_need_drugs), FALSE) AS drugs,
  coalesce(bool_or(p.support_need_mental_health), FALSE) AS mental_health,
  coalesce(bool_or(p.support_need_physical_health), FALSE) AS physical_health,
  bool_or(p.support_need_alcohol IS NOT NULL OR p.support_need_drugs IS NOT NULL
          OR p.support_need_mental_health IS NOT NULL OR p.support_need_physical_health IS NOT NULL) AS assessed,
  coalesce(bool_or(p.history_prison), FALSE) AS prison,
  coalesce(bool_or(p.history_care), FALSE) AS care,
  coalesce(bool_or(p.history_armed_forces), FALSE) AS armed_forces
FROM main.chain_people p
JOIN ins_records r ON r.source = 'chain' AND r.supplier_code = p.supplier_code AND r.record_key = p.chain_person_id
WHERE r.person_id IN (SELECT person_id FROM ins_street_persons)
GROUP BY r.person_id
"""

_ATTRIBUTES = """
WITH persons AS (SELECT person_id FROM ins_street_persons),
resolved AS (
  SELECT person_id,
    max(value) FILTER (WHERE attr = 'dob') AS dob,
    max(value) FILTER (WHERE attr = 'gender') AS gender,
    max(value) FILTER (WHERE attr = 'nationality') AS nationality
  FROM ins_attribute_resolved GROUP BY person_id
)
SELECT p.person_id,
  CAST(v.dob AS DATE) AS dob,
  CASE WHEN v.gender IN (SELECT code FROM ref_gender) THEN v.gender ELSE 'not_known' END AS gender,
  coalesce(c.nationality_group, 'not_known') AS nationality_group,
  list_filter([CASE WHEN n.alcohol THEN 'alcohol' END, CASE WHEN n.drugs THEN 'drugs' END,
               CASE WHEN n.mental_health THEN 'mental_health' END,
               CASE WHEN n.physical_health THEN 'physical_health' END], lambda x: x IS NOT NULL) AS support_needs,
  CASE WHEN NOT coalesce(n.assessed, FALSE) THEN 'not_assessed'
       WHEN n.alcohol OR n.drugs OR n.mental_health THEN 'any_alcohol_drugs_mental_health'
       ELSE 'none_of_alcohol_drugs_mental_health' END AS support_need_any,
  -- Which of alcohol, drugs and mental health together, as CHAIN reports them (a partition; ours, issue 15).
  CASE WHEN NOT coalesce(n.assessed, FALSE) THEN 'not_assessed'
       WHEN NOT (n.alcohol OR n.drugs OR n.mental_health) THEN 'none_of_alcohol_drugs_mental_health'
       ELSE array_to_string(list_filter([CASE WHEN n.alcohol THEN 'alcohol' END, CASE WHEN n.drugs THEN 'drugs' END,
              CASE WHEN n.mental_health THEN 'mental_health' END], lambda x: x IS NOT NULL), '+') END
    AS support_need_combination,
  coalesce(list_filter([CASE WHEN n.prison THEN 'prison' END, CASE WHEN n.care THEN 'care' END,
               CASE WHEN n.armed_forces THEN 'armed_forces' END], lambda x: x IS NOT NULL), [])
    AS institution_history
FROM persons p
LEFT JOIN resolved v USING (person_id)
LEFT JOIN ref_countries c ON c.code = v.nationality
LEFT JOIN ins_needs n USING (person_id)
"""


def reference_statements() -> list[Statement]:
    """The code lists the metrics read, as temporary tables ``ref_*``."""
    lists = {
        "accommodation_type": ["code", "tier", "pathway_group"],
        "move_out_reason": ["code", "exit_group"],
        "move_on_destination": ["code", "long_term"],
        "age_band": ["code", "min_age", "max_age"],
        "countries": ["code", "nationality_group"],
        "gender": ["code"],
        "areas": ["code", "area_type"],
        "hclic_prevention_end_reason": ["code", "outcome_group"],
        "hclic_relief_end_reason": ["code", "outcome_group"],
        "hclic_main_duty_end_reason": ["code", "outcome_group"],
    }
    return [Statement(f"ref_{name}", code_list_select(name, cols)) for name, cols in lists.items()]


def record_statements() -> list[Statement]:
    """``ins_records``: every source person record with its ``person_id`` (1.1)."""
    return [Statement("ins_records", _RECORDS)]


def attribute_statements(params: ResolvedParameters) -> list[Statement]:
    """``ins_person_attributes``: one row per person seen sleeping rough (needs ``ins_street_persons``).

    Every metric counts only persons with at least one night, so attributes are resolved for them only.
    """
    del params  # attributes are resolved from all data as at as_at and do not vary by period (3.2)
    return [
        Statement("ins_attribute_values", _ATTRIBUTE_VALUES),
        Statement("ins_attribute_resolved", _RESOLVED),
        Statement("ins_needs", _NEEDS),
        Statement("ins_person_attributes", _ATTRIBUTES),
    ]


def age_sql(dob: str, ref_date: str) -> str:
    """SQL for the age in whole years (3.1) at ``ref_date`` of a person born on ``dob``."""
    return (
        f"(year({ref_date}) - year({dob}) - CASE WHEN month({ref_date}) * 100 + day({ref_date}) "
        f"< month({dob}) * 100 + day({dob}) THEN 1 ELSE 0 END)"
    )


def age_band_sql(age: str) -> str:
    """SQL CASE giving the age band (3.3) of an age column; missing or negative ages are not known."""
    whens = []
    for band in code_list("age_band"):
        if not band["min_age"]:
            continue
        test = f"{age} >= {int(band['min_age'])}"
        if band["max_age"]:
            test += f" AND {age} <= {int(band['max_age'])}"
        whens.append(f"WHEN {test} THEN '{band['code']}'")
    return f"CASE WHEN {age} IS NULL OR {age} < 0 THEN 'age_not_known' {' '.join(whens)} ELSE 'age_not_known' END"
