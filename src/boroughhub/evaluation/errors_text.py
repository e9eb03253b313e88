"""The SpecReport as text, the same for the command line and the web page (spec §4.1)."""

from __future__ import annotations

from boroughhub.evaluation.spec import SpecIssue


def issue_location(issue: SpecIssue) -> str:
    if issue.row is not None or issue.column is not None:
        where = f"{issue.file}"
        if issue.row is not None:
            where += f", row {issue.row}"
        if issue.column is not None:
            where += f", column {issue.column}"
        return where
    if issue.path:
        return f"{issue.file} › {issue.path}" if issue.file else issue.path
    return issue.file or ""


def report_lines(issues: list[SpecIssue]) -> list[str]:
    return [f"{i.severity.upper()} {i.code} at {issue_location(i)}: {i.message}" for i in issues]
