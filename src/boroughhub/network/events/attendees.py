"""The attendee list an organiser downloads (CSV or XLSX): one row per place, in the order booked.

It names people, so it is for the event's own organisers only and each download is audited; cells that
a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook

from boroughhub.audit import spreadsheet_safe
from boroughhub.network.clock import london_time_text

ATTENDEE_HEADER = ("Name", "Email", "Organisation", "Status", "Registered at (London time)",
                   "Checked in at (London time)")


@dataclass(frozen=True)
class AttendeeRow:
    name: str
    email: str
    organisation: str
    status: str
    registered_at: datetime
    checked_in_at: datetime | None

    def cells(self) -> tuple[str, ...]:
        checked = london_time_text(self.checked_in_at) if self.checked_in_at else ""
        return tuple(spreadsheet_safe(value) for value in (
            self.name, self.email, self.organisation, self.status, london_time_text(self.registered_at), checked))


def attendees_csv(rows: Sequence[AttendeeRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ATTENDEE_HEADER)
    writer.writerows(row.cells() for row in rows)
    return out.getvalue().encode("utf-8-sig")


def attendees_xlsx(rows: Sequence[AttendeeRow], event_title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Attendees"
    sheet.append([f"Attendees: {event_title}"])
    sheet.append(list(ATTENDEE_HEADER))
    for row in rows:
        sheet.append(list(row.cells()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
