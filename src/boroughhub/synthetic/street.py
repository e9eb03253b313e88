"""Nights on the street: who sleeps rough in each financial year, where, and how often.

The year-by-year allocation is driven by CHAIN's published cohorts (``targets.py``): each year
takes its *stock* from last year's people (weighted towards those living on the streets), its
*returners* from people seen before but not last year (weighted towards the entrenched and the
recently seen), and the rest are *new*. Each person-year then gets a pattern of nights: most new
people are seen on one night only; a minority are seen often over weeks ("living on the streets").
Nights never cross a financial year boundary, so the planned cohort sizes are what the cohorts of
metrics.md section 4 find in the files. When the history is too short to supply the returners (the
first years of an extract), the shortfall is made up with people new to the extract.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from boroughhub.synthetic.people import Person, WeightedChoice, between, draw_street_person, pick, twin_of
from boroughhub.synthetic.targets import (
    CENTRAL_AREAS,
    LIVING_ON_STREETS_BY_YEAR,
    NATIONALITY_WEIGHTS,
    NEVER_BEDDED_DOWN_PER_YEAR,
    SECOND_AREA_SHARE,
    new_people_quarter_weights,
    year_target,
)

PATTERNS = ("one_night", "few_nights", "intermittent", "living_on_streets")
_PATTERN_MIX = {
    "new": (0.70, 0.205, 0.065, 0.03),
    "stock": (0.14, 0.22, 0.44, 0.20),
    "returner": (0.37, 0.31, 0.26, 0.06),
}
_CONTINUE_WEIGHT = {"one_night": 0.45, "few_nights": 1.0, "intermittent": 2.6, "living_on_streets": 6.0}
_RETURN_WEIGHT = {"one_night": 0.7, "few_nights": 1.0, "intermittent": 1.6, "living_on_streets": 2.2}
TWIN_RATE = 0.005


@dataclass(slots=True)
class StreetLife:
    """A person's time on the street: nights (ordinal date, area) and sightings not bedded down."""

    person: Person
    home_area: str
    second_area: str | None
    nights: list[tuple[int, str]] = field(default_factory=list)
    sightings: list[tuple[int, str]] = field(default_factory=list)
    patterns: dict[int, str] = field(default_factory=dict)  # financial year -> pattern
    firsts: dict[int, int] = field(default_factory=dict)  # financial year -> first night, for new people
    last_year: int = 0


def financial_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _weighted_sample(items: Sequence[int], weights: Sequence[float], k: int, rng: random.Random) -> list[int]:
    """k items without replacement, chance proportional to weight (Efraimidis-Spirakis keys)."""
    if k <= 0:
        return []
    keyed = ((rng.random() ** (1.0 / w), item) for item, w in zip(items, weights, strict=True) if w > 0)
    return sorted(item for _, item in heapq.nlargest(k, keyed))


class StreetPlanner:
    """Plans every street life of a run, year by year."""

    def __init__(
        self, rng: random.Random, start: date, end: date, factor: float, home_weights: dict[str, float]
    ) -> None:
        self.rng = rng
        self.start, self.end = start.toordinal(), end.toordinal()
        self.factor = factor
        self.homes = WeightedChoice(home_weights)
        self.central = [a for a in CENTRAL_AREAS if a in home_weights]
        self.nationalities = WeightedChoice(NATIONALITY_WEIGHTS)
        self.lives: list[StreetLife] = []
        self.next_id = 1

    def _new_person_id(self) -> str:
        person_id = f"P{self.next_id:08d}"
        self.next_id += 1
        return person_id

    def _new_life(self, first_seen: int) -> StreetLife:
        rng = self.rng
        person = draw_street_person(self._new_person_id(), date.fromordinal(first_seen), self.nationalities, rng)
        home = self.homes.draw(rng)
        second = None
        if home.startswith("E09") and self.central and rng.random() < SECOND_AREA_SHARE:
            second = pick(rng, [a for a in self.central if a != home] or self.central)
        life = StreetLife(person, home, second)
        self.lives.append(life)
        return life

    def plan(self) -> list[StreetLife]:
        """First who is on the street in which year and how, then each year's nights."""
        active: list[int] = []
        for fy in range(financial_year(date.fromordinal(self.start)), financial_year(date.fromordinal(self.end)) + 1):
            active = self._plan_year(fy, active)
        for life in self.lives:
            for fy in sorted(life.patterns):
                self._draw_nights(life, fy)
        return self.lives

    def _window(self, fy: int) -> tuple[int, int]:
        return max(self.start, date(fy, 4, 1).toordinal()), min(self.end, date(fy + 1, 3, 31).toordinal())

    def _plan_year(self, fy: int, previous: list[int]) -> list[int]:
        rng = self.rng
        window = self._window(fy)
        covered = (window[1] - window[0] + 1) / (date(fy + 1, 3, 31).toordinal() - date(fy, 4, 1).toordinal() + 1)
        target = year_target(fy)
        size = self.factor * covered
        stock_n, returner_n = round(target.stock * size), round(target.returner * size)
        flow_n = round(target.total * size) - stock_n - returner_n
        stock = _weighted_sample(
            previous, [_CONTINUE_WEIGHT[self.lives[i].patterns[fy - 1]] for i in previous], stock_n, rng
        )
        pool = [i for i, life in enumerate(self.lives) if life.patterns and life.last_year < fy - 1]
        pool_weights = [
            _RETURN_WEIGHT[self.lives[i].patterns[self.lives[i].last_year]] / (fy - self.lives[i].last_year - 1) ** 0.5
            for i in pool
        ]
        returners = _weighted_sample(pool, pool_weights, min(returner_n, int(0.35 * len(pool))), rng)
        flow_n += stock_n - len(stock) + returner_n - len(returners)
        for category, members in (("stock", stock), ("returner", returners)):
            for i in members:
                self._add_year(self.lives[i], fy, category)
        quarter_weights = new_people_quarter_weights(fy)
        new_indices = []
        made = 0
        while made < flow_n:
            first = self._first_night_of_new(fy, quarter_weights, window)
            life = self._new_life(first)
            self._add_year(life, fy, "new", first)
            new_indices.append(len(self.lives) - 1)
            made += 1
            if made < flow_n and rng.random() < TWIN_RATE:
                twin = StreetLife(twin_of(life.person, self._new_person_id(), rng), life.home_area, life.second_area)
                self.lives.append(twin)
                self._add_year(twin, fy, "new", self._first_night_of_new(fy, quarter_weights, window))
                new_indices.append(len(self.lives) - 1)
                made += 1
        self._add_never_bedded_down(fy, window, covered)
        return sorted(stock + returners + new_indices)

    def _first_night_of_new(self, fy: int, weights: Sequence[float], window: tuple[int, int]) -> int:
        quarter = self.rng.choices(range(4), weights=weights)[0]
        months = (4, 7, 10, 1)[quarter]
        year = fy if quarter < 3 else fy + 1
        q_start = date(year, months, 1).toordinal()
        q_end = (date(year + 1, 1, 1) if months == 10 else date(year, months + 3, 1)).toordinal() - 1
        low, high = max(q_start, window[0]), min(q_end, window[1])
        if low > high:
            low, high = window
        return between(self.rng, low, high)

    def _add_year(self, life: StreetLife, fy: int, category: str, first: int | None = None) -> None:
        one, few, intermittent, streets = _PATTERN_MIX[category]
        if category != "new":
            shift = streets * (1 - LIVING_ON_STREETS_BY_YEAR.get(fy, 1.0))
            streets, intermittent = streets - shift, intermittent + shift
        life.patterns[fy] = self.rng.choices(PATTERNS, weights=(one, few, intermittent, streets))[0]
        if first is not None:
            life.firsts[fy] = first
        life.last_year = fy

    def _draw_nights(self, life: StreetLife, fy: int) -> None:
        """A year's nights; spells run on from last year and into next year when the person stays out."""
        rng = self.rng
        pattern = life.patterns[fy]
        low, high = self._window(fy)
        settled = ("intermittent", "living_on_streets")
        from_last_year = life.patterns.get(fy - 1) in settled and rng.random() < (
            0.85 if pattern == "living_on_streets" else 0.6
        )
        into_next_year = life.patterns.get(fy + 1) in settled and rng.random() < 0.85
        first = life.firsts.get(fy)
        if first is None:
            lead = {"one_night": 0, "few_nights": 30, "intermittent": 120, "living_on_streets": 90}[pattern]
            first = low + between(rng, 0, 14) if from_last_year else between(rng, low, max(low, high - lead))
            first = min(first, high)
        days = [first]
        if pattern == "few_nights":
            span = between(rng, 3, 45)
            days += rng.sample(range(first + 1, first + span + 2), between(rng, 1, 3))
        elif pattern == "intermittent":
            span = high - first if into_next_year else between(rng, 45, 270)
            days += rng.sample(range(first + 1, first + max(span, 9) + 1), between(rng, 1, 7))
            if into_next_year:
                days.append(high - between(rng, 0, 30))
        elif pattern == "living_on_streets":
            span = high - first - between(rng, 0, 10) if into_next_year else between(rng, 45, 300)
            rate = rng.uniform(0.12, 0.5)
            days += [first + i for i in range(1, span + 1) if rng.random() < rate]
            while len(days) < 5:
                days.append(first + between(rng, 1, max(span, 5)))
        if rng.random() < 0.15 and life.home_area.startswith("E09"):  # moved to another borough this year
            life.home_area = self.homes.draw(rng)
        for night in sorted(set(d for d in days if low <= d <= high)):
            area = life.second_area if life.second_area and rng.random() < 0.25 else life.home_area
            life.nights.append((night, area))

    def _add_never_bedded_down(self, fy: int, window: tuple[int, int], covered: float) -> None:
        """People CHAIN records only from contacts where they were not bedded down."""
        rng = self.rng
        for _ in range(round(NEVER_BEDDED_DOWN_PER_YEAR * self.factor * covered)):
            first = between(rng, *window)
            life = self._new_life(first)
            for day in sorted({first, *(min(window[1], first + between(rng, 0, 60)) for _ in range(between(rng, 0, 2)))}):
                life.sightings.append((day, life.home_area))
