"""How close a generated set comes to London's published CHAIN figures (metrics.md section 10).

The cohorts are computed as in metrics.md section 4, from the generated files, on the TRUE person
ids of ``truth/person_records.csv`` (so linkage errors play no part): a night is a distinct
(person, date, area) of a bedded-down contact; nights before the extract start do not exist, so
``history_start`` is the extract start. Published counts are multiplied by the run's scale and by
the selected areas' share of London before comparing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from boroughhub.reference import code_list
from boroughhub.synthetic.targets import (
    ANNUAL_TARGETS,
    AREA_TARGETS,
    GENDER_SHARES,
    QUARTER_TARGETS,
)

COUNT_TOLERANCE = 0.15  # relative
# Published area counts below this (scaled) are not compared: buses (118), the Underground (14) and
# Sutton (30) are so small that chance alone moves them by more than the tolerance.
MIN_AREA_COUNT = 200
SHARE_TOLERANCE = 5.0  # percentage points


@dataclass(frozen=True, slots=True)
class Comparison:
    measure: str
    period: str
    published: float
    synthetic: float
    kind: str  # "count" or "share" (a percentage)

    @property
    def ratio(self) -> float:
        return self.synthetic / self.published if self.published else float("nan")

    @property
    def within_tolerance(self) -> bool:
        if self.kind == "share":
            return abs(self.synthetic - self.published) <= SHARE_TOLERANCE
        return abs(self.ratio - 1) <= COUNT_TOLERANCE


def fy_label(fy: int) -> str:
    return f"{fy}/{(fy + 1) % 100:02d}"


def _connect(out_dir: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    chain = out_dir / "chain_london" / "chain"
    con.execute(
        f"""
        create table records as select record_key, person_id
            from read_csv('{out_dir / "truth" / "person_records.csv"}', all_varchar = true)
            where source = 'chain';
        create table nights as
            select distinct r.person_id, cast(c.contact_date as date) as night, c.area_code as area
            from read_csv('{chain / "chain_contacts.csv"}', all_varchar = true) c
            join records r on r.record_key = c.chain_person_id
            where c.bedded_down = 'true';
        create table person_nights as
            select person_id, night,
                   case when month(night) >= 4 then year(night) else year(night) - 1 end as fy,
                   (case when month(night) >= 4 then year(night) else year(night) - 1 end) * 4
                     + ((month(night) + 8) % 12) // 3 as q
            from (select distinct person_id, night from nights);
        create table firsts as select person_id, min(night) as first_night, min(q) as first_q, min(fy) as first_fy
            from person_nights group by person_id;
        """
    )
    return con


def annual_cohorts(con: duckdb.DuckDBPyConnection) -> dict[int, dict[str, int]]:
    rows = con.execute(
        """
        with years as (select distinct person_id, fy from person_nights)
        select y.fy, count(*) as total,
               count(*) filter (where f.first_fy = y.fy) as flow,
               count(*) filter (where f.first_fy < y.fy and p.person_id is not null) as stock,
               count(*) filter (where f.first_fy < y.fy and p.person_id is null) as returner
        from years y join firsts f using (person_id)
        left join years p on p.person_id = y.person_id and p.fy = y.fy - 1
        group by y.fy order by y.fy
        """
    ).fetchall()
    return {fy: {"total": t, "flow": f, "stock": s, "returner": r} for fy, t, f, s, r in rows}


def quarterly_cohorts(con: duckdb.DuckDBPyConnection) -> dict[tuple[int, int], dict[str, int]]:
    rows = con.execute(
        """
        with pq as (
            select person_id, q, count(*) as n, max(night) - min(night) as span
            from person_nights group by person_id, q
        ), classified as (
            select pq.*, f.first_q = pq.q as is_new, (n >= 5 and span >= 21) as lots from pq join firsts f using (person_id)
        )
        select q, count(*) as total, count(*) filter (where is_new) as new,
               count(*) filter (where lots) as lots,
               count(*) filter (where not is_new and not lots) as intermittent,
               count(*) filter (where is_new and n = 1) as new_one_night,
               count(*) filter (where is_new and lots) as new_lots
        from classified group by q order by q
        """
    ).fetchall()
    return {
        (q // 4, q % 4 + 1): {"total": t, "new": n, "lots": lo, "intermittent": i, "new_one_night": o, "new_lots": nl}
        for q, t, n, lo, i, o, nl in rows
    }


def area_counts(con: duckdb.DuckDBPyConnection) -> dict[tuple[int, str], int]:
    rows = con.execute(
        """
        select case when month(night) >= 4 then year(night) else year(night) - 1 end as fy, area,
               count(distinct person_id)
        from nights group by all
        """
    ).fetchall()
    return {(fy, area): n for fy, area, n in rows}


def people_mix(con: duckdb.DuckDBPyConnection, out_dir: Path, fy: int) -> dict[str, float]:
    """Shares (percent) of people seen in ``fy``: gender, nationality, age, support needs."""
    groups = {row["code"]: row["nationality_group"] for row in code_list("countries")}
    rollup = {row["code"]: row["rollup"] for row in code_list("nationality_group")}
    con.execute("create or replace temp table country_rollup (code varchar, rollup varchar)")
    con.executemany("insert into country_rollup values (?, ?)", [(c, rollup[g]) for c, g in groups.items()])
    chain = out_dir / "chain_london" / "chain"
    row = con.execute(
        f"""
        with seen as (
            select person_id, min(night) as first_in_year from person_nights where fy = ? group by person_id
        ), people as (
            select s.person_id, s.first_in_year, t.gender, t.nationality, cast(t.date_of_birth as date) as dob
            from seen s join read_csv('{out_dir / "truth" / "persons.csv"}', all_varchar = true) t using (person_id)
        ), ages as (
            select *, date_diff('year', dob, first_in_year)
                      - (case when strftime(first_in_year, '%m%d') < strftime(dob, '%m%d') then 1 else 0 end) as age
            from people
        ), needs as (
            select r.person_id,
                   bool_or(c.support_need_alcohol = 'true' or c.support_need_drugs = 'true'
                           or c.support_need_mental_health = 'true') as any_need,
                   bool_or(coalesce(c.support_need_alcohol, c.support_need_drugs, c.support_need_mental_health,
                                    c.support_need_physical_health) is not null) as assessed
            from read_csv('{chain / "chain_people.csv"}', all_varchar = true) c
            join records r on r.record_key = c.chain_person_id group by r.person_id
        )
        select count(*),
               100.0 * avg((gender = 'male')::int),
               100.0 * avg((cr.rollup = 'uk')::int), 100.0 * avg((cr.rollup = 'europe_non_uk')::int),
               100.0 * avg((cr.rollup = 'rest_of_world')::int), 100.0 * avg((nationality = 'ROU')::int),
               100.0 * avg((age between 26 and 55)::int), 100.0 * avg((age <= 25)::int),
               100.0 * avg((age <= 35)::int),
               100.0 * sum((n.any_need and n.assessed)::int) / nullif(sum(n.assessed::int), 0)
        from ages a left join country_rollup cr on cr.code = a.nationality
        left join needs n using (person_id)
        """,
        [fy],
    ).fetchone()
    assert row is not None
    names = ("people", "male", "uk", "europe_non_uk", "rest_of_world", "romanian", "aged_26_55", "aged_25_or_under",
             "aged_35_or_under", "alcohol_drugs_or_mental_health_need")
    return {name: float(value or 0.0) for name, value in zip(names, row, strict=True)}


PUBLISHED_MIX = {
    "male": GENDER_SHARES["male"] * 100, "uk": 45.0, "europe_non_uk": 25.0, "rest_of_world": 30.0, "romanian": 9.0,
    "aged_26_55": 79.0, "aged_25_or_under": 9.0, "aged_35_or_under": 38.0,
    "alcohol_drugs_or_mental_health_need": 72.0,
}


def compare(
    out_dir: Path | str, start: date, end: date, scale: float, share: float = 1.0,
    areas: Collection[str] | None = None,
) -> list[Comparison]:
    """Every published figure whose period lies inside [start, end], against the generated set.

    London-wide published counts are multiplied by ``scale`` and by ``share``, the selected areas'
    share of London; a published area count by ``scale`` only, and only for ``areas`` (None: all).
    """
    size = scale * share
    out = Path(out_dir)
    con = _connect(out)
    annual, quarterly, by_area = annual_cohorts(con), quarterly_cohorts(con), area_counts(con)
    inside = [fy for fy in sorted(ANNUAL_TARGETS) if date(fy, 4, 1) >= start and date(fy + 1, 3, 31) <= end]
    result: list[Comparison] = []
    for fy in inside:
        target = ANNUAL_TARGETS[fy]
        if target.status != "published":
            continue
        got = annual.get(fy, {})
        for measure in ("total", "flow", "stock", "returner"):
            result.append(Comparison(f"chain_{measure}", fy_label(fy), getattr(target, measure) * size,
                                     got.get(measure, 0), "count"))
        for (year, area), count in AREA_TARGETS.items():
            if year == fy and count * scale >= MIN_AREA_COUNT and (areas is None or area in areas):
                result.append(Comparison(f"chain_total {area}", fy_label(fy), count * scale,
                                         by_area.get((fy, area), 0), "count"))
    for q in QUARTER_TARGETS:
        if q.fy not in inside:
            continue
        got = quarterly.get((q.fy, q.quarter), {})
        for measure in ("total", "new", "lots", "intermittent"):
            value = getattr(q, measure)
            if value is not None:
                result.append(Comparison(f"chain_q_{measure}", f"{fy_label(q.fy)} Q{q.quarter}", value * size,
                                         got.get(measure, 0), "count"))
    if 2023 in inside:
        mix = people_mix(con, out, 2023)
        result += [Comparison(f"share {k}", "2023/24", v, mix[k], "share") for k, v in PUBLISHED_MIX.items()]
        flow_one = con.execute(
            "select 100.0 * avg((n = 1)::int) from (select person_id, count(*) n from person_nights "
            "join firsts using (person_id) where fy = 2023 and first_fy = 2023 group by person_id)"
        ).fetchone()
        result.append(Comparison("share new seen one night", "2023/24", 70.0, float(flow_one[0] if flow_one else 0),
                                 "share"))
    con.close()
    return result
