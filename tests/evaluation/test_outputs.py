"""Outputs (spec §8, T8, T9): who-pays checks, every output file, reproducible JSON, the command."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boroughhub.evaluation import charts, exports, report
from boroughhub.evaluation.outputs import write_outputs
from boroughhub.evaluation.results import Results, evaluate

from .conftest import DATA, EXAMPLE

CSV_FILES = ["activities", "programme_summary", "cashflows", "who_pays_who_benefits", "switching_values",
             "monte_carlo_summary", "tornado", "parameter_log", "survey_items", "survey_response_rates",
             "survey_group_differences", "interview_theme_activity", "interview_agreement"]


@pytest.fixture(scope="module")
def example_results(example_plan: Any) -> Results:
    return evaluate(example_plan, draws=2_000)


def test_t8_who_pays_adds_up_to_pvc_and_pvb(example_results: Results) -> None:
    for scenario in example_results.scenarios.values():
        p = scenario.scopes["programme"]
        paid = sum(o.pv_paid for o in scenario.who.organisations)
        received = sum(o.pv_received for o in scenario.who.organisations)
        assert paid == pytest.approx(p.pvc, rel=1e-6)
        assert received == pytest.approx(p.pvb, rel=1e-6)
        assert sum(c.pv_paid for c in scenario.who.matrix) == pytest.approx(p.pvc, rel=1e-6)


def test_example_matches_the_indicative_results(example_results: Results) -> None:
    """The example README's central results (computed by following the spec)."""
    scopes = example_results.central.scopes
    expected = {"recruitment_support": (57_411.43, 297_343.45), "pan_london_dsa": (96_929.17, 1_340_670.73),
                "attack_surface_mapping": (260_318.42, 270_582.81), "get_online_london": (1_198_685.04, 1_220_892.19),
                "asc_innovation_fund": (198_607.78, 57_555.01), "apprentice_hub": (57_411.43, 82_595.40),
                "rough_sleeping_insights": (199_464.63, 90_194.27), "programme": (5_871_956.10, 3_359_833.87)}
    for scope, (pvc, pvb) in expected.items():
        assert scopes[scope].pvc == pytest.approx(pvc, abs=0.01), scope
        assert scopes[scope].pvb == pytest.approx(pvb, abs=0.01), scope
    assert scopes["get_online_london"].pvb_weighted == pytest.approx(2_527_125.33, abs=0.01)
    assert scopes["programme"].pvb_weighted == pytest.approx(4_666_067.00, abs=0.01)
    ramp = example_results.scenarios["membership_ramp"].scopes["programme"]
    cautious = example_results.scenarios["cautious"].scopes["programme"]
    assert ramp.pvc == pytest.approx(5_147_925.59, abs=0.01)
    assert cautious.pvb == pytest.approx(2_160_434.81, abs=0.01)


def test_t9_example_writes_every_data_file_and_identical_json(example_results: Results, tmp_path: Path) -> None:
    write_outputs(example_results, tmp_path / "a", ["json", "csv"])
    write_outputs(example_results, tmp_path / "b", ["json", "csv"])
    for name in CSV_FILES:
        assert (tmp_path / "a" / f"{name}.csv").read_text(encoding="utf-8").startswith(
            next(iter(exports.tables(example_results)[name][0]))), name
        assert (tmp_path / "a" / f"{name}.csv").read_bytes() == (tmp_path / "b" / f"{name}.csv").read_bytes()
    a = json.loads((tmp_path / "a" / "results.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b" / "results.json").read_text(encoding="utf-8"))
    assert a == b
    for key in ("meta", "programme", "activities", "scenarios", "cashflows", "who_pays_who_benefits",
                "switching_values", "monte_carlo", "tornado", "parameter_log", "survey", "interviews", "warnings"):
        assert key in a
    assert a["meta"]["spec_sha256"] and set(a["meta"]["files_sha256"]) == {
        "survey_responses.csv", "survey_population.csv", "interview_excerpts.csv"}


def test_t9_report_html_and_pdf(e5_plan: Any, tmp_path: Path) -> None:
    """Every output file of spec §8.1, for the small E5 programme (the example's PDF is the benchmark's)."""
    written = write_outputs(evaluate(e5_plan, draws=1_000), tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert {"results.json", "activities.csv", "report.html", "report.pdf", "charts/cost-by-funder.svg",
            "charts/cost-by-funder.vl.json", "charts/tornado-programme.svg", "charts/bcr-pilot.svg"} <= names
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_example_report_html(example_results: Results) -> None:
    charts.VALIDATE = True  # the Vega-Lite specifications are valid against the schema
    try:
        drawn = [c for c in (charts.cost_by_funder_chart(example_results), charts.survey_chart(example_results),
                             charts.tornado_chart(example_results, "pan_london_dsa", "DSAs"),
                             charts.bcr_distribution_chart(example_results, "programme", "Programme")) if c]
    finally:
        charts.VALIDATE = False
    assert len(drawn) == 4 and all(c.svg.startswith("<svg") and c.rows for c in drawn)
    html = report.render_html(example_results, drawn)
    assert "http://" not in html.split("<body")[0] and "<script" not in html and "<link" not in html
    assert html.count("<h1") == 1 and "GOV.UK" not in html and "crown" not in html.lower().replace("no crown", "")
    assert "(A)" in html and "Which inputs are published" in html
    assert 'aria-label="Tornado chart for DSAs' in html
    for heading in ("1. Summary", "2. Programme and funding", "3. Method", "4. Member survey", "5. Interviews",
                    "6. Value for money by activity", "7. Uncertainty", "8. Who pays and who benefits",
                    "9. Limitations", "Annex A: parameter log", "Annex B: warnings", "Annex C: reproducibility"):
        assert heading in html, heading


def test_pdf_fetcher_is_local_only() -> None:
    fetcher = report.LocalOnlyURLFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/x.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")


def test_money_rounding_is_half_away_from_zero() -> None:
    assert exports.round_half_away(0.125, 2) == 0.13
    assert exports.round_half_away(-0.125, 2) == -0.13
    assert exports.round_half_away(2.675, 2) == 2.68  # the shortest decimal form, not the binary value
    assert exports._csv_cell("note", "=cmd") == "'=cmd"


def test_command_writes_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stdout = io.StringIO()
    call_command("evaluate", str(DATA / "e5.yaml"), "--out", str(out), "--formats", "json,csv", "--draws", "500",
                 "--seed", "7", stdout=stdout)
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["meta"]["monte_carlo"] == {"scenario": "central", "draws": 500, "seed": 7}
    assert (out / "activities.csv").exists()


def test_command_validate_only_and_usage_errors(tmp_path: Path) -> None:
    call_command("evaluate", str(EXAMPLE / "evaluation.yaml"), "--validate-only", stdout=io.StringIO())
    with pytest.raises(CommandError) as exc:
        call_command("evaluate", str(DATA / "e5.yaml"), "--out", str(tmp_path), "--scenario", "nope")
    assert exc.value.returncode == 2
    with pytest.raises(CommandError) as exc:
        call_command("evaluate", str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "o"))
    assert exc.value.returncode == 2 and not (tmp_path / "o").exists()


def test_two_runs_give_identical_json_apart_from_run_at(e5_plan: Any) -> None:
    first = json.loads(exports.to_json(evaluate(e5_plan, draws=500)))
    second = json.loads(exports.to_json(evaluate(e5_plan, draws=500)))
    first["meta"].pop("run_at")
    second["meta"].pop("run_at")
    assert first == second
