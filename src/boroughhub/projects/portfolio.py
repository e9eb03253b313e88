"""The portfolio: every project as one summary row, the views over it, "find projects like mine" and
the export. Plain Python over ``ProjectSummary`` rows, which the database side builds.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .enablers import RISK_ORDER, Rating
from .stages import Stage

#: The themes a project can carry (a controlled list, so the portfolio can be grouped by them).
THEMES = {
    "adult-social-care": "Adult social care",
    "childrens-services": "Children's services",
    "housing": "Housing and homelessness",
    "digital-inclusion": "Digital inclusion",
    "data-sharing": "Data sharing",
    "cyber-security": "Cyber security",
    "climate": "Climate and net zero",
    "revenues-benefits": "Revenues and benefits",
    "workforce": "Workforce and skills",
    "procurement": "Shared procurement",
}


@dataclass(frozen=True)
class ProjectSummary:
    id: int
    slug: str
    title: str
    outcome_statement: str
    problem: str
    stage: Stage
    lead_organisation: str
    partner_organisations: tuple[str, ...]
    themes: tuple[str, ...]
    has_technology: bool
    worst_enabler: Rating | None
    overdue: bool
    funding_pence: int = 0
    funders: tuple[str, ...] = field(default_factory=tuple)

    @property
    def organisations(self) -> tuple[str, ...]:
        return (self.lead_organisation, *self.partner_organisations)


def part_of(projects: Iterable[ProjectSummary], organisation_id: str) -> list[ProjectSummary]:
    """What is this borough part of? Projects it leads or is a partner in."""
    return [p for p in projects if organisation_id in p.organisations]


def by_stage(projects: Iterable[ProjectSummary]) -> dict[Stage, list[ProjectSummary]]:
    grouped: dict[Stage, list[ProjectSummary]] = {stage: [] for stage in Stage}
    for project in projects:
        grouped[project.stage].append(project)
    return grouped


def by_theme(projects: Iterable[ProjectSummary]) -> dict[str, list[ProjectSummary]]:
    grouped: dict[str, list[ProjectSummary]] = {theme: [] for theme in THEMES}
    for project in projects:
        for theme in project.themes:
            grouped.setdefault(theme, []).append(project)
    return grouped


def by_enabler_risk(projects: Iterable[ProjectSummary]) -> list[ProjectSummary]:
    """Technology projects, riskiest enabler first; those not yet assessed come first of all."""
    technology = [p for p in projects if p.has_technology]
    return sorted(technology, key=lambda p: (-1 if p.worst_enabler is None else RISK_ORDER[p.worst_enabler], p.title))


def overdue(projects: Iterable[ProjectSummary]) -> list[ProjectSummary]:
    return [p for p in projects if p.overdue]


_WORD = re.compile(r"[a-z0-9]+")
#: Words too common in project descriptions to say two projects are alike.
_COMMON = frozenset(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of", "on", "or", "our", "so", "that", "the", "their", "them", "this", "to", "we", "with", "will", "more", "less", "people", "residents", "council", "councils", "borough", "boroughs", "london"])


_SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "ers", "er", "ies", "es", "ed", "s")


def stem(word: str) -> str:
    """A crude stem, so "falls" finds "fall" and "prevention" finds "prevent": strip one common suffix
    while at least four letters remain. Enough for a description against a register of titles."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _words(text: str) -> dict[str, str]:
    """Each meaningful word's stem, with the word as written (the first one seen)."""
    words: dict[str, str] = {}
    for word in _WORD.findall(text.lower()):
        if word not in _COMMON and len(word) > 2:
            words.setdefault(stem(word), word)
    return words


@dataclass(frozen=True)
class Likeness:
    project: ProjectSummary
    score: float
    shared_words: tuple[str, ...]
    shared_themes: tuple[str, ...]


def projects_like(projects: Sequence[ProjectSummary], text: str, themes: Iterable[str] = (),
                  limit: int = 10) -> list[Likeness]:
    """Projects most like a description: shared word stems of title, outcome and problem (Jaccard), plus
    a bonus per shared theme, so two projects on the same theme and in the same words rank first. The
    shared words are given as the project writes them."""
    wanted_words = _words(text)
    wanted_themes = set(themes)
    found = []
    for project in projects:
        words = _words(" ".join((project.title, project.outcome_statement, project.problem)))
        shared = wanted_words.keys() & words.keys()
        union = wanted_words.keys() | words.keys()
        shared_themes = wanted_themes & set(project.themes)
        score = (len(shared) / len(union) if union else 0.0) + 0.25 * len(shared_themes)
        if score > 0:
            found.append(Likeness(project, round(score, 4), tuple(sorted(words[s] for s in shared)),
                                  tuple(sorted(shared_themes))))
    found.sort(key=lambda like: (-like.score, like.project.title))
    return found[:limit]


EXPORT_COLUMNS = ("id", "title", "outcome_statement", "stage", "lead_organisation", "partner_organisations",
                  "themes", "has_technology", "worst_enabler", "overdue", "funding_gbp")


def export_record(project: ProjectSummary) -> dict[str, object]:
    return {
        "id": project.slug, "title": project.title, "outcome_statement": project.outcome_statement,
        "stage": project.stage.value, "lead_organisation": project.lead_organisation,
        "partner_organisations": list(project.partner_organisations), "themes": list(project.themes),
        "has_technology": project.has_technology,
        "worst_enabler": project.worst_enabler.value if project.worst_enabler else None,
        "overdue": project.overdue, "funding_gbp": project.funding_pence / 100,
    }


def export_json(projects: Iterable[ProjectSummary]) -> str:
    # A list, one object per project: the same rows as the CSV.
    return json.dumps([export_record(p) for p in projects], indent=2, ensure_ascii=False) + "\n"


def _spreadsheet_safe(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: keep it text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def _cells(project: ProjectSummary) -> list[object]:
    return [_spreadsheet_safe("; ".join(map(str, value))) if isinstance(value, list)
            else ("" if value is None else _spreadsheet_safe(value) if isinstance(value, str) else value)
            for value in export_record(project).values()]


def export_xlsx(projects: Iterable[ProjectSummary]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "projects"
    sheet.append(list(EXPORT_COLUMNS))
    for project in projects:
        sheet.append(_cells(project))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_csv(projects: Iterable[ProjectSummary]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for project in projects:
        record = export_record(project)
        writer.writerow([
            _spreadsheet_safe("; ".join(map(str, value))) if isinstance(value, list)
            else ("" if value is None else _spreadsheet_safe(str(value)))
            for value in record.values()
        ])
    return out.getvalue()
