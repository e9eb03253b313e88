"""A dataset's ``hub_retention`` (agreements spec §1.4: ``{period, from, deletion}``), read from an
agreement version's content, and the instant it makes data expire.

The clause a deletion is made under is named the way the audit entry and the page say it:
"dsa-pl-rsi version 1, datasets[chain].hub_retention (24 months from upload, crypto-erase and purge)".
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

#: When the period starts (the ``from`` of the clause) for the datasets the hub holds.
FROM_UPLOAD = "upload"
FROM_NEXT_LINKAGE_RUN = "superseded_by_next_linkage_run"
FROM_CREATION = "creation"
STARTS = {
    FROM_UPLOAD: "from upload",
    FROM_NEXT_LINKAGE_RUN: "after the next linkage run",
    FROM_CREATION: "from creation",
}
PURGE = "purge"
CRYPTO_ERASE_AND_PURGE = "crypto_erase_and_purge"
DELETIONS = {PURGE: "purge", CRYPTO_ERASE_AND_PURGE: "crypto-erase and purge"}

_DURATION = re.compile(r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?$")


@dataclass(frozen=True)
class Period:
    """A calendar period: months (years are twelve) and days, as ISO 8601 durations without a time."""

    months: int = 0
    days: int = 0

    @classmethod
    def parse(cls, text: str) -> Period:
        found = _DURATION.match(text.strip())
        if found is None or text.strip() == "P":
            raise ValueError(f"{text!r} is not a period the hub can apply: write it as P24M, P2Y or P30D.")
        part = {name: int(value or 0) for name, value in found.groupdict().items()}
        return cls(months=part["years"] * 12 + part["months"], days=part["weeks"] * 7 + part["days"])

    def after(self, start: datetime) -> datetime:
        """``start`` plus the period; a day past the end of the month is the month's last day (31 Jan + 1M)."""
        month_index = start.month - 1 + self.months
        year, month = start.year + month_index // 12, month_index % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return start.replace(year=year, month=month, day=day) + timedelta(days=self.days)

    def words(self) -> str:
        parts = []
        if self.months:
            parts.append(f"{self.months} month{'' if self.months == 1 else 's'}")
        if self.days:
            parts.append(f"{self.days} day{'' if self.days == 1 else 's'}")
        return " and ".join(parts) or "no time"


@dataclass(frozen=True)
class HubRetention:
    """One dataset's retention inside the hub, as one agreement version states it."""

    dataset: str
    period: Period
    starts: str
    deletion: str
    agreement_id: str
    version: int

    @property
    def crypto_erase(self) -> bool:
        return self.deletion == CRYPTO_ERASE_AND_PURGE

    @property
    def clause(self) -> str:
        """Where the rule is written: the agreement version and the clause's place in its content."""
        return f"{self.agreement_id} version {self.version}, datasets[{self.dataset}].hub_retention"

    @property
    def summary(self) -> str:
        starts = STARTS.get(self.starts, f"from {self.starts}")
        return f"{self.period.words()} {starts}, {DELETIONS.get(self.deletion, self.deletion)}"

    def expires(self, start: datetime) -> datetime:
        return self.period.after(start)

    def as_payload(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id, "version": self.version, "dataset": self.dataset,
                "clause": self.clause, "period_months": self.period.months, "period_days": self.period.days,
                "from": self.starts, "deletion": self.deletion}


def retention_of(content: Mapping[str, Any], agreement_id: str, version: int) -> dict[str, HubRetention]:
    """Every dataset's ``hub_retention`` in one version's content, by dataset id; unusable entries skipped."""
    found: dict[str, HubRetention] = {}
    for entry in content.get("datasets") or ():
        if not isinstance(entry, Mapping) or not isinstance(entry.get("hub_retention"), Mapping):
            continue
        clause = entry["hub_retention"]
        try:
            period = Period.parse(str(clause.get("period", "")))
        except ValueError:
            continue
        dataset = str(entry.get("dataset_id", ""))
        found[dataset] = HubRetention(dataset, period, str(clause.get("from", "")),
                                      str(clause.get("deletion", PURGE)), agreement_id, version)
    return found


@dataclass(frozen=True)
class RetentionBook:
    """The clauses the job applies: each stored version's, and the ones in force for data with no stamp.

    ``by_version[(agreement_id, version)][dataset]`` is the clause of the version a row was stored under
    (its stamp); ``in_force[dataset]`` is the shortest clause among the versions active now, used for
    rows stored before stamps and for derived datasets (the strictest promise made is the one kept).
    """

    by_version: Mapping[tuple[str, int], Mapping[str, HubRetention]]
    in_force: Mapping[str, HubRetention]

    @classmethod
    def build(cls, versions: Iterable[tuple[str, int, Mapping[str, Any], bool]]) -> RetentionBook:
        """From ``(agreement_id, version, content, active)`` of every version the hub holds."""
        by_version: dict[tuple[str, int], dict[str, HubRetention]] = {}
        in_force: dict[str, HubRetention] = {}
        for agreement_id, version, content, active in versions:
            clauses = retention_of(content, agreement_id, version)
            by_version[(agreement_id, version)] = clauses
            if not active:
                continue
            for dataset, clause in clauses.items():
                held = in_force.get(dataset)
                start = datetime(2000, 1, 1)
                if held is None or clause.expires(start) < held.expires(start):
                    in_force[dataset] = clause
        return cls(by_version, in_force)

    def for_rows(self, dataset: str, agreement_id: str | None, version: int | None) -> HubRetention | None:
        """The clause for rows stamped with ``agreement_id`` and ``version`` (or the one in force)."""
        if agreement_id and version is not None:
            stamped = self.by_version.get((agreement_id, version), {}).get(dataset)
            if stamped is not None:
                return stamped
        return self.in_force.get(dataset)
