"""Pathways of the new cohort through accommodation (metrics.md 6.4), as a transition table.

Each person of ``new60(P)`` follows one path: stage 0 first seen, stage 1 first accommodation (or none)
within the follow-up, stage 2 how it ended (or was not seen again), stage 3 whether they returned to the
street after an exit. The transitions are facts with breakdown ``transition``.
"""

from __future__ import annotations

from boroughhub.insights.facts import fact_select
from boroughhub.insights.params import ResolvedParameters
from boroughhub.insights.sql import Statement


def pathway_statements(params: ResolvedParameters) -> list[Statement]:
    """``ins_pathways``: stage nodes of every new60 person."""
    paths = f"""
WITH c AS (SELECT period_type, period, person_id, f, f + {params.follow_up_days} AS h FROM ins_new60),
first_episode AS (
  SELECT c.period_type, c.period, c.person_id, ep.start_date AS e_start, ep.end_date AS e_end,
         ep.first_pathway_group, ep.exit_group
  FROM c JOIN ins_episodes ep ON ep.person_id = c.person_id AND ep.start_date BETWEEN c.f AND c.h
  QUALIFY row_number() OVER (PARTITION BY c.period_type, c.period, c.person_id ORDER BY ep.start_date) = 1
),
first_move AS (
  SELECT c.period_type, c.period, c.person_id, min(m.date) AS x_date
  FROM c JOIN ins_lt_moves m ON m.person_id = c.person_id AND m.kind IN ('b', 'c', 'd', 'e')
    AND m.date BETWEEN c.f AND c.h
  GROUP BY ALL
),
routed AS (
  SELECT c.*, e.e_start, e.e_end, e.first_pathway_group, e.exit_group, m.x_date,
    CASE WHEN e.e_start IS NOT NULL AND (m.x_date IS NULL OR e.e_start <= m.x_date) THEN 'episode'
         WHEN m.x_date IS NOT NULL THEN 'move' ELSE 'none' END AS route
  FROM c LEFT JOIN first_episode e USING (period_type, period, person_id)
  LEFT JOIN first_move m USING (period_type, period, person_id)
),
staged AS (
  SELECT r.*,
    CASE route WHEN 'episode' THEN first_pathway_group WHEN 'move' THEN 'long_term_housing'
               ELSE 'no_accommodation' END AS node1,
    CASE WHEN route = 'none' THEN
           CASE WHEN EXISTS (SELECT 1 FROM ins_person_nights n WHERE n.person_id = r.person_id
                             AND n.night > r.f AND n.night <= r.h)
                THEN 'seen_rough_sleeping_again' ELSE 'not_seen_again' END
         WHEN route = 'move' OR e_end IS NULL OR e_end > h THEN 'no_exit_by_follow_up_end'
         ELSE exit_group END AS node2,
    CASE WHEN route = 'episode' AND e_end IS NOT NULL AND e_end <= h THEN
           CASE WHEN EXISTS (SELECT 1 FROM ins_person_nights n WHERE n.person_id = r.person_id
                             AND n.night BETWEEN r.e_end AND r.h)
                THEN 'returned_to_street' ELSE 'not_seen_rough_sleeping' END END AS node3
  FROM routed r
)
SELECT period_type, period, person_id, f,
  unnest(list_filter(['0:street_first_seen>1:' || node1, '1:' || node1 || '>2:' || node2,
                      CASE WHEN node3 IS NOT NULL THEN '2:' || node2 || '>3:' || node3 END],
                     lambda x: x IS NOT NULL)) AS transition
FROM staged
"""
    return [Statement("ins_pathways", paths)]


def pathway_fact_selects() -> list[str]:
    source = """(
  SELECT p.*, a.area_code FROM ins_pathways p JOIN ins_new60_areas a USING (period_type, period, person_id))"""
    return [
        fact_select(source, [("lk_pathways", "TRUE")], ref_date="f", cat_breakdown="'transition'", cat="transition")
    ]
