"""Derived event tables of metrics.md 1.2–1.6, each built after the data cut-off at ``as_at``.

Tables (temporary, one run): ``ins_nights``, ``ins_person_nights``, ``ins_cases``, ``ins_case_persons``,
``ins_case_moves``, ``ins_stays``, ``ins_lt_moves``, ``ins_acc_moves``, ``ins_institution_exits``,
``ins_episodes``.
"""

from __future__ import annotations

from boroughhub.insights.params import ResolvedParameters
from boroughhub.insights.records import SOURCE_RANK
from boroughhub.insights.sql import Statement, in_list, literal

PROXY_ACCOMMODATION = ("institution_custody", "institution_general_hospital", "institution_psychiatric_hospital")


def _join_record(source: str, alias: str, key: str) -> str:
    return (
        f"JOIN ins_records r ON r.source = '{source}' AND r.supplier_code = {alias}.supplier_code "
        f"AND r.record_key = {alias}.{key}"
    )


def night_statements(params: ResolvedParameters) -> list[Statement]:
    """Nights (2.2): distinct (person, date, area) of bedded-down contacts, and distinct (person, date)."""
    nights = f"""
SELECT DISTINCT r.person_id, c.contact_date AS night, c.area_code AS area
FROM main.chain_contacts c {_join_record('chain', 'c', 'chain_person_id')}
WHERE c.bedded_down AND c.contact_date <= {literal(params.as_at)}
"""
    return [
        Statement("ins_nights", nights),
        Statement("ins_person_nights", "SELECT DISTINCT person_id, night FROM ins_nights"),
        # Every metric is about persons with at least one night; other persons' events are never read.
        Statement("ins_street_persons", "SELECT DISTINCT person_id FROM ins_nights"),
    ]


def case_statements(params: ResolvedParameters) -> list[Statement]:
    """H-CLIC cases with their stages after the cut-off (1.6), outcome group and end date (6.1)."""
    as_at = literal(params.as_at)
    cases = f"""
SELECT c.supplier_code, c.case_ref, c.application_date,
  CASE WHEN c.assessment_date <= {as_at} THEN c.assessment_date END AS assessment_date,
  c.initial_assessment, c.accommodation_at_application, c.reason_loss_of_home,
  p.case_ref IS NOT NULL AS has_prevention,
  CASE WHEN p.prevention_end_date <= {as_at} THEN p.prevention_end_date END AS prevention_end_date,
  CASE WHEN p.prevention_end_date <= {as_at} THEN p.prevention_end_reason END AS prevention_end_reason,
  rl.case_ref IS NOT NULL AS has_relief,
  CASE WHEN rl.relief_end_date <= {as_at} THEN rl.relief_end_date END AS relief_end_date,
  CASE WHEN rl.relief_end_date <= {as_at} THEN rl.relief_end_reason END AS relief_end_reason,
  m.case_ref IS NOT NULL AS has_main_duty, m.decision_date, m.decision,
  CASE WHEN m.main_duty_end_date <= {as_at} THEN m.main_duty_end_date END AS main_duty_end_date,
  CASE WHEN m.main_duty_end_date <= {as_at} THEN m.main_duty_end_reason END AS main_duty_end_reason
FROM main.hclic_cases c
LEFT JOIN (SELECT * FROM main.hclic_prevention WHERE prevention_start_date <= {as_at}) p
  USING (supplier_code, case_ref)
LEFT JOIN (SELECT * FROM main.hclic_relief WHERE relief_start_date <= {as_at}) rl USING (supplier_code, case_ref)
LEFT JOIN (SELECT * FROM main.hclic_main_duty WHERE decision_date <= {as_at}) m USING (supplier_code, case_ref)
WHERE c.application_date <= {as_at}
"""
    # Outcome group and end date of the last stage (6.1 table).
    outcomes = """
SELECT c.*,
  CASE
    WHEN has_main_duty THEN CASE WHEN decision <> 'owed_main_duty' THEN 'not_owed_or_not_eligible'
      WHEN main_duty_end_reason IS NOT NULL THEN coalesce(md.outcome_group, 'other_or_not_known')
      ELSE 'still_open' END
    WHEN has_relief THEN CASE WHEN relief_end_reason IS NOT NULL
      THEN coalesce(rr.outcome_group, 'other_or_not_known') ELSE 'still_open' END
    WHEN has_prevention THEN CASE WHEN prevention_end_reason IS NOT NULL
      THEN coalesce(pr.outcome_group, 'other_or_not_known') ELSE 'still_open' END
    WHEN initial_assessment = 'not_homeless_no_duty' THEN 'not_owed_or_not_eligible'
    ELSE 'other_or_not_known'
  END AS outcome_group,
  CASE
    WHEN has_main_duty THEN CASE WHEN decision <> 'owed_main_duty' THEN decision_date ELSE main_duty_end_date END
    WHEN has_relief THEN relief_end_date
    WHEN has_prevention THEN prevention_end_date
    ELSE coalesce(assessment_date, application_date)
  END AS case_end_date
FROM ins_cases_staged c
LEFT JOIN ref_hclic_main_duty_end_reason md ON md.code = c.main_duty_end_reason
LEFT JOIN ref_hclic_relief_end_reason rr ON rr.code = c.relief_end_reason
LEFT JOIN ref_hclic_prevention_end_reason pr ON pr.code = c.prevention_end_reason
"""
    case_persons = f"""
SELECT DISTINCT r.person_id, p.supplier_code, p.case_ref
FROM main.hclic_people p {_join_record('hclic', 'p', 'person_ref')}
JOIN ins_cases_staged c ON c.supplier_code = p.supplier_code AND c.case_ref = p.case_ref
WHERE r.person_id IN (SELECT person_id FROM ins_street_persons)
"""
    case_moves = """
SELECT supplier_code, case_ref, prevention_end_date AS date, 'c' AS kind FROM ins_cases
  WHERE prevention_end_reason IN ('secured_accommodation_stayed', 'secured_accommodation_moved')
UNION ALL SELECT supplier_code, case_ref, relief_end_date, 'd' FROM ins_cases
  WHERE relief_end_reason = 'secured_accommodation_6_months'
UNION ALL SELECT supplier_code, case_ref, main_duty_end_date, 'e' FROM ins_cases
  WHERE main_duty_end_reason IN ('part6_offer_accepted', 'prs_offer_accepted')
"""
    return [
        Statement("ins_cases_staged", cases),
        Statement("ins_cases", outcomes),
        Statement("ins_case_persons", case_persons),
        Statement("ins_case_moves", case_moves),
    ]


def stay_statements(params: ResolvedParameters) -> list[Statement]:
    """Stays (1.2, 1.6), long-term moves (1.3), moves into any accommodation, and TA exits (1.4 step 6)."""
    as_at = literal(params.as_at)
    raw = f"""
WITH raw AS (
  SELECT 'chain' AS source, s.supplier_code, s.stay_id AS record_key, r.person_id, s.project_type AS type,
         s.area_code AS area, s.arrival_date AS start_date, s.departure_date AS end_raw,
         s.departure_reason AS reason, s.departure_destination AS destination, CAST(NULL AS VARCHAR) AS case_ref
  FROM main.chain_stays s {_join_record('chain', 's', 'chain_person_id')}
  UNION ALL
  SELECT 'inform', s.supplier_code, s.stay_id, r.person_id, s.service_type, s.area_code, s.move_in_date,
         s.move_out_date, s.move_out_reason, s.move_on_destination, NULL
  FROM main.inform_stays s {_join_record('inform', 's', 'inform_client_id')}
  UNION ALL
  SELECT 'hclic', t.supplier_code, t.placement_id, cp.person_id, 'temporary_accommodation', t.supplier_code,
         t.placement_start_date, t.placement_end_date, NULL, NULL, t.case_ref
  FROM main.hclic_temporary_accommodation t JOIN ins_case_persons cp USING (supplier_code, case_ref)
)
SELECT raw.source, raw.supplier_code, raw.record_key, raw.person_id, raw.type, a.tier, a.pathway_group,
  raw.area, raw.start_date, raw.case_ref,
  CASE WHEN raw.end_raw <= {as_at} THEN raw.end_raw END AS end_date,
  CASE WHEN raw.end_raw <= {as_at} THEN raw.reason END AS reason,
  CASE WHEN raw.end_raw <= {as_at} THEN raw.destination END AS destination
FROM raw LEFT JOIN ref_accommodation_type a ON a.code = raw.type
WHERE raw.start_date <= {as_at} AND raw.person_id IN (SELECT person_id FROM ins_street_persons)
"""
    base = """
SELECT s.*, coalesce(d.long_term = 'true', FALSE) AS dest_long_term, m.exit_group AS reason_exit_group
FROM ins_stays_raw s
LEFT JOIN ref_move_on_destination d ON d.code = s.destination
LEFT JOIN ref_move_out_reason m ON m.code = s.reason
"""
    lt_moves = """
SELECT person_id, start_date AS date, 'a' AS kind, CAST(NULL AS VARCHAR) AS supplier_code,
       CAST(NULL AS VARCHAR) AS case_ref
  FROM ins_stays_base WHERE source IN ('chain', 'inform') AND tier = 'long_term'
UNION ALL SELECT person_id, end_date, 'b', NULL, NULL
  FROM ins_stays_base WHERE source IN ('chain', 'inform') AND end_date IS NOT NULL AND dest_long_term
UNION ALL SELECT cp.person_id, m.date, m.kind, m.supplier_code, m.case_ref
  FROM ins_case_moves m JOIN ins_case_persons cp USING (supplier_code, case_ref)
"""
    window = params.ta_exit_match_days
    stays = f"""
SELECT s.* EXCLUDE (reason_exit_group),
  CASE WHEN s.end_date IS NULL THEN NULL
       WHEN s.source = 'hclic' THEN
         CASE WHEN EXISTS (SELECT 1 FROM ins_case_moves m WHERE m.supplier_code = s.supplier_code
                           AND m.case_ref = s.case_ref AND abs(m.date - s.end_date) <= {window})
              THEN 'planned_move_on' ELSE 'other_exit' END
       ELSE coalesce(s.reason_exit_group, 'other_exit') END AS exit_group
FROM ins_stays_base s
"""
    acc_moves = """
SELECT DISTINCT person_id, date FROM (
  SELECT person_id, start_date AS date FROM ins_stays WHERE tier IN ('short_term', 'long_term')
  UNION ALL SELECT person_id, date FROM ins_lt_moves)
"""
    return [
        Statement("ins_stays_raw", raw),
        Statement("ins_stays_base", base),
        Statement("ins_lt_moves", lt_moves),
        Statement("ins_stays", stays),
        Statement("ins_acc_moves", acc_moves),
    ]


def institution_statements(params: ResolvedParameters) -> list[Statement]:
    """Institution-leaving events for P2 (1.5)."""
    chain = f"""
SELECT r.person_id, p.last_institution_left_date AS date, p.last_institution_type AS type
FROM main.chain_people p {_join_record('chain', 'p', 'chain_person_id')}
WHERE p.last_institution_type IN {in_list(params.p2_institution_types)}
  AND p.last_institution_left_date <= {literal(params.as_at)}
"""
    if params.p2_use_hclic_proxy:
        accommodation = list(PROXY_ACCOMMODATION)
        reasons = ["left_institution_no_accommodation"]
        if "asylum_support_accommodation" in params.p2_institution_types:
            accommodation.append("nass_accommodation")
            reasons.append("asylum_support_ended")
        chain += f"""
UNION ALL
SELECT cp.person_id, c.application_date, 'hclic_proxy'
FROM ins_cases c JOIN ins_case_persons cp USING (supplier_code, case_ref)
WHERE c.accommodation_at_application IN {in_list(accommodation)} OR c.reason_loss_of_home IN {in_list(reasons)}
"""
    return [Statement("ins_institution_exits", chain)]


def episode_statements(params: ResolvedParameters) -> list[Statement]:
    """Accommodation episodes (1.4): consecutive short- and long-term stays joined."""
    # A stay opens a new episode when it starts more than episode_merge_days after the latest end of all
    # earlier stays in sort order (open = far future). That running maximum is the current episode's end,
    # because an earlier episode ended before this one's first stay started.
    ordered = f"""
SELECT s.*, row_number() OVER w AS seq,
  max(coalesce(end_date, DATE '9999-12-31')) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max
FROM ins_stays s WHERE tier IN ('short_term', 'long_term')
WINDOW w AS (PARTITION BY person_id ORDER BY start_date, end_date NULLS LAST, {SOURCE_RANK}, record_key,
             supplier_code)
"""
    grouped = f"""
SELECT *, sum(CASE WHEN prev_max IS NULL OR start_date - {params.episode_merge_days} > prev_max THEN 1 ELSE 0 END)
  OVER (PARTITION BY person_id ORDER BY seq) AS episode_no
FROM ins_episode_stays_ordered
"""
    episodes = """
WITH marked AS (
  SELECT *, max(coalesce(end_date, DATE '9999-12-31')) OVER (PARTITION BY person_id, episode_no) AS episode_end_c,
         min(seq) OVER (PARTITION BY person_id, episode_no) AS first_seq
  FROM ins_episode_stays
), last_stay AS (
  SELECT * FROM marked WHERE coalesce(end_date, DATE '9999-12-31') = episode_end_c
  QUALIFY row_number() OVER (PARTITION BY person_id, episode_no ORDER BY seq DESC) = 1
), first_stay AS (SELECT * FROM marked WHERE seq = first_seq)
SELECT f.person_id, f.episode_no, f.start_date,
  CASE WHEN l.end_date IS NULL THEN NULL ELSE l.end_date END AS end_date,
  f.pathway_group AS first_pathway_group,
  l.exit_group,
  (l.end_date IS NOT NULL AND (l.dest_long_term OR (l.source = 'hclic' AND l.exit_group = 'planned_move_on')))
    AS exit_to_long_term
FROM first_stay f JOIN last_stay l USING (person_id, episode_no)
"""
    return [
        Statement("ins_episode_stays_ordered", ordered),
        Statement("ins_episode_stays", grouped),
        Statement("ins_episodes", episodes),
    ]


def event_statements(params: ResolvedParameters) -> list[Statement]:
    """Every derived event table but the nights, in dependency order (needs ``ins_records``,
    ``ins_street_persons`` and the ``ref_*`` tables)."""
    return [
        *case_statements(params),
        *stay_statements(params),
        *institution_statements(params),
        *episode_statements(params),
    ]
