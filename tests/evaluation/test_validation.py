"""Bad input (spec §4.4, T7): every V-example gives its code and location; all ten together; no outputs."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boroughhub.evaluation.spec import SpecValidationError
from boroughhub.evaluation.validate import load_spec

from .conftest import example_spec, write_spec

Loc = tuple[str, str | None, str | None, int | None, str | None]  # code, file, path, row, column
SPEC = "evaluation.yaml"


def _v1(s: dict[str, Any]) -> None:
    s["costs"][0] = {"id": "x", "funder": "gla", "activity": "asc_innovation_fund", "status": "outturn",
                     "amount_by_year": {2023: -5000}, "prices": "real"}


def _v2(s: dict[str, Any]) -> None:
    s["parameters"]["asm_probability"] = {"value": 1.2, "unit": "fraction", "status": "assumed"}


def _v3(s: dict[str, Any]) -> None:
    s["costs"][0] = {"id": "y", "funder": "gla", "activity": "recruitment_suport", "status": "outturn",
                     "amount_by_year": {2023: 5000}, "prices": "real"}


def _v4(s: dict[str, Any]) -> None:
    s["parameters"]["rec_agency_fee"]["distribution"] = {"type": "triangular", "min": 0.3, "mode": 0.2, "max": 0.4}


def _v5(s: dict[str, Any]) -> None:
    s["costs"][3] = {"id": "z", "funder": "gla", "activity": "get_online_london", "status": "outturn",
                     "amount_by_year": {2022: 545000}, "prices": "nominal"}


def _v6(s: dict[str, Any]) -> None:
    s["benefits"][0]["additionality"] = {"deadweight": 0.3, "attribution": 1.5}


def _v7(s: dict[str, Any]) -> None:
    s["core_allocation"] = [{"activity": "recruitment_support", "share_by_year": {2023: 0.6}},
                            {"activity": "pan_london_dsa", "share_by_year": {2023: 0.5}}]


def _v8(s: dict[str, Any]) -> None:
    s["parameters"]["app_deadweight"] = {"value": 0.10, "unit": "fraction", "status": "assumed",
                                         "distribution": {"type": "uniform", "min": 0.2, "max": 0.3}}


def _edit_csv(directory: Path, name: str, row: int, column: str, value: str) -> None:
    path = directory / name
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row - 1][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _v9(d: Path) -> None:
    _edit_csv(d, "survey_responses.csv", 3, "q3_supported_by_staff", "6")


def _v10(d: Path) -> None:
    _edit_csv(d, "interview_excerpts.csv", 5, "code", "trusts")


YAML_CASES: dict[str, tuple[Callable[[dict[str, Any]], None], Loc]] = {
    "V1": (_v1, ("negative_not_allowed", SPEC, "costs[0].amount_by_year.2023", None, None)),
    "V2": (_v2, ("probability_out_of_range", SPEC, "parameters.asm_probability.value", None, None)),
    "V3": (_v3, ("unknown_reference", SPEC, "costs[0].activity", None, None)),
    "V4": (_v4, ("distribution_invalid", SPEC, "parameters.rec_agency_fee.distribution", None, None)),
    "V5": (_v5, ("price_year_missing", SPEC, "costs[3].price_year", None, None)),
    "V6": (_v6, ("probability_out_of_range", SPEC, "benefits[0].additionality.attribution", None, None)),
    "V7": (_v7, ("allocation_exceeds_pool", SPEC, "core_allocation", None, None)),
    "V8": (_v8, ("distribution_support", SPEC, "parameters.app_deadweight.value", None, None)),
}
CSV_CASES: dict[str, tuple[Callable[[Path], None], Loc]] = {
    "V9": (_v9, ("survey_value_invalid", "survey_responses.csv", None, 3, "q3_supported_by_staff")),
    "V10": (_v10, ("interview_unknown_code", "interview_excerpts.csv", None, 5, "code")),
}


def _errors(path: Path) -> list[Loc]:
    with pytest.raises(SpecValidationError) as exc:
        load_spec(path)
    return [(i.code, i.file, i.path, i.row, i.column) for i in exc.value.report.errors]


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_each_yaml_bad_input_example(tmp_path: Path, case: str) -> None:
    edit, expected = YAML_CASES[case]
    spec = example_spec()
    edit(spec)
    errors = _errors(write_spec(tmp_path, spec, csvs=True))
    assert expected in errors
    assert all(e[0] == expected[0] for e in errors), errors


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_each_csv_bad_input_example(tmp_path: Path, case: str) -> None:
    edit, expected = CSV_CASES[case]
    path = write_spec(tmp_path, example_spec(), csvs=True)
    edit(tmp_path)
    assert _errors(path) == [expected]


def _all_ten(directory: Path) -> Path:
    spec = example_spec()
    for edit, _ in YAML_CASES.values():
        if edit is not _v3:
            edit(spec)
    # V1 and V3 both name costs[0]: one line carries the negative amount and the typo.
    spec["costs"][0]["activity"] = "recruitment_suport"
    path = write_spec(directory, spec, csvs=True)
    for edit_csv, _ in CSV_CASES.values():
        edit_csv(directory)
    return path


def test_all_ten_together_are_all_reported(tmp_path: Path) -> None:
    errors = _errors(_all_ten(tmp_path))
    for case, (_, expected) in {**YAML_CASES, **CSV_CASES}.items():
        assert expected in errors, case
    assert len(errors) == 10, errors


def test_all_ten_together_write_no_output(tmp_path: Path) -> None:
    spec = _all_ten(tmp_path)
    out = tmp_path / "out"
    with pytest.raises(CommandError) as exc:
        call_command("evaluate", str(spec), "--out", str(out), stdout=io.StringIO())
    assert exc.value.returncode == 2
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".evaluation-")] == []


@pytest.mark.parametrize(("cell", "code"), [("=HYPERLINK(\"x\")", "csv_formula_cell"), ("+1", "csv_formula_cell"),
                                            ("-1", "csv_formula_cell"), ("@SUM(A1)", "csv_formula_cell")])
def test_formula_cells_are_refused(tmp_path: Path, cell: str, code: str) -> None:
    path = write_spec(tmp_path, example_spec(), csvs=True)
    _edit_csv(tmp_path, "interview_excerpts.csv", 2, "text", cell)
    assert (code, "interview_excerpts.csv", None, 2, "text") in _errors(path)


def test_a_wrong_header_is_refused(tmp_path: Path) -> None:
    path = write_spec(tmp_path, example_spec(), csvs=True)
    csv_path = tmp_path / "survey_responses.csv"
    text = csv_path.read_text(encoding="utf-8")
    csv_path.write_text(text.replace("q3_supported_by_staff", "q3_supported", 1), encoding="utf-8")
    assert ("survey_column_missing", "survey_responses.csv", None, None, "q3_supported_by_staff") in _errors(path)
    excerpts = tmp_path / "interview_excerpts.csv"
    excerpts.write_text(excerpts.read_text(encoding="utf-8").replace("sentiment", "tone", 1), encoding="utf-8")
    assert ("interview_column_missing", "interview_excerpts.csv", None, None, "sentiment") in _errors(path)


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda s: s["parameters"]["rec_deadweight"].update(value="20%"),
     ("schema_error", SPEC, "parameters.rec_deadweight.value", None, None)),
    (lambda s: s["programme"].update(colour="blue"), ("schema_error", SPEC, "programme.colour", None, None)),
    (lambda s: s["costs"][0].update(pool="core", activity="recruitment_support"),
     ("cost_target_ambiguous", SPEC, "costs[0]", None, None)),
    (lambda s: s["activities"].append(dict(s["activities"][0])), ("duplicate_id", SPEC, "activities[7].id", None, None)),
    (lambda s: s["activities"][0].update(id="programme"), ("invalid_id", SPEC, "activities[0].id", None, None)),
    (lambda s: s["benefits"][1]["beneficiaries"][0].update(share=0.8),
     ("shares_do_not_sum_to_one", SPEC, "benefits[1].beneficiaries", None, None)),
    (lambda s: s["costs"][3]["amount_by_year"].update({2025: "$gol_pilot_cost"}),
     ("year_out_of_range", SPEC, "costs[3].amount_by_year.2025", None, None)),
    (lambda s: s["parameters"]["dsa_parties"].update(distribution={"type": "uniform", "min": 30, "max": 40}),
     ("distribution_not_allowed", SPEC, "parameters.dsa_parties.distribution", None, None)),
    (lambda s: s["costs"][-1]["optimism_bias"].update(measure="duration"),
     ("optimism_bias_measure_invalid", SPEC, "costs[8].optimism_bias.measure", None, None)),
    (lambda s: s["parameter_tables"][0]["values"].pop(2020),
     ("deflator_missing_year", SPEC, "costs[0].unit_amount", None, None)),
    (lambda s: s["costs"][1].update(prices="real"), ("price_basis_conflict", SPEC, "costs[1].prices", None, None)),
    (lambda s: s["parameter_tables"][0].update(year_basis="financial"),
     ("year_basis_mismatch", SPEC, "parameter_tables[0].year_basis", None, None)),
])
def test_more_bad_input(tmp_path: Path, edit: Callable[[dict[str, Any]], None], expected: Loc) -> None:
    spec = example_spec()
    edit(spec)
    assert expected in _errors(write_spec(tmp_path, spec, csvs=True))
