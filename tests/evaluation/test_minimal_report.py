"""A minimal Green Book appraisal (costs and benefits; no survey, interviews or distributions) writes its
whole report, HTML and PDF, with the missing parts marked "Not assessed" rather than failing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from boroughhub.evaluation.outputs import write_outputs
from boroughhub.evaluation.results import evaluate, simulates
from boroughhub.evaluation.validate import load_spec

from .conftest import DATA, example_spec, minimal_spec, write_spec


def green_book_spec() -> dict[str, Any]:
    """£100k set-up in year 0 and £20k running in year 1; £90k gross a year in years 1–2, deadweight 20%."""
    spec = minimal_spec(name="Minimal Green Book appraisal")
    spec["costs"] = [{"id": "setup", "activity": "act", "funder": "funder", "status": "outturn", "prices": "real",
                      "amount_by_year": {2023: 100_000, 2024: 20_000}}]
    spec["benefits"] = [{"id": "b1", "activity": "act", "type": "cashable_fiscal", "beneficiary": "boroughs",
                         "prices": "real", "gross_by_year": {2024: 90_000, 2025: 90_000},
                         "additionality": {"deadweight": 0.2, "displacement": 0, "leakage": 0, "attribution": 1,
                                           "drop_off": 0}}]
    return spec


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("minimal")
    plan = load_spec(write_spec(folder, green_book_spec()))
    assert plan.survey is None and plan.interviews is None and not plan.scenario_distributions("central")
    write_outputs(evaluate(plan), folder / "out")
    return folder / "out"


def test_minimal_spec_writes_html_and_pdf_with_the_right_figures(written: Path) -> None:
    assert (written / "report.pdf").read_bytes().startswith(b"%PDF-")
    programme = json.loads((written / "results.json").read_text(encoding="utf-8"))["programme"]["scopes"]["programme"]
    df1, df2 = 1 / 1.035, 1 / 1.035**2  # default schedule, year 0 undiscounted (spec E0)
    assert programme["pvc"] == pytest.approx(100_000 + 20_000 * df1, abs=0.01)
    assert programme["pvb"] == pytest.approx(72_000 * (df1 + df2), abs=0.01)
    html = (written / "report.html").read_text(encoding="utf-8")
    assert "£17,454" in html  # NPSV, as the JSON has it
    for heading in ("1. Summary", "4. Member survey", "5. Interviews", "7. Uncertainty", "Annex C: reproducibility"):
        assert heading in html, heading


def test_each_missing_part_says_not_assessed(written: Path) -> None:
    html = (written / "report.html").read_text(encoding="utf-8")
    survey = html.split('id="survey"')[1].split("</section>")[0]
    interviews = html.split('id="interviews"')[1].split("</section>")[0]
    uncertainty = html.split('id="uncertainty"')[1].split("</section>")[0]
    assert "Not assessed" in survey and "no <code>survey</code> section" in survey
    assert "Not assessed" in interviews and "no <code>interviews</code> section" in interviews
    assert "The simulation did not run because no input has an uncertainty distribution" in uncertainty
    assert "Tornado (one-way sensitivity)" in uncertainty
    assert "Probability that NPSV &gt; 0: <strong class=\"tag tag--not-assessed\">Not assessed</strong>" in html


def test_monte_carlo_turned_off_for_the_run_says_so(tmp_path: Path) -> None:
    from boroughhub.evaluation import report

    plan = load_spec(DATA / "e5.yaml")
    html = report.render_html(evaluate(plan, monte_carlo=False), [])
    assert "The simulation did not run because it was turned off for this run" in html


def test_no_monte_carlo_bar_when_the_simulation_does_not_run(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    e5 = str(DATA / "e5.yaml")
    assert simulates(load_spec(DATA / "e5.yaml")) and not simulates(load_spec(DATA / "e5.yaml"), monte_carlo=False)
    call_command("evaluate", e5, "--out", str(tmp_path / "with"), "--formats", "json", "--draws", "200")
    assert "Monte Carlo draws" in capsys.readouterr().out
    call_command("evaluate", e5, "--out", str(tmp_path / "without"), "--formats", "json", "--no-monte-carlo")
    out = capsys.readouterr().out
    assert "Monte Carlo draws" not in out and "Programme: NPSV £212,812.53" in out


@pytest.mark.parametrize("left_out", ["survey", "interviews", "survey and interviews"])
def test_the_example_without_its_survey_or_interviews_renders(left_out: str, tmp_path: Path) -> None:
    from boroughhub.evaluation import report

    spec = example_spec()
    for section in left_out.split(" and "):
        spec.pop(section)
    plan = load_spec(write_spec(tmp_path, spec, csvs=True))
    html = report.render_html(evaluate(plan, draws=200), [])
    for section in ("survey", "interviews"):
        part = html.split(f'id="{section}"')[1].split("</section>")[0]
        assert ("Not assessed" in part) == (section in left_out), section
    assert "Probability that NPSV &gt; 0: <strong>" in html  # the example's distributions still run


def test_a_spec_with_no_costs_renders_with_undefined_ratios(tmp_path: Path) -> None:
    from boroughhub.evaluation import report

    spec = green_book_spec()
    spec["costs"] = []
    html = report.render_html(evaluate(load_spec(write_spec(tmp_path, spec))), [])
    assert "7. Uncertainty" in html and "PVC £0" in html
