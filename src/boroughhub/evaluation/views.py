"""The evaluation page: a hub admin uploads a spec and its CSVs, then sees errors or the report."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from boroughhub.evaluation.errors_text import issue_location
from boroughhub.evaluation.outputs import write_outputs
from boroughhub.evaluation.results import evaluate
from boroughhub.evaluation.spec import SpecValidationError
from boroughhub.evaluation.validate import load_spec
from boroughhub.organisations import Role, require_role

from .forms import EvaluationUploadForm

DOWNLOADS = {
    "report.pdf": "application/pdf", "report.html": "text/html", "results.json": "application/json",
    "activities.csv": "text/csv", "programme_summary.csv": "text/csv", "cashflows.csv": "text/csv",
    "who_pays_who_benefits.csv": "text/csv", "switching_values.csv": "text/csv",
    "monte_carlo_summary.csv": "text/csv", "tornado.csv": "text/csv", "parameter_log.csv": "text/csv",
    "survey_items.csv": "text/csv", "survey_response_rates.csv": "text/csv",
    "survey_group_differences.csv": "text/csv", "interview_theme_activity.csv": "text/csv",
    "interview_agreement.csv": "text/csv",
}


#: What an upload produces (tests drop the PDF to stay fast).
FORMATS: tuple[str, ...] = ("json", "csv", "html", "pdf")


def runs_dir() -> Path:
    return Path(settings.DATA_DIR) / "evaluations"


@require_role(Role.HUB_ADMIN)
def index(request: HttpRequest) -> HttpResponse:
    form = EvaluationUploadForm(request.POST, request.FILES) if request.method == "POST" else EvaluationUploadForm()
    context: dict[str, Any] = {"form": form, "issues": [], "form_errors": []}
    if request.method == "POST":
        if not form.is_valid():
            context["form_errors"] = [{"text": str(e), "href": f"#id_{name}"}
                                      for name, errors in form.errors.items() for e in errors]
            return render(request, "evaluation/upload.html", context, status=400)
        run_id = uuid.uuid4()
        inputs = runs_dir() / str(run_id) / "input"
        inputs.mkdir(parents=True)
        for f in [form.cleaned_data["spec"], *form.cleaned_data["csv_files"]]:
            with open(inputs / Path(f.name).name, "wb") as out:
                for chunk in f.chunks():
                    out.write(chunk)
        spec_path = inputs / Path(form.cleaned_data["spec"].name).name
        try:
            plan = load_spec(spec_path)
        except SpecValidationError as exc:
            shutil.rmtree(inputs.parent, ignore_errors=True)
            context["issues"] = [{"code": i.code, "where": issue_location(i), "message": i.message}
                                 for i in exc.report.errors]
            context["form_errors"] = [{"text": f"{len(context['issues'])} error(s) in the evaluation spec: "
                                               "nothing was computed", "href": "#validation-report"}]
            return render(request, "evaluation/upload.html", context, status=400)
        write_outputs(evaluate(plan), inputs.parent / "output", FORMATS)
        return redirect("evaluation:run", run_id=run_id)
    return render(request, "evaluation/upload.html", context)


def _output(run_id: uuid.UUID) -> Path:
    out = runs_dir() / str(run_id) / "output"
    if not (out / "results.json").is_file():
        raise Http404("No such evaluation run")
    return out


@require_role(Role.HUB_ADMIN)
def run(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    out = _output(run_id)
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    headline = data["programme"]["headline_scenario"]
    activities = [a for a in data["activities"] if a["scenario"] == headline]
    downloads = [name for name in DOWNLOADS if (out / name).is_file()]
    return render(request, "evaluation/run.html", {
        "run_id": run_id, "data": data, "scopes": data["programme"]["scopes"], "activities": activities,
        "downloads": downloads, "warnings": data["warnings"],
    })


@require_role(Role.HUB_ADMIN)
def download(request: HttpRequest, run_id: uuid.UUID, name: str) -> FileResponse:
    if name not in DOWNLOADS:
        raise Http404("No such file")
    path = _output(run_id) / name
    if not path.is_file():
        raise Http404("No such file")
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=DOWNLOADS[name])
