"""An apprentice's record of sessions attended, as a CSV for their portfolio (their own data only)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from boroughhub.audit import spreadsheet_safe
from boroughhub.network.clock import LONDON, london_date_text

PORTFOLIO_HEADER = ("Date", "Session", "Run by", "Start (London time)", "End (London time)", "Checked in at")


@dataclass(frozen=True)
class AttendedSession:
    title: str
    organisation: str
    starts_at: datetime
    ends_at: datetime
    checked_in_at: datetime

    def cells(self) -> tuple[str, ...]:
        return tuple(spreadsheet_safe(value) for value in (
            london_date_text(self.starts_at), self.title, self.organisation,
            f"{self.starts_at.astimezone(LONDON):%H:%M}", f"{self.ends_at.astimezone(LONDON):%H:%M}",
            f"{self.checked_in_at.astimezone(LONDON):%H:%M}"))


def portfolio_csv(sessions: Sequence[AttendedSession]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PORTFOLIO_HEADER)
    writer.writerows(session.cells() for session in sessions)
    return out.getvalue().encode("utf-8-sig")
