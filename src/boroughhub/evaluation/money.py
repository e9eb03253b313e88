"""Years, price bases and discounting (spec §3.1, §5.1, §5.2, §5.8)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

FINANCIAL = re.compile(r"^(\d{4})/(\d{2})$")


class YearLabelError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def year_value(label: object, basis: str) -> int:
    """Numeric value of a year label: calendar ``2023`` -> 2023; financial ``"2023/24"`` -> 2023."""
    if basis == "calendar":
        if isinstance(label, int) and not isinstance(label, bool):
            return label
        if isinstance(label, str) and FINANCIAL.match(label):
            raise YearLabelError("year_basis_mismatch",
                                 f"{label!r} is a financial year but the programme uses calendar years")
        if isinstance(label, str) and label.isdigit() and len(label) == 4:
            return int(label)
        raise YearLabelError("invalid_year_label", f"{label!r} is not a calendar year")
    if isinstance(label, str):
        m = FINANCIAL.match(label)
        if m and int(m.group(2)) == (int(m.group(1)) + 1) % 100:
            return int(m.group(1))
    raise YearLabelError("invalid_year_label",
                         f"{label!r} is not a financial year label like \"2023/24\"")


def year_label(value: int, basis: str) -> str:
    return str(value) if basis == "calendar" else f"{value}/{(value + 1) % 100:02d}"


def discount_factors(rate: Callable[[int], float], ts: Sequence[int], compound_pre_zero: bool) -> NDArray[np.float64]:
    """DF(t) = Π_{s=1..t} 1/(1 + r(s)); DF(−t) = 1/DF(t) (only when pre-zero flows compound)."""
    out = np.empty(len(ts))
    for i, t in enumerate(ts):
        df = 1.0
        for s in range(1, abs(t) + 1):
            df /= 1.0 + rate(s)
        if t < 0:
            # Compounding forward. Without ``pre_zero_flows: compound`` validation has already
            # refused every flow before year zero, so these factors multiply only zeros.
            df = 1.0 / df
        out[i] = df
    return out


def real_factor(deflator: dict[int, float] | None, base_year: int, price_year: int | None) -> float:
    """Multiplier D(B)/D(p) that turns prices of year p into base-year prices (1 when real)."""
    if price_year is None or price_year == base_year:
        return 1.0
    if deflator is None:
        raise KeyError("no deflator")
    return deflator[base_year] / deflator[price_year]
