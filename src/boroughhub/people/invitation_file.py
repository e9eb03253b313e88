"""A CSV file of invitations (email, name, role, from, to), read and checked row by row.

The report names the row (as a spreadsheet numbers it: the header is row 1), the column and the rule of
every problem, so the file can be put right and sent again; nothing is sent while any row is wrong
(docs/decisions/0156-inviting-people.md).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from boroughhub.organisations import Role
from boroughhub.sources import neutralise_formula

from .rules import CheckedInvitation, InvitationRequest, Problem, check_invitation

COLUMNS = ("email", "name", "role", "from", "to")
REQUIRED = ("email", "name", "role")
#: More than a whole borough's staff at once is a mistake (or someone else's list).
MOST_ROWS = 1_000
REPORT_COLUMNS = ("row", "column", "rule", "value", "message")


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    rule: str
    message: str
    value: str = ""

    def as_row(self) -> dict[str, str]:
        return {"row": str(self.row), "column": self.column, "rule": self.rule, "value": self.value,
                "message": self.message}


@dataclass
class InvitationFile:
    invitations: list[tuple[int, CheckedInvitation]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems and bool(self.invitations)

    def add(self, row: int, problems: Iterable[Problem]) -> None:
        self.problems.extend(RowProblem(row, p.column, p.rule, p.message, p.value) for p in problems)


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def read_invitation_file(data: bytes, grantable: frozenset[Role], today: date) -> InvitationFile:
    """Every row checked against the rules; ``passed`` only if all of them are right."""
    result = InvitationFile()
    text = _text(data)
    if text is None:
        result.add(1, [Problem("", "not_utf8", "Save the file as 'CSV UTF-8' and upload it again")])
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        result.add(1, [Problem("", "file_empty", "The file is empty. Its first row names the columns: "
                               + ", ".join(COLUMNS))])
        return result
    names = [cell.strip().lower() for cell in header]
    header_problems = [Problem(name, "header_missing_column", f"Add a column called {name}")
                       for name in REQUIRED if name not in names]
    header_problems += [Problem(name, "header_unknown_column",
                                f"Remove the column {name}: the columns are {', '.join(COLUMNS)}")
                        for name in dict.fromkeys(names) if name and name not in COLUMNS]
    header_problems += [Problem(name, "header_duplicate_column", f"Keep one column called {name}")
                        for name in dict.fromkeys(names) if name and names.count(name) > 1]
    if header_problems:
        result.add(1, header_problems)
        return result
    first_row_of: dict[str, int] = {}
    for row_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if row_number - 1 > MOST_ROWS:
            result.add(row_number, [Problem("", "too_many_rows",
                                            f"Send at most {MOST_ROWS:,} invitations in one file")])
            break
        if len(cells) > len(names):
            result.add(row_number, [Problem("", "field_count",
                                            f"This row has {len(cells)} values for {len(names)} columns")])
            continue
        values = dict(zip(names, [*cells, *[""] * (len(names) - len(cells))], strict=True))
        request = InvitationRequest(values["email"], values["name"], values["role"], values.get("from", ""),
                                    values.get("to", ""))
        checked, problems = check_invitation(request, grantable, today)
        problems = [Problem(p.column, p.rule, p.message, neutralise_formula(p.value)) for p in problems]
        if checked is not None and checked.email in first_row_of:
            problems.append(Problem("email", "duplicate_email",
                                    f"This email address is also on row {first_row_of[checked.email]}: "
                                    "invite each person once", checked.email))
        if problems:
            result.add(row_number, problems)
        elif checked is not None:
            first_row_of[checked.email] = row_number
            result.invitations.append((row_number, checked))
    if not result.invitations and not result.problems:
        result.add(2, [Problem("", "no_rows", "The file has a header but no invitations")])
    return result


def report_csv(problems: Iterable[RowProblem]) -> str:
    """The report as CSV, every cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REPORT_COLUMNS)
    writer.writeheader()
    for problem in problems:
        writer.writerow({k: neutralise_formula(v) for k, v in problem.as_row().items()})
    return buffer.getvalue()
