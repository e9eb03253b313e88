"""The files Get Online London loads: operators' SIM and voucher codes, the erasure tool's log, the
learning platform's completions and the refurbisher's donation list.

Each reader checks the whole file and either returns its rows or raises :class:`ImportRefused` with
every problem found (line, column, rule, what to do), so a file is loaded whole or not at all. Lines
are counted as a spreadsheet shows them: the header is line 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "the file"
        return f"{where}, column {self.column or '-'}: {self.message} (rule: {self.rule})"


class ImportRefused(Exception):
    """The file was refused whole; ``problems`` says where and why. Nothing was loaded."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        self.total = total if total is not None else len(problems)
        super().__init__("; ".join(str(p) for p in self.problems[:5]))


def _rows(text: str, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportRefused([Problem(1, name, "header_missing_column",
                                     f"The header has no '{name}' column. Columns needed: {', '.join(required)}.")
                             for name in missing])
    reader.fieldnames = header
    for line, row in enumerate(reader, start=2):
        yield line, {key: (value or "").strip() for key, value in row.items() if key is not None}


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _refuse_if(problems: list[Problem]) -> None:
    if problems:
        raise ImportRefused(problems)


@dataclass(frozen=True)
class CodeRow:
    line: int
    code: str
    expires_on: date | None


def read_codes(text: str) -> list[CodeRow]:
    """An operator's file of SIM serials or data-voucher codes: a ``code`` column, optionally
    ``expires_on``. A code twice in the file is refused (each is issued once)."""
    rows: list[CodeRow] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for line, row in _rows(text, ("code",)):
        code = row["code"]
        expires = row.get("expires_on", "")
        if not code:
            problems.append(Problem(line, "code", "required_missing", "The code is empty."))
            continue
        if code in first_line:
            problems.append(Problem(line, "code", "duplicate_code",
                                    f"Code {code} is also on line {first_line[code]}: each code is issued once."))
            continue
        first_line[code] = line
        expires_on = _date(expires) if expires else None
        if expires and expires_on is None:
            problems.append(Problem(line, "expires_on", "bad_date", f"'{expires}' is not a date like 2027-03-31."))
        rows.append(CodeRow(line, code, expires_on))
    _refuse_if(problems)
    if not rows:
        raise ImportRefused([Problem(0, "", "empty_file", "The file has no codes.")])
    return rows


@dataclass(frozen=True)
class WipeRow:
    line: int
    serial: str
    certificate: str
    erased_on: date


PASSED = {"passed", "pass", "erased", "success", "successful", "completed"}


def read_wipe_log(text: str) -> list[WipeRow]:
    """The erasure tool's log: ``serial``, ``certificate``, ``erased_on`` and ``result``. Only erasures
    the tool reports as passed count as a wipe; a failed one is refused so nobody takes it for one."""
    rows: list[WipeRow] = []
    problems: list[Problem] = []
    for line, row in _rows(text, ("serial", "certificate", "erased_on", "result")):
        erased_on = _date(row["erased_on"])
        if not row["serial"]:
            problems.append(Problem(line, "serial", "required_missing", "The serial number is empty."))
        if not row["certificate"]:
            problems.append(Problem(line, "certificate", "required_missing", "The certificate number is empty."))
        if erased_on is None:
            problems.append(Problem(line, "erased_on", "bad_date", f"'{row['erased_on']}' is not a date like 2026-11-30."))
        if row["result"].lower() not in PASSED:
            problems.append(Problem(line, "result", "erasure_not_passed",
                                    f"The erasure of {row['serial']} did not pass ('{row['result']}'): wipe it again "
                                    "and import the new log, or recycle the device."))
        if erased_on is not None and row["serial"] and row["certificate"]:
            rows.append(WipeRow(line, row["serial"], row["certificate"], erased_on))
    _refuse_if(problems)
    return rows


@dataclass(frozen=True)
class CompletionRow:
    line: int
    reference: str
    course: str
    completed_on: date


def read_completions(text: str) -> list[CompletionRow]:
    """The learning platform's completions: ``reference`` (the hub's reference for the learner),
    ``course`` and ``completed_on``."""
    rows: list[CompletionRow] = []
    problems: list[Problem] = []
    for line, row in _rows(text, ("reference", "course", "completed_on")):
        completed_on = _date(row["completed_on"])
        for column in ("reference", "course"):
            if not row[column]:
                problems.append(Problem(line, column, "required_missing", f"The {column} is empty."))
        if completed_on is None:
            problems.append(Problem(line, "completed_on", "bad_date",
                                    f"'{row['completed_on']}' is not a date like 2026-11-30."))
        elif row["reference"] and row["course"]:
            rows.append(CompletionRow(line, row["reference"], row["course"], completed_on))
    _refuse_if(problems)
    return rows


DEVICE_KINDS = ("laptop", "tablet", "phone")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class DonationRow:
    line: int
    donor_name: str
    donor_contact: str
    kind: str
    make: str
    model: str
    serial: str
    has_storage: bool
    donated_on: date


def read_donations(text: str) -> list[DonationRow]:
    """The refurbisher's list of donated devices. A serial twice in the file is refused."""
    rows: list[DonationRow] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    needed = ("donor_name", "donor_contact", "kind", "make", "model", "serial", "has_storage", "donated_on")
    for line, row in _rows(text, needed):
        serial, kind, storage = row["serial"], row["kind"].lower(), row["has_storage"].lower()
        donated_on = _date(row["donated_on"])
        if not serial:
            problems.append(Problem(line, "serial", "required_missing", "The serial number is empty."))
        elif serial in first_line:
            problems.append(Problem(line, "serial", "duplicate_serial",
                                    f"Serial {serial} is also on line {first_line[serial]}: record each device once."))
        else:
            first_line[serial] = line
        if kind not in DEVICE_KINDS:
            problems.append(Problem(line, "kind", "bad_code", f"'{row['kind']}' is not one of {', '.join(DEVICE_KINDS)}."))
        if storage not in YES | NO:
            problems.append(Problem(line, "has_storage", "bad_boolean", f"'{row['has_storage']}' is not yes or no."))
        if donated_on is None:
            problems.append(Problem(line, "donated_on", "bad_date", f"'{row['donated_on']}' is not a date like 2026-11-30."))
        if not problems or problems[-1].line != line:
            assert donated_on is not None
            rows.append(DonationRow(line, row["donor_name"], row["donor_contact"], kind, row["make"], row["model"],
                                    serial, storage in YES, donated_on))
    _refuse_if(problems)
    return rows
