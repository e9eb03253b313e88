"""The report's counting, without a database."""

from __future__ import annotations

from datetime import date

from boroughhub.getonline.figures import Given, by_borough, by_hub, by_month, month_bounds

LEWISHAM, CAMDEN = "E09000023", "E09000007"


def test_figures_by_borough_count_what_was_given_in_the_period_and_learners_once() -> None:
    records = [
        Given("devices", LEWISHAM, "Deptford hub", date(2026, 11, 3)),
        Given("sims", LEWISHAM, "Deptford hub", date(2026, 11, 3)),
        Given("sims", LEWISHAM, "Deptford hub", date(2026, 12, 1)),  # after the period
        Given("learners", CAMDEN, "Kentish Town hub", date(2026, 11, 5), "p1"),
        Given("learners", CAMDEN, "Kentish Town hub", date(2026, 11, 9), "p1"),  # a second course, one learner
    ]
    result = by_borough(records, *month_bounds(2026, 11))
    rows = {row["borough"]: row for row in result["boroughs"]}
    assert len(rows) == 33
    assert (rows["Lewisham"]["devices"], rows["Lewisham"]["sims"]) == (1, 1)
    assert rows["Camden"]["learners"] == 1
    assert result["london"] == {"devices": 1, "sims": 1, "data_vouchers": 0, "learners": 1}
    assert result["from"] == "2026-11-01" and result["to"] == "2026-11-30"


def test_months_and_hubs() -> None:
    records = [Given("sims", LEWISHAM, "A", date(2026, 1, 31)), Given("sims", LEWISHAM, "B", date(2026, 3, 1)),
               Given("sims", LEWISHAM, "B", date(2026, 3, 2))]
    months = by_month(records, date(2026, 1, 1), date(2026, 3, 31))
    assert [(m["month"], m["sims"]) for m in months] == [("2026-01", 1), ("2026-02", 0), ("2026-03", 2)]
    assert [(h["hub"], h["sims"]) for h in by_hub(records, date(2026, 1, 1), date(2026, 3, 31))] == [("B", 2), ("A", 1)]
    assert month_bounds(2026, 12) == (date(2026, 12, 1), date(2026, 12, 31))
