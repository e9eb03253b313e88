"""The London figures the generator is calibrated to, and the shares it draws from.

Figures marked ``published`` are those of ``metrics.md`` section 10 (CHAIN reports for Greater
London). Years outside section 10 are needed to drive a six-year simulation; their figures are
marked ``assumed``: the published CHAIN annual totals as we recall them, split into flow, stock and
returners with the shares of the published years. Every share used to draw people (area, gender,
nationality, age, support needs) is here too, so that one file says what "realistic" means.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class YearTarget:
    """CHAIN annual cohort sizes for a financial year (metrics.md 4.1)."""

    total: int
    flow: int
    stock: int
    returner: int
    status: str  # "published" or "assumed"


def _assumed(total: int) -> YearTarget:
    flow = round(total * 0.64)
    stock = round(total * 0.205)
    return YearTarget(total, flow, stock, total - flow - stock, "assumed")


# Keyed by the calendar year in which the financial year starts (2022 = 2022/23).
ANNUAL_TARGETS: dict[int, YearTarget] = {
    2016: _assumed(8_108),
    2017: _assumed(7_484),
    2018: _assumed(8_855),
    2019: _assumed(10_726),
    2020: _assumed(11_018),
    2021: YearTarget(8_329, 5_091, 8_329 - 5_091 - 1_205, 1_205, "published"),
    2022: YearTarget(10_053, 6_391, 2_084, 1_578, "published"),
    2023: YearTarget(11_993, 7_974, 2_339, 1_680, "published"),
    2024: _assumed(13_231),
}


def year_target(fy: int) -> YearTarget:
    """The target for a financial year; years beyond the table take the nearest year's figures."""
    nearest = min(ANNUAL_TARGETS, key=lambda year: (abs(year - fy), -year))
    return ANNUAL_TARGETS[nearest]


@dataclass(frozen=True, slots=True)
class QuarterTarget:
    """Published CHAIN quarterly figures (metrics.md 10.2); None where not published."""

    fy: int
    quarter: int
    total: int | None
    new: int | None
    lots: int | None
    intermittent: int | None


QUARTER_TARGETS: tuple[QuarterTarget, ...] = (
    QuarterTarget(2021, 3, None, 1_314, None, None),
    QuarterTarget(2022, 2, None, 1_844, None, None),
    QuarterTarget(2022, 3, 3_570, 1_700, None, None),
    QuarterTarget(2023, 1, 3_272, None, 410, None),
    QuarterTarget(2023, 2, 4_068, 2_086, 481, 1_561),
    QuarterTarget(2023, 3, 4_389, 2_283, 560, None),
    QuarterTarget(2024, 1, 4_223, 1_931, 624, None),
    QuarterTarget(2024, 2, 4_780, 2_343, 681, None),
    QuarterTarget(2024, 3, 4_612, 2_115, 704, None),
)


def new_people_quarter_weights(fy: int) -> tuple[float, float, float, float]:
    """How a year's new people spread over its quarters: published quarters fixed, the rest even."""
    flow = year_target(fy).flow
    known = {t.quarter: t.new for t in QUARTER_TARGETS if t.fy == fy and t.new is not None}
    unknown = [q for q in (1, 2, 3, 4) if q not in known]
    rest = max(flow - sum(v for v in known.values() if v is not None), flow * 0.1)
    weights = [float(known[q]) if known.get(q) is not None else rest / len(unknown) for q in (1, 2, 3, 4)]
    total = sum(weights)
    return (weights[0] / total, weights[1] / total, weights[2] / total, weights[3] / total)


# Published area figures (metrics.md 10.1): persons seen in the area in the year.
AREA_TARGETS: dict[tuple[int, str], int] = {
    (2022, "E09000033"): 2_050,
    (2022, "E09000007"): 719,
    (2022, "heathrow"): 233,
    (2023, "E09000033"): 2_102,
    (2023, "E09000022"): 681,
    (2023, "E09000008"): 449,
    (2023, "E09000020"): 226,
    (2023, "london_buses"): 118,
    (2023, "london_underground"): 14,
}

# Share of London's people whose nights are mostly in each area (our estimate, tuned so the
# published area counts above come out; about one person in eight is also seen in a central area).
HOME_AREA_WEIGHTS: dict[str, float] = {
    "E09000033": 18.5, "E09000007": 6.3, "E09000022": 4.9, "E09000028": 4.4, "E09000030": 4.6,
    "E09000025": 4.6, "E09000009": 4.4, "E09000001": 3.2, "E09000012": 3.0, "E09000019": 3.0,
    "E09000008": 3.9, "E09000005": 3.9, "E09000014": 2.9, "E09000010": 2.4, "E09000023": 2.4,
    "E09000011": 2.0, "E09000013": 2.4, "E09000032": 2.3, "E09000026": 2.3, "E09000003": 2.0,
    "E09000018": 2.0, "E09000031": 2.0, "E09000020": 1.0, "E09000017": 1.6, "E09000015": 0.9,
    "E09000021": 0.9, "E09000024": 0.8, "E09000027": 0.8, "E09000002": 1.0, "E09000006": 1.1,
    "E09000004": 0.6, "E09000016": 0.7, "E09000029": 0.28, "heathrow": 1.85, "london_buses": 0.85,
    "london_underground": 0.13,
}
# Where a person is also seen when not in their home area.
CENTRAL_AREAS: tuple[str, ...] = ("E09000033", "E09000007", "E09000001", "E09000022", "E09000028", "E09000020")
SECOND_AREA_SHARE = 0.12

# Published "living on the streets" counts rose about half from 2023/24 to 2024/25 while the stock rose
# a sixth: people seen in earlier years are less often living on the streets in 2023/24 (tuning factor).
LIVING_ON_STREETS_BY_YEAR: dict[int, float] = {2023: 0.7, 2024: 1.05}

PILOT_AREAS: tuple[str, ...] = ("E09000007", "E09000017", "E09000022", "E09000033")

# People, 2023/24 (metrics.md 10.1).
GENDER_SHARES = {"male": 0.84, "female": 0.155, "other": 0.005}
# Age at first night: 9% aged 25 or under, 38% aged 35 or under, 79% aged 26-55.
AGE_BAND_SHARES: tuple[tuple[int, int, float], ...] = (
    (16, 17, 0.004), (18, 25, 0.10), (26, 35, 0.30), (36, 45, 0.265), (46, 55, 0.22), (56, 75, 0.111),
)
# Nationality: UK 45%, other Europe 25% (Romanian 9%), rest of the world 30%.
NATIONALITY_WEIGHTS: dict[str, float] = {
    "GBR": 45.0,
    "ROU": 9.0, "POL": 4.6, "IRL": 1.6, "LTU": 1.5, "BGR": 1.5, "PRT": 1.4, "ITA": 1.4, "LVA": 0.6,
    "HUN": 0.6, "ESP": 0.7, "SVK": 0.5, "CZE": 0.3, "FRA": 0.4, "DEU": 0.3, "ALB": 0.4, "MDA": 0.2,
    "ERI": 5.0, "SDN": 3.2, "SOM": 2.4, "ETH": 1.4, "NGA": 1.5, "GHA": 0.8, "IND": 3.0, "PAK": 1.2,
    "BGD": 1.0, "AFG": 1.8, "IRN": 1.5, "IRQ": 1.5, "SYR": 0.9, "TUR": 0.8, "EGY": 0.5, "LBY": 0.5,
    "KWT": 0.3, "JAM": 1.4, "BRA": 0.6, "USA": 0.3, "AUS": 0.2, "ZAF": 0.3, "XXA": 0.2,
}
# London's households owed a homelessness duty: most are not people sleeping rough.
HOUSEHOLD_NATIONALITY_WEIGHTS: dict[str, float] = {
    "GBR": 68.0, "ROU": 3.0, "POL": 2.5, "IRL": 1.0, "LTU": 1.0, "BGR": 1.0, "PRT": 1.5, "ITA": 1.0,
    "ESP": 0.6, "ERI": 1.5, "SDN": 1.0, "SOM": 3.0, "ETH": 0.8, "NGA": 3.0, "GHA": 1.8, "IND": 1.5,
    "PAK": 1.5, "BGD": 2.0, "AFG": 1.0, "IRN": 0.6, "IRQ": 0.8, "SYR": 0.6, "TUR": 1.0, "JAM": 1.5,
}
# Support needs of people assessed: 72% have an alcohol, drug or mental health need.
SUPPORT_NEED_RATES = {"alcohol": 0.30, "drugs": 0.30, "mental_health": 0.45, "physical_health": 0.35}

# London households owed a prevention or relief duty a year (our estimate, about a fifth of England's).
HCLIC_HOUSEHOLDS_PER_YEAR = 56_000
# People housed by hostels without ever being seen sleeping rough by CHAIN (per year, London).
HOSTEL_ONLY_PEOPLE_PER_YEAR = 2_400
# People recorded on CHAIN through contacts that were never bedded down (per year, London).
NEVER_BEDDED_DOWN_PER_YEAR = 900
