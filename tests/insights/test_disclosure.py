"""metrics.md 8.2 and the 9.3 example."""

from __future__ import annotations

import duckdb
from hypothesis import given
from hypothesis import strategies as st

from boroughhub.insights.disclosure import publish, round_count
from boroughhub.insights.metrics import LONDON

CAMDEN = "E09000007"


def row(metric: str, value: str, *, area: str = CAMDEN, breakdown: str = "none", breakdown_value: str = "",
        measure: str = "count", variant: str = "", period: str = "2023/24",
        period_type: str = "financial_year") -> dict[str, str]:  # fmt: skip
    return {"metric": metric, "variant": variant, "period_type": period_type, "period": period, "area_code": area,
            "breakdown": breakdown, "breakdown_value": breakdown_value, "measure": measure, "value": value,
            "flags": ""}  # fmt: skip


def published(rows: list[dict[str, str]]) -> dict[tuple[str, str, str, str], str]:
    return {(r["metric"], r["breakdown_value"], r["measure"], r["area_code"]): r["value"]
            for r in publish(rows, unrounded=False)}  # fmt: skip


def test_worked_example_9_3_gender_row() -> None:
    rows = [row("chain_total", "48")] + [
        row("chain_total", v, breakdown="gender", breakdown_value=g)
        for g, v in (("male", "43"), ("female", "5"), ("other", "0"), ("not_known", "0"))
    ]
    out = published(rows)
    assert out[("chain_total", "male", "count", CAMDEN)] == "[c]"
    assert out[("chain_total", "female", "count", CAMDEN)] == "[c]"
    assert out[("chain_total", "other", "count", CAMDEN)] == "0"
    assert out[("chain_total", "not_known", "count", CAMDEN)] == "0"
    assert out[("chain_total", "", "count", CAMDEN)] == "50"
    assert publish(rows, unrounded=True) == rows


def _share(numerator: int, denominator: int, area: str = CAMDEN) -> str:
    rows = [row("lk_prev_cohort", str(denominator), area=area), row("lk_prev_approached", str(numerator), area=area)]
    rows += [row("lk_prev_approached", v, measure=m, area=area) for m, v in (
        ("numerator", str(numerator)), ("denominator", str(denominator)),
        ("share", repr(100 * numerator / denominator)))]  # fmt: skip
    return published(rows)[("lk_prev_approached", "", "share", area)]


def test_worked_example_9_3_shares_and_london_counts() -> None:
    assert _share(14, 19) == "[c]"  # denominator under 20
    assert _share(30, 33) == "[c]"  # complement 3
    assert _share(46, 61) == "75.4"
    london = published([row("chain_total", "10053", area=LONDON), row("chain_q_lots", "6391", area=LONDON),
                        row("fw_r1", "5", area=LONDON)])  # fmt: skip
    assert london[("chain_total", "", "count", LONDON)] == "10050"
    assert london[("chain_q_lots", "", "count", LONDON)] == "6390"
    assert london[("fw_r1", "", "count", LONDON)] == "[c]"


def test_rounding_rules() -> None:
    assert [round_count(n, london=False) for n in (8, 12, 13, 0)] == [10, 10, 15, 0]
    assert [round_count(n, london=True) for n in (2085, 10053, 6391, 15)] == [2090, 10050, 6390, 20]


def test_secondary_suppression_of_metric_group_and_mirrored_rows() -> None:
    rows = [row("chain_total", "40"), row("chain_flow", "3"), row("chain_stock", "20"), row("chain_returner", "17"),
            row("nsno_one_night", "3"), row("nsno_one_night_share", "3", measure="numerator"),
            row("nsno_one_night_share", "3", measure="denominator"),
            row("nsno_one_night_share", "100.0", measure="share")]  # fmt: skip
    out = published(rows)
    assert out[("chain_flow", "", "count", CAMDEN)] == "[c]"
    assert out[("chain_returner", "", "count", CAMDEN)] == "[c]"  # smallest other non-zero cell
    assert out[("chain_stock", "", "count", CAMDEN)] == "20"
    assert out[("nsno_one_night_share", "", "numerator", CAMDEN)] == "[c]"
    assert out[("nsno_one_night_share", "", "denominator", CAMDEN)] == "[c]"
    assert out[("nsno_one_night_share", "", "share", CAMDEN)] == "[c]"


def test_special_category_zero_and_everybody_below_london() -> None:
    def rows(area: str) -> list[dict[str, str]]:
        return [row("fw_r1", "30", area=area, period="2023-06", period_type="month")] + [
            row("fw_r1", v, area=area, breakdown=b, breakdown_value=c, period="2023-06", period_type="month")
            for b, c, v in (
                ("support_need_any", "any_alcohol_drugs_mental_health", "20"),
                ("support_need_any", "none_of_alcohol_drugs_mental_health", "0"),
                ("support_need_any", "not_assessed", "10"),
                ("support_need", "alcohol", "20"), ("support_need", "drugs", "10"),
                ("support_need", "mental_health", "0"), ("support_need", "physical_health", "12"),
            )
        ]  # fmt: skip

    borough = published(rows(CAMDEN))
    assert borough[("fw_r1", "none_of_alcohol_drugs_mental_health", "count", CAMDEN)] == "[c]"
    assert borough[("fw_r1", "alcohol", "count", CAMDEN)] == "[c]"  # everybody assessed has it
    assert borough[("fw_r1", "mental_health", "count", CAMDEN)] == "[c]"
    assert borough[("fw_r1", "drugs", "count", CAMDEN)] == "10"
    assert borough[("fw_r1", "not_assessed", "count", CAMDEN)] == "10"
    london = published(rows(LONDON))
    assert london[("fw_r1", "mental_health", "count", LONDON)] == "0"


def test_medians_means_and_markers() -> None:
    rows = [row("lk_brief_n", "19", variant="any"),
            row("lk_brief_median_days", "12", measure="median_days", variant="any"),
            row("fw_t1_n", "25"), row("fw_t1_median_days", "142", measure="median_days"),
            row("fw_t1_mean_days", "213.5", measure="mean_days"), row("lk_pathways", "[x]")]  # fmt: skip
    out = published(rows)
    assert out[("lk_brief_median_days", "", "median_days", CAMDEN)] == "[c]"
    assert out[("fw_t1_median_days", "", "median_days", CAMDEN)] == "142"
    assert out[("fw_t1_mean_days", "", "mean_days", CAMDEN)] == "214"
    assert out[("lk_pathways", "", "count", CAMDEN)] == "[x]"


def test_agreement_threshold_is_stricter() -> None:
    rows = [row("chain_total", "9")]
    assert publish(rows, unrounded=False, min_cell_size=10)[0]["value"] == "[c]"
    assert publish(rows, unrounded=False)[0]["value"] == "10"


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=4, max_size=4))
def test_no_published_count_reveals_a_small_cell(cells: list[int]) -> None:
    """Whatever the counts, no count 1–7 is shown, and a single suppressed cell is never recoverable."""
    codes = ("male", "female", "other", "not_known")
    rows = [row("chain_total", str(sum(cells)))] + [
        row("chain_total", str(n), breakdown="gender", breakdown_value=c) for c, n in zip(codes, cells, strict=True)
    ]
    out = publish(rows, unrounded=False)
    values = [r["value"] for r in out]
    assert not any(v.isdigit() and 1 <= int(v) <= 7 for v in values)
    hidden = [r for r in out[1:] if r["value"] == "[c]"]
    assert len(hidden) != 1 or out[0]["value"] == "[c]"


def test_publish_worked_example_rows(worked: duckdb.DuckDBPyConnection) -> None:
    cursor = worked.execute("SELECT * FROM main.metric_values WHERE period IN ('2023/24', '2022/23')")
    columns = [d[0] for d in cursor.description]
    rows = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
    out = publish(rows, unrounded=False)
    assert len(out) == len(rows)
    chain_total = [r["value"] for r in out if r["metric"] == "chain_total" and r["area_code"] == LONDON
                   and r["breakdown"] == "none" and r["period"] == "2023/24"]  # fmt: skip
    assert chain_total == ["10"]  # 9 publishes as 10 (9.3)
    assert not any(r["value"].isdigit() and 1 <= int(r["value"]) <= 7 for r in out if r["measure"] != "count"
                   or r["metric"] != "lk_prev_hclic_coverage")  # fmt: skip
