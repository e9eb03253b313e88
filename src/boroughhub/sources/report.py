"""The validation report of ``sources.md`` 6.2: what a supplier sees when a submission is checked.

One :class:`ValidationReport` is rendered three ways from the same rows (:meth:`ValidationReport.rows`):
a ``rich`` table in the CLI, a table on the submission page, and ``validation_report.csv``. Values of
direct identifiers never reach the report (the validator writes ``[redacted]``), long values are cut,
and every exported cell that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
REDACTED = "[redacted]"
#: Longest value echoed back; a 10 MB cell is reported by its first characters only.
MAX_VALUE_CHARS = 120
#: Findings listed per rule and file; the rest are counted. A thousand lines of one mistake show its
#: pattern; a header with 100,000 made-up columns must not become a 100,000-row stored report.
MAX_FINDINGS_PER_RULE = 1_000

#: Rule identifier -> severity, exactly as sources.md 6.3 names them.
SPEC_RULES: dict[str, str] = {
    "encoding_invalid": ERROR,
    "encoding_mismatch": ERROR,
    "file_missing": ERROR,
    "file_unexpected": ERROR,
    "manifest_invalid": ERROR,
    "row_count_mismatch": ERROR,
    "header_missing_column": ERROR,
    "header_unknown_column": ERROR,
    "header_duplicate_column": ERROR,
    "field_count": ERROR,
    "required_missing": ERROR,
    "bad_key": ERROR,
    "bad_text": ERROR,
    "bad_date": ERROR,
    "bad_boolean": ERROR,
    "bad_integer": ERROR,
    "bad_code": ERROR,
    "bad_ni_number": ERROR,
    "duplicate_key": ERROR,
    "orphan_reference": ERROR,
    "conditional_required": ERROR,
    "conditional_forbidden": ERROR,
    "cardinality": ERROR,
    "date_order": ERROR,
    "future_date": ERROR,
    "outside_extract_period": ERROR,
    "impossible_age": ERROR,
    "age_implausible": WARNING,
    "no_identifiers": WARNING,
    "overlapping_stays": WARNING,
    "history_shrunk": WARNING,
}
#: Every rule a report may hold: the spec's, and ``not_permitted``, which is not about the file's
#: content: the agreements refused the upload, and each row says which column to empty or which
#: permission to ask for (docs/decisions/0054-refusals-say-what-to-do.md).
RULES: dict[str, str] = {**SPEC_RULES, "not_permitted": ERROR}

REPORT_COLUMNS: tuple[str, ...] = (
    "submission_id",
    "file",
    "line",
    "record_key",
    "column",
    "rule",
    "severity",
    "value",
    "message",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(cell: str) -> str:
    """Prefix a cell a spreadsheet would execute (``=``, ``+``, ``-``, ``@``, tab, CR) with a quote."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def shorten(value: str) -> str:
    """The value as echoed in a report: at most :data:`MAX_VALUE_CHARS` characters."""
    if len(value) <= MAX_VALUE_CHARS:
        return value
    return f"{value[:MAX_VALUE_CHARS]}… ({len(value):,} characters)"


@dataclass(frozen=True)
class Issue:
    """One finding: a row of ``validation_report.csv``."""

    file: str
    rule: str
    message: str
    line: int | None = None
    record_key: str = ""
    column: str = ""
    value: str = ""

    @property
    def severity(self) -> str:
        return RULES[self.rule]


@dataclass
class FileSummary:
    """The summary line per file: rows read and counts of findings by rule."""

    file: str
    rows_read: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)


@dataclass
class ValidationReport:
    """Every finding of one submission, plus a summary per file.

    ``issues`` lists at most ``max_per_rule`` findings of each rule in each file, and at most
    ``max_issues`` in all (the first ones in file and line order); the summaries always count all of
    them, ``truncated`` says when the list was cut, and :meth:`not_listed` says by how much.
    """

    submission_id: str = ""
    issues: list[Issue] = field(default_factory=list)
    summaries: dict[str, FileSummary] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    truncated: bool = False
    max_issues: int = 100_000
    max_per_rule: int = MAX_FINDINGS_PER_RULE
    _listed: Counter[tuple[str, str]] = field(default_factory=Counter, repr=False)

    def add(self, issue: Issue, *, count: int = 1) -> None:
        if issue.rule not in RULES:
            raise ValueError(f"Unknown rule {issue.rule!r}")
        self.count(issue.file, issue.rule, count)
        self.list_counted(issue)

    def list_counted(self, issue: Issue) -> None:
        """List a finding already counted (the validator counts findings by rule in SQL first)."""
        key = (issue.file, issue.rule)
        if self._listed[key] < self.max_per_rule and len(self.issues) < self.max_issues:
            self.issues.append(issue)
            self._listed[key] += 1
        else:
            self.truncated = True

    def not_listed(self) -> list[tuple[str, str, int]]:
        """``(file, rule, findings counted but not listed)`` for each rule whose list was cut."""
        cut = []
        for summary in sorted(self.summaries.values(), key=lambda s: s.file):
            for rule, total in sorted((summary.errors + summary.warnings).items()):
                rest = total - self._listed[(summary.file, rule)]
                if rest > 0:
                    cut.append((summary.file, rule, rest))
        return cut

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.add(issue)

    def count_only(self, file: str, rule: str, count: int) -> None:
        """Count findings that were not kept as rows (beyond ``max_issues``)."""
        if count > 0:
            self.count(file, rule, count)
            self.truncated = True

    def count(self, file: str, rule: str, count: int) -> None:
        summary = self.summary(file)
        target = summary.errors if RULES[rule] == ERROR else summary.warnings
        target[rule] += count

    def summary(self, file: str) -> FileSummary:
        if file not in self.summaries:
            self.summaries[file] = FileSummary(file)
        return self.summaries[file]

    @property
    def error_count(self) -> int:
        return sum(sum(s.errors.values()) for s in self.summaries.values())

    @property
    def warning_count(self) -> int:
        return sum(sum(s.warnings.values()) for s in self.summaries.values())

    @property
    def passed(self) -> bool:
        """True when nothing blocks loading (warnings never do)."""
        return self.error_count == 0

    def rules_broken(self) -> set[str]:
        broken: set[str] = set()
        for summary in self.summaries.values():
            broken.update(summary.errors)
            broken.update(summary.warnings)
        return broken

    def sorted_issues(self) -> list[Issue]:
        return sorted(self.issues, key=lambda i: (i.file, i.line or 0, i.column, i.rule))

    def rows(self) -> list[dict[str, str]]:
        """The report as rows of :data:`REPORT_COLUMNS`: the one rendering CLI, page and CSV share.

        A rule whose list was cut first gets one row counting the findings not listed, so the count
        is seen wherever the first rows are (the page and the CLI show only those).
        """
        counted_rest = [
            {
                "submission_id": self.submission_id,
                "file": file,
                "line": "",
                "record_key": "",
                "column": "",
                "rule": rule,
                "severity": RULES[rule],
                "value": "",
                "message": f"{rest:,} more {rule} finding{'' if rest == 1 else 's'} in {file} not listed: "
                f"only the first {self.max_per_rule:,} of each rule are. Correct the ones listed (the "
                "rest are usually the same mistake) and check the file again.",
            }
            for file, rule, rest in self.not_listed()
        ]
        return counted_rest + [
            {
                "submission_id": self.submission_id,
                "file": issue.file,
                "line": "" if issue.line is None else str(issue.line),
                "record_key": issue.record_key,
                "column": issue.column,
                "rule": issue.rule,
                "severity": issue.severity,
                "value": shorten(issue.value),
                "message": issue.message,
            }
            for issue in self.sorted_issues()
        ]

    def summary_lines(self) -> list[str]:
        lines = []
        for summary in sorted(self.summaries.values(), key=lambda s: s.file):
            parts = [f"{summary.file}: {summary.rows_read:,} rows read"]
            parts += [f"{n:,} × {rule} (error)" for rule, n in sorted(summary.errors.items())]
            parts += [f"{n:,} × {rule} (warning)" for rule, n in sorted(summary.warnings.items())]
            lines.append("; ".join(parts))
        return lines

    def to_csv(self) -> str:
        """``validation_report.csv``, every cell formula-neutralised."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(REPORT_COLUMNS)
        for row in self.rows():
            writer.writerow([neutralise_formula(row[c]) for c in REPORT_COLUMNS])
        return buffer.getvalue()

    def to_rich_table(self, limit: int | None = 200) -> object:
        """A ``rich.table.Table`` of the findings (the CLI rendering)."""
        from rich.table import Table as RichTable

        title = f"Validation report {self.submission_id}".strip()
        table = RichTable(title=title, caption="\n".join(self.summary_lines()) or None)
        for column in REPORT_COLUMNS[1:]:
            table.add_column(column, overflow="fold")
        rows: Sequence[dict[str, str]] = self.rows()
        for row in rows[:limit] if limit is not None else rows:
            # rich markup is not interpreted in cells: values come from suppliers.
            table.add_row(*(_escape_markup(neutralise_formula(row[c])) for c in REPORT_COLUMNS[1:]))
        return table


def _escape_markup(text: str) -> str:
    from rich.markup import escape

    return escape(text)
