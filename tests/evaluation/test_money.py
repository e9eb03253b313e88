"""E0: discount factors and deflation (T1)."""

from __future__ import annotations

import pytest

from boroughhub.evaluation.money import YearLabelError, discount_factors, real_factor, year_label, year_value
from boroughhub.evaluation.tables import builtin_tables

E0 = {0: 1.0, 1: 0.9661835749, 2: 0.9335107004, 3: 0.9019427057, 4: 0.8714422277, 30: 0.3562784106,
      31: 0.3459013695, 75: 0.0942137726, 76: 0.0919158757}


def test_e0_discount_factors_follow_the_declining_schedule() -> None:
    schedule = builtin_tables()["green_book_2022_stpr_standard"]
    factors = discount_factors(schedule.rate, list(E0), compound_pre_zero=False)  # type: ignore[attr-defined]
    for (t, expected), got in zip(E0.items(), factors, strict=True):
        assert got == pytest.approx(expected, abs=1e-10), t


def test_pre_zero_flows_compound_only_when_asked() -> None:
    schedule = builtin_tables()["green_book_2022_stpr_standard"]
    assert discount_factors(schedule.rate, [-1], True)[0] == pytest.approx(1.035)  # type: ignore[attr-defined]


def test_e0_deflating_at_two_percent_a_year() -> None:
    deflator = {2023: 100.0, 2024: 102.0, 2025: 104.04, 2026: 106.1208}
    assert round(1000 * real_factor(deflator, 2023, 2024), 2) == 980.39
    assert round(1000 * real_factor(deflator, 2023, 2025), 2) == 961.17
    assert round(1000 * real_factor(deflator, 2023, 2026), 2) == 942.32


@pytest.mark.parametrize(("label", "basis", "value"), [(2023, "calendar", 2023), ("2023/24", "financial", 2023),
                                                       ("1999/00", "financial", 1999)])
def test_year_labels(label: object, basis: str, value: int) -> None:
    assert year_value(label, basis) == value
    assert year_label(value, basis) == str(label)


@pytest.mark.parametrize(("label", "basis", "code"), [("2023/25", "financial", "invalid_year_label"),
                                                      (2023, "financial", "invalid_year_label"),
                                                      ("2023/24", "calendar", "year_basis_mismatch")])
def test_bad_year_labels(label: object, basis: str, code: str) -> None:
    with pytest.raises(YearLabelError) as err:
        year_value(label, basis)
    assert err.value.code == code
