"""Statistical disclosure control (metrics.md section 8): from unrounded ``metric_values`` rows to the
rows that may leave person-level storage.

Order of the rules (8.2): R1 primary suppression → R6 secondary suppression → R7 special category →
R4 shares and R5 medians and means (from unrounded values) → R2/R3 rounding.

Our readings, where 8.2 is silent (docs/metrics.md):

- ``numerator`` and ``denominator`` rows repeat a count published elsewhere (7.2); they are published
  exactly as that count row is, so a cell suppressed in one place is suppressed everywhere. A share whose
  numerator or denominator is published as ``[c]`` is ``[c]`` too.
- ``fw_r1_rate`` is ``[c]`` when its ``fw_r1`` count is, and otherwise shown to one decimal place.
- ``lk_prev_hclic_coverage`` counts local authorities, not persons: published as it is.
- Blocks of a period are self-contained: ``publish`` may be called period by period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from boroughhub.insights.catalog import CATALOG, MetricSpec
from boroughhub.insights.output import breakdown_values
from boroughhub.insights.params import LONDON

SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE = "[c]", "[x]", "[z]"
MIN_DENOMINATOR = 20
PRIMARY_MAX = 7
COUNT_MEASURES = ("count", "numerator", "denominator")
PARTITION_BREAKDOWNS = ("age_band", "gender", "nationality_group", "support_need_any", "exit_group",
                        "exit_to_long_term", "support_need_combination")  # fmt: skip
# R7 covers health needs (8.2); our reading extends it to the profile breakdowns of the same kind of data:
# needs in combination, and institutions lived in (prison history is criminal offence data, sources.md).
SPECIAL_CATEGORY = ("support_need", "support_need_any", "support_need_combination", "institution_history")
AGAINST_TOTAL = ("support_need_any", "support_need_combination", "institution_history")
METRIC_GROUPS = {  # R6 groups of metric ids: cells → total
    ("chain_flow", "chain_stock", "chain_returner"): "chain_total",
    ("chain_q_new_one_night", "chain_q_new_multi_not_lots", "chain_q_new_lots"): "chain_q_new",
    ("lk_nonrec_return_0_180", "lk_nonrec_return_181_365", "lk_nonrec_return_366_730"): "lk_nonrec_return_total",
}
CATEGORY_TOTALS = {"fw_t1_band": "fw_t1_n", "lk_brief_band": "lk_brief_n", "lk_prev_outcome": "lk_prev_approached"}
NOT_PERSON_COUNTS = frozenset({"lk_prev_hclic_coverage"})

Row = dict[str, str]
Key = tuple[str, str, str, str, str, str, str, str]

_ORDER = {(kind, value): order for kind, _name, value, order in breakdown_values()}
_ORDER_KIND = {"band": {"fw_t1_band": "band_t1", "lk_brief_band": "band_brief"}}
_SPECS: dict[str, MetricSpec] = {}
for _spec in CATALOG:
    _SPECS.setdefault(_spec.metric, _spec)


def _key(row: Mapping[str, str], **changes: str) -> Key:
    r = {**row, **changes}
    return (r["metric"], r["variant"], r["period_type"], r["period"], r["area_code"], r["breakdown"],
            r["breakdown_value"], r["measure"])  # fmt: skip


def _int(text: str) -> int | None:
    return int(text) if text.lstrip("-").isdigit() else None


def suppression_threshold(min_cell_size: int | None) -> int:
    """The largest count R1 suppresses: 7 (8.2), or one below an agreement's stricter ``min_cell_size`` (8.1)."""
    return max(PRIMARY_MAX, (min_cell_size or 0) - 1)


def round_half_away(value: Decimal, places: str) -> Decimal:
    """Round half away from zero to ``places`` (``'1'``, ``'0.1'``)."""
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def round_count(n: int, london: bool) -> int:
    """R2 (nearest 5 below London) and R3 (nearest 10, halves away from zero, at London level)."""
    step = 10 if london else 5
    return (abs(n) + step // 2) // step * step * (1 if n >= 0 else -1)


class _Publication:
    def __init__(self, rows: Iterable[Mapping[str, str]], min_cell_size: int | None) -> None:
        self.rows: list[Row] = [dict(r) for r in rows]
        self.by_key: dict[Key, Row] = {_key(r): r for r in self.rows}
        self.threshold = suppression_threshold(min_cell_size)
        self.primary: set[Key] = set()
        self.suppressed: set[Key] = set()

    def unrounded(self, key: Key) -> int | None:
        row = self.by_key.get(key)
        return _int(row["value"]) if row else None

    def is_person_count(self, row: Row) -> bool:
        return row["measure"] in COUNT_MEASURES and row["metric"] not in NOT_PERSON_COUNTS

    def r1_primary(self) -> None:
        for row in self.rows:
            n = _int(row["value"])
            if self.is_person_count(row) and n is not None and 1 <= n <= self.threshold:
                self.primary.add(_key(row))
        self.suppressed |= self.primary

    def _suppress_group(self, cells: list[Key], total: Key) -> None:
        present = [c for c in cells if c in self.by_key]
        total_n = self.unrounded(total)
        if total_n is None or total in self.suppressed or total_n == 0:
            return
        if sum(1 for c in present if c in self.primary) != 1:
            return
        others = [c for c in present if c not in self.primary and (self.unrounded(c) or 0) > 0]
        if others:
            smallest = min(others, key=lambda c: (self.unrounded(c) or 0, others.index(c)))
            self.suppressed.add(smallest)

    def r6_secondary(self) -> None:
        partitions: dict[tuple[Key, str], list[Key]] = {}
        for row in self.rows:
            if row["measure"] != "count":
                continue
            metric, breakdown = row["metric"], row["breakdown"]
            if breakdown in PARTITION_BREAKDOWNS or metric in CATEGORY_TOTALS:
                total_metric = CATEGORY_TOTALS.get(metric, metric)
                total = _key(row, metric=total_metric, breakdown="none", breakdown_value="")
                partitions.setdefault((total, breakdown), []).append(_key(row))
        for (total, breakdown), cells in partitions.items():
            cells.sort(key=lambda c: _ORDER.get((_ORDER_KIND.get(breakdown, {}).get(c[0], breakdown), c[6]), 0))
            self._suppress_group(cells, total)
        for cell_metrics, total_metric in METRIC_GROUPS.items():
            for row in self.rows:
                if row["metric"] == total_metric and row["measure"] == "count":
                    total = _key(row)
                    self._suppress_group([_key(row, metric=m) for m in cell_metrics], total)

    def r7_special_category(self) -> None:
        for row in self.rows:
            if row["area_code"] == LONDON or row["measure"] != "count":
                continue
            if row["breakdown"] not in SPECIAL_CATEGORY:
                continue
            n = _int(row["value"])
            if n is None:
                continue
            if row["breakdown"] in AGAINST_TOTAL:
                total = self.unrounded(_key(row, breakdown="none", breakdown_value=""))
            else:
                total = sum(
                    self.unrounded(_key(row, breakdown="support_need_any", breakdown_value=v)) or 0
                    for v in ("any_alcohol_drugs_mental_health", "none_of_alcohol_drugs_mental_health")
                )
            if n == 0 or (total and n == total):
                self.suppressed.add(_key(row))

    def count_value(self, row: Row) -> str:
        n = _int(row["value"])
        if n is None or row["metric"] in NOT_PERSON_COUNTS:
            return row["value"]
        if _key(row) in self.suppressed:
            return SUPPRESSED
        return str(round_count(n, row["area_code"] == LONDON))

    def referenced_count(self, row: Row) -> Key | None:
        """The count row that a numerator or denominator row repeats (7.2)."""
        spec = _SPECS.get(row["metric"])
        if spec is None:
            return None
        if row["measure"] == "numerator":
            return _key(row, metric=spec.numerator or spec.metric, measure="count")
        den = (spec.denominator or {}).get(row["period_type"])
        if den is None:
            return None
        if spec.denominator_breakdown_none:
            return _key(row, metric=den, measure="count", breakdown="none", breakdown_value="")
        return _key(row, metric=den, measure="count")

    def published(self, row: Row) -> str:
        measure, value = row["measure"], row["value"]
        if measure == "count":
            return self.count_value(row)
        if measure in ("numerator", "denominator"):
            ref = self.referenced_count(row)
            if ref is not None and ref in self.by_key:
                return self.count_value(self.by_key[ref])
            return self.count_value(row)
        if measure == "share":
            return self.share_value(row)
        if measure in ("median_days", "mean_days"):
            return self.statistic_value(row)
        if measure == "rate":
            return self.rate_value(row)
        return value

    def share_value(self, row: Row) -> str:
        if row["value"] in (NOT_AVAILABLE, NOT_APPLICABLE):
            return row["value"]
        num = self.unrounded(_key(row, measure="numerator"))
        den = self.unrounded(_key(row, measure="denominator"))
        if num is None or den is None or den < MIN_DENOMINATOR:
            return SUPPRESSED
        if 1 <= num <= self.threshold or 1 <= den - num <= self.threshold:
            return SUPPRESSED
        for measure in ("numerator", "denominator"):
            part = self.by_key.get(_key(row, measure=measure))
            if part is not None and self.published(part) == SUPPRESSED:
                return SUPPRESSED
        return str(round_half_away(Decimal(row["value"]), "0.1"))

    def statistic_value(self, row: Row) -> str:
        if row["value"] in (NOT_AVAILABLE, NOT_APPLICABLE):
            return row["value"]
        spec = _SPECS.get(row["metric"])
        base = spec.statistic_of if spec else None
        n = self.unrounded(_key(row, metric=base or "", measure="count")) if base else None
        if n is None or n < MIN_DENOMINATOR:
            return SUPPRESSED
        if row["value"].startswith(">"):
            return row["value"]
        return str(round_half_away(Decimal(row["value"]), "1"))

    def rate_value(self, row: Row) -> str:
        if row["value"] in (NOT_AVAILABLE, NOT_APPLICABLE):
            return row["value"]
        count_key = _key(row, metric="fw_r1", measure="count")
        if count_key not in self.by_key or self.count_value(self.by_key[count_key]) == SUPPRESSED:
            return SUPPRESSED
        return str(round_half_away(Decimal(row["value"]), "0.1"))


def publish(rows: Iterable[Mapping[str, str]], unrounded: bool, min_cell_size: int | None = None) -> list[Row]:
    """The rows that may be shown: unchanged if ``unrounded`` (roles of 8.4, decided by the caller),
    otherwise after the rules of 8.2. ``min_cell_size`` is an agreement's stricter threshold (8.1)."""
    if unrounded:
        return [dict(r) for r in rows]
    publication = _Publication(rows, min_cell_size)
    publication.r1_primary()
    publication.r6_secondary()
    publication.r7_special_category()
    return [{**row, "value": publication.published(row)} for row in publication.rows]
