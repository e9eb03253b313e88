"""metrics.md 9.2: every expected value of the worked example, compared unrounded."""

from __future__ import annotations

import duckdb
import pytest

from boroughhub.insights.metrics import LONDON
from tests.insights.worked_example import CA, HX, LA, WM

L = LONDON
AREAS = {"London": L, "WM": WM, "CA": CA, "LA": LA, "HX": HX}


def value(
    con: duckdb.DuckDBPyConnection,
    metric: str,
    period: str,
    area: str = L,
    breakdown: str = "none",
    breakdown_value: str = "",
    measure: str = "count",
    variant: str = "",
) -> str:
    rows = con.execute(
        "SELECT value FROM main.metric_values WHERE metric = ? AND period = ? AND area_code = ? AND breakdown = ? "
        "AND breakdown_value = ? AND measure = ? AND variant = ?",
        [metric, period, area, breakdown, breakdown_value, measure, variant],
    ).fetchall()
    assert len(rows) == 1, (metric, period, area, breakdown, breakdown_value, measure, variant, rows)
    return str(rows[0][0])


def agrees(text: str, expected: float) -> bool:
    number = float(text)
    return abs(number - expected) <= 1e-9 * max(1.0, abs(number), abs(expected))


ANNUAL = {  # area: total, flow, stock, returner
    "London": (9, 2, 3, 4), "WM": (3, 0, 2, 1), "CA": (4, 2, 2, 0), "LA": (2, 0, 0, 2), "HX": (1, 0, 0, 1),
}  # fmt: skip


@pytest.mark.parametrize("area", ANNUAL)
def test_annual_cohorts_2023_24(worked: duckdb.DuckDBPyConnection, area: str) -> None:
    got = tuple(int(value(worked, m, "2023/24", AREAS[area]))
                for m in ("chain_total", "chain_flow", "chain_stock", "chain_returner"))  # fmt: skip
    assert got == ANNUAL[area]


def test_nsno_2023_24(worked: duckdb.DuckDBPyConnection) -> None:
    assert value(worked, "nsno_one_night", "2023/24") == "1"
    assert value(worked, "nsno_one_night_share", "2023/24", measure="numerator") == "1"
    assert value(worked, "nsno_one_night_share", "2023/24", measure="denominator") == "2"
    assert agrees(value(worked, "nsno_one_night_share", "2023/24", measure="share"), 50.0)


QUARTER = {  # total, new, lots, intermittent, new_one_night, new_multi_not_lots, new_lots
    "London": (8, 2, 2, 5, 1, 0, 1), "WM": (3, 0, 1, 2, 0, 0, 0), "CA": (3, 2, 2, 0, 1, 0, 1),
    "LA": (2, 0, 0, 2, 0, 0, 0), "HX": (1, 0, 0, 1, 0, 0, 0),
}  # fmt: skip
Q_METRICS = ("chain_q_total", "chain_q_new", "chain_q_lots", "chain_q_intermittent", "chain_q_new_one_night",
             "chain_q_new_multi_not_lots", "chain_q_new_lots")  # fmt: skip


@pytest.mark.parametrize("area", QUARTER)
def test_quarter_2023_24_q1(worked: duckdb.DuckDBPyConnection, area: str) -> None:
    got = tuple(int(value(worked, m, "2023/24 Q1", AREAS[area])) for m in Q_METRICS)
    assert got == QUARTER[area]
    assert int(value(worked, "nsno_one_night", "2023/24 Q1", AREAS[area])) == QUARTER[area][4]


MONTH = {  # R1, P1, P2, B1, NR1
    "London": (5, 2, 2, 2, 2), "WM": (2, 0, 0, 2, 1), "CA": (2, 1, 1, 1, 0), "LA": (1, 0, 1, 0, 1),
    "HX": (1, 1, 0, 0, 0),
}  # fmt: skip


@pytest.mark.parametrize("area", MONTH)
def test_framework_june_2023(worked: duckdb.DuckDBPyConnection, area: str) -> None:
    got = tuple(int(value(worked, m, "2023-06", AREAS[area])) for m in ("fw_r1", "fw_p1", "fw_p2", "fw_b1", "fw_nr1"))
    assert got == MONTH[area]


R1_BREAKDOWNS = {
    "age_band": {"age_under_18": 0, "age_18_25": 1, "age_26_35": 1, "age_36_45": 0, "age_46_55": 1,
                 "age_56_plus": 1, "age_not_known": 1},
    "gender": {"male": 3, "female": 1, "other": 0, "not_known": 1},
    "nationality_group": {"uk": 1, "europe_cee": 2, "europe_other": 0, "africa": 1, "asia": 0, "americas": 0,
                          "oceania": 0, "stateless": 0, "not_known": 1},
    "support_need": {"alcohol": 1, "drugs": 1, "mental_health": 2, "physical_health": 0},
    "support_need_any": {"any_alcohol_drugs_mental_health": 3, "none_of_alcohol_drugs_mental_health": 1,
                         "not_assessed": 1},
}  # fmt: skip


@pytest.mark.parametrize("breakdown", R1_BREAKDOWNS)
def test_r1_breakdowns_june_2023(worked: duckdb.DuckDBPyConnection, breakdown: str) -> None:
    rows = worked.execute(
        "SELECT breakdown_value, value FROM main.metric_values WHERE metric = 'fw_r1' AND period = '2023-06' "
        "AND area_code = ? AND breakdown = ? AND measure = 'count'",
        [L, breakdown],
    ).fetchall()
    assert {k: int(v) for k, v in rows} == R1_BREAKDOWNS[breakdown]


def test_t1_2023_24(worked: duckdb.DuckDBPyConnection) -> None:
    assert value(worked, "fw_t1_n", "2023/24") == "2"
    assert value(worked, "fw_t1_median_days", "2023/24", measure="median_days") == "142"
    assert agrees(value(worked, "fw_t1_mean_days", "2023/24", measure="mean_days"), 213.5)
    bands = {b: int(value(worked, "fw_t1_band", "2023/24", breakdown="band", breakdown_value=b))
             for b in ("0-30", "31-90", "91-180", "181-365", "366+")}  # fmt: skip
    assert bands == {"0-30": 0, "31-90": 0, "91-180": 1, "181-365": 1, "366+": 0}
    assert value(worked, "fw_t1_n", "2023/24", LA) == "1"
    assert value(worked, "fw_t1_n", "2023/24", CA) == "1"
    assert value(worked, "fw_t1_median_days", "2023/24", LA, measure="median_days") == "142"


def test_prevention_2022_23(worked: duckdb.DuckDBPyConnection) -> None:
    period = "2022/23"
    assert value(worked, "lk_prev_cohort", period) == "3"
    assert value(worked, "lk_prev_approached", period) == "2"
    assert value(worked, "lk_prev_approached", period, measure="numerator") == "2"
    assert value(worked, "lk_prev_approached", period, measure="denominator") == "3"
    assert agrees(value(worked, "lk_prev_approached", period, measure="share"), 200 / 3)
    outcome = {"contact_lost_or_withdrew": 1, "accommodation_secured": 1}
    for code in ("accommodation_secured", "became_homeless", "contact_lost_or_withdrew", "no_further_action_56_days",
                 "refused_or_intentional", "not_owed_or_not_eligible", "still_open", "other_or_not_known"):
        assert value(worked, "lk_prev_outcome", period, breakdown="outcome_group", breakdown_value=code) == str(
            outcome.get(code, 0)
        )
        assert value(worked, "lk_prev_outcome", period, breakdown="outcome_group", breakdown_value=code,
                     measure="denominator") == "2"  # fmt: skip
    assert value(worked, "lk_prev_open_at_first_seen", period) == "1"
    for area, (cohort, approached) in {"LA": (1, 1), "CA": (2, 2), "WM": (1, 0)}.items():
        assert value(worked, "lk_prev_cohort", period, AREAS[area]) == str(cohort)
        assert value(worked, "lk_prev_approached", period, AREAS[area]) == str(approached)


BRIEF = {  # variant: within 30, 90, 365, median, bands
    "any": ((2, 2, 2), "10", {"8-30": 2, "not_within_365": 1}),
    "long_term": ((0, 1, 2), "201", {"31-90": 1, "181-365": 1, "not_within_365": 1}),
}


@pytest.mark.parametrize("variant", BRIEF)
def test_brief_2022_23(worked: duckdb.DuckDBPyConnection, variant: str) -> None:
    period = "2022/23"
    within, median, bands = BRIEF[variant]
    assert value(worked, "lk_brief_n", period, variant=variant) == "3"
    for days, expected in zip((30, 90, 365), within, strict=True):
        metric = f"lk_brief_within_{days}"
        assert value(worked, metric, period, variant=variant) == str(expected)
        assert value(worked, metric, period, variant=variant, measure="denominator") == "3"
        assert agrees(value(worked, metric, period, variant=variant, measure="share"), 100 * expected / 3)
    assert value(worked, "lk_brief_median_days", period, variant=variant, measure="median_days") == median
    for band in ("0", "1-7", "8-30", "31-90", "91-180", "181-365", "not_within_365"):
        got = value(worked, "lk_brief_band", period, breakdown="band", breakdown_value=band, variant=variant)
        assert got == str(bands.get(band, 0)), band


PATHWAYS = {
    "0:street_first_seen>1:hostel_or_short_term": 1,
    "0:street_first_seen>1:temporary_accommodation": 1,
    "0:street_first_seen>1:no_accommodation": 1,
    "1:hostel_or_short_term>2:eviction": 1,
    "1:temporary_accommodation>2:planned_move_on": 1,
    "1:no_accommodation>2:seen_rough_sleeping_again": 1,
    "2:eviction>3:returned_to_street": 1,
    "2:planned_move_on>3:not_seen_rough_sleeping": 1,
}


def test_pathways_2022_23(worked: duckdb.DuckDBPyConnection) -> None:
    rows = worked.execute(
        "SELECT breakdown, breakdown_value, value FROM main.metric_values WHERE metric = 'lk_pathways' "
        "AND period = '2022/23' AND area_code = ?",
        [L],
    ).fetchall()
    assert {v: int(n) for b, v, n in rows if b == "transition"} == PATHWAYS
    assert all(b == "transition" for b, _, _ in rows)


NONREC = {  # variant: n, 0_180, 181_365, 366_730, total
    "after_move_in_long_term": (2, 0, 1, 0, 1),
    "after_move_in_any": (2, 0, 1, 0, 1),
    "after_move_out": (2, 1, 0, 0, 1),
}
BUCKETS = ("lk_nonrec_return_0_180", "lk_nonrec_return_181_365", "lk_nonrec_return_366_730", "lk_nonrec_return_total")


@pytest.mark.parametrize("variant", NONREC)
def test_nonrec_2023_24(worked: duckdb.DuckDBPyConnection, variant: str) -> None:
    period = "2023/24"
    n, *buckets = NONREC[variant]
    assert value(worked, "lk_nonrec_n", period, variant=variant) == str(n)
    for metric, expected in zip(BUCKETS, buckets, strict=True):
        assert value(worked, metric, period, variant=variant) == str(expected)
        assert agrees(value(worked, metric, period, variant=variant, measure="share"), 100 * expected / n)
    assert value(worked, "lk_nonrec_n", period, WM, variant=variant) == "1"
    assert value(worked, "lk_nonrec_n", period, CA, variant=variant) == "1"


def test_nonrec_after_move_out_by_exit(worked: duckdb.DuckDBPyConnection) -> None:
    def by_exit(metric: str, breakdown: str, code: str) -> str:
        return value(worked, metric, "2023/24", breakdown=breakdown, breakdown_value=code, variant="after_move_out")

    assert by_exit("lk_nonrec_n", "exit_group", "abandonment") == "1"
    assert by_exit("lk_nonrec_return_total", "exit_group", "abandonment") == "1"
    assert by_exit("lk_nonrec_n", "exit_group", "planned_move_on") == "1"
    assert by_exit("lk_nonrec_return_total", "exit_group", "planned_move_on") == "0"
    assert by_exit("lk_nonrec_n", "exit_to_long_term", "true") == "1"
    assert by_exit("lk_nonrec_return_total", "exit_to_long_term", "true") == "0"
    assert by_exit("lk_nonrec_n", "exit_group", "eviction") == "0"
