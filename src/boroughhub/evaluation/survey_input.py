"""Reading and checking the member survey files (spec §3.12, §4.2 survey codes)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from boroughhub.evaluation.csvfiles import read_csv
from boroughhub.evaluation.spec import SpecIssue, SpecReport, Survey

VALID_CODES = {"1", "2", "3", "4", "5"}


@dataclass(frozen=True)
class SurveyInput:
    settings: Survey
    responses: list[dict[str, str]]
    population: list[dict[str, str]] | None  # rows with "invited" checked to be an integer >= 0
    population_total: int | None


def _err(report: SpecReport, code: str, file: str | None, row: int | None, column: str | None,
         message: str, value: object = None, path: str | None = None) -> None:
    report.issues.append(SpecIssue("error", code, file, path, row, column, value, message))


def _check_comparisons(settings: Survey, report: SpecReport, spec_file: str) -> None:
    item_ids = {i.id for i in settings.items}
    for i, comp in enumerate(settings.comparisons):
        if comp.item not in item_ids:
            _err(report, "unknown_reference", spec_file, None, None, f"survey item {comp.item!r} is not defined",
                 comp.item, f"survey.comparisons[{i}].item")
        if comp.by not in settings.group_columns:
            _err(report, "unknown_reference", spec_file, None, None,
                 f"{comp.by!r} is not one of the survey's group_columns", comp.by, f"survey.comparisons[{i}].by")
    if settings.comparisons and settings.bootstrap is None:
        _err(report, "schema_error", spec_file, None, None, "bootstrap with a seed is required for comparisons",
             None, "survey.bootstrap")


def read_survey(settings: Survey, base: Path, report: SpecReport, spec_file: str) -> SurveyInput | None:
    _check_comparisons(settings, report, spec_file)
    required = [settings.respondent_id_column, settings.organisation_column, *settings.group_columns,
                *(i.column for i in settings.items)]
    rows = read_csv(base, settings.responses_file, required, report, "survey.responses_file")
    population = None
    if settings.population_file:
        population = read_csv(base, settings.population_file, ["organisation", "invited"], report,
                              "survey.population_file")
    if rows is None:
        return None
    name = settings.responses_file
    missing = set(settings.scale.missing_codes)
    seen: set[str] = set()
    for r, row in enumerate(rows, start=1):
        rid = row[settings.respondent_id_column]
        if rid in seen:
            _err(report, "survey_duplicate_respondent", name, r, settings.respondent_id_column,
                 f"respondent {rid!r} appears more than once", rid)
        seen.add(rid)
        for item in settings.items:
            cell = row[item.column]
            if cell and cell not in VALID_CODES and cell not in missing:
                _err(report, "survey_value_invalid", name, r, item.column,
                     f"{cell!r} is not 1–5, blank or a missing code ({', '.join(sorted(missing)) or 'none'})", cell)
    total = settings.population_total
    if population is not None:
        total = _check_population(settings, rows, population, report)
    return SurveyInput(settings, rows, population, total)


def _check_population(settings: Survey, rows: list[dict[str, str]], population: list[dict[str, str]],
                      report: SpecReport) -> int:
    name = settings.responses_file
    pop_name = settings.population_file
    invited: dict[str, int] = {}
    for r, row in enumerate(population, start=1):
        value = row["invited"]
        if not value.isdigit():
            _err(report, "schema_error", pop_name, r, "invited", "invited must be a whole number ≥ 0", value)
            continue
        invited[row["organisation"]] = int(value)
    total = sum(invited.values())
    counts = Counter(row[settings.organisation_column] for row in rows)
    for r, row in enumerate(rows, start=1):
        org = row[settings.organisation_column]
        if org not in invited:
            _err(report, "survey_unknown_organisation", name, r, settings.organisation_column,
                 f"organisation {org!r} is not in {pop_name}", org)
    for r, row in enumerate(population, start=1):
        org = row["organisation"]
        if org in invited and counts[org] > invited[org]:
            _err(report, "survey_population_too_small", pop_name, r, "invited",
                 f"{counts[org]} people from {org} responded but only {invited[org]} were invited", invited[org])
    return total
