"""The evaluation pages: the list of runs, the upload form, a run's page (status, then the report) and its files.

An upload is checked here (a bad spec shows its validation report and keeps nothing), then kept as a run
and evaluated by a background task; the run page follows it and then shows the report inline. Every run
lives in the one store of runs (runs.py), the demo's and the command line's among them.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from boroughhub.evaluation.run_evaluation import UNEXPECTED_FAILURE, problems_of
from boroughhub.evaluation.runs import Channel, EvaluationRun, RunStatus, new_run_id
from boroughhub.evaluation.spec import SpecValidationError
from boroughhub.evaluation.validate import load_spec
from boroughhub.organisations import Role, require_role

from .forms import EvaluationUploadForm
from .store import run_store

logger = logging.getLogger(__name__)

#: What a run page offers to download, in this order, with what the link says.
DOWNLOADS = {
    "report.pdf": ("application/pdf", "Report (PDF)"),
    "report.html": ("text/html", "Report (HTML, one self-contained file)"),
    "results.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "All tables (XLSX workbook)"),
    "results.json": ("application/json", "All results (JSON)"),
    "activities.csv": ("text/csv", "Value for money by activity (CSV)"),
    "programme_summary.csv": ("text/csv", "Programme summary (CSV)"),
    "cashflows.csv": ("text/csv", "Cash flows (CSV)"),
    "who_pays_who_benefits.csv": ("text/csv", "Who pays and who benefits (CSV)"),
    "switching_values.csv": ("text/csv", "Switching values (CSV)"),
    "monte_carlo_summary.csv": ("text/csv", "Monte Carlo summary (CSV)"),
    "tornado.csv": ("text/csv", "Tornado (CSV)"),
    "parameter_log.csv": ("text/csv", "Parameter log (CSV)"),
    "survey_items.csv": ("text/csv", "Survey items (CSV)"),
    "survey_response_rates.csv": ("text/csv", "Survey response rates (CSV)"),
    "survey_group_differences.csv": ("text/csv", "Survey group differences (CSV)"),
    "interview_theme_activity.csv": ("text/csv", "Interview themes by activity (CSV)"),
    "interview_agreement.csv": ("text/csv", "Inter-coder agreement (CSV)"),
}

#: What an upload produces (tests drop the PDF to stay fast).
FORMATS: tuple[str, ...] = ("json", "csv", "xlsx", "html", "pdf")
REFRESH_SECONDS = 3
#: The report is our own HTML, with inline styles and SVG; it runs no script and fetches nothing.
REPORT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                 "form-action 'none'; frame-ancestors 'self'; sandbox")


def _who(request: HttpRequest) -> str:
    user = request.acting.user  # type: ignore[attr-defined]
    return f"{user.display_name} ({user.email})" if user.display_name else str(user.email)


@require_GET
@require_role(Role.HUB_ADMIN)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/list.html", {"runs": run_store().all()})


@require_http_methods(["GET", "POST"])
@require_role(Role.HUB_ADMIN)
def new_run(request: HttpRequest) -> HttpResponse:
    form = EvaluationUploadForm(request.POST, request.FILES) if request.method == "POST" else EvaluationUploadForm()
    context: dict[str, Any] = {"form": form, "issues": [], "form_errors": []}
    if request.method != "POST":
        return render(request, "evaluation/upload.html", context)
    if not form.is_valid():
        context["form_errors"] = [{"text": str(e), "href": f"#id_{name}"}
                                  for name, errors in form.errors.items() for e in errors]
        return render(request, "evaluation/upload.html", context, status=400)
    store = run_store()
    run_id = new_run_id()
    inputs = store.input_dir(run_id)
    inputs.mkdir(parents=True)
    for f in [form.cleaned_data["spec"], *form.cleaned_data["csv_files"]]:
        with open(inputs / Path(f.name).name, "wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
    spec_name = Path(form.cleaned_data["spec"].name).name
    try:
        plan = load_spec(inputs / spec_name)
    except SpecValidationError as exc:
        store.remove(run_id)
        context["issues"] = problems_of(exc)
        context["form_errors"] = [{"text": f"{len(context['issues'])} error(s) in the evaluation spec or its "
                                           "files: nothing was computed", "href": "#validation-report"}]
        return render(request, "evaluation/upload.html", context, status=400)
    store.create(run_id, title=plan.settings.name, spec_name=spec_name, created_by=_who(request),
                 channel=Channel.WEB, now=timezone.now())
    _enqueue(run_id)
    return redirect("evaluation:run", run_id=run_id)


def _enqueue(run_id: str) -> None:
    from .tasks import evaluate_uploaded_run

    try:
        evaluate_uploaded_run.enqueue(run_id, list(FORMATS))
    except Exception:
        logger.exception("could not queue evaluation run %s", run_id)
        run_store().update(run_id, timezone.now(), status=RunStatus.FAILED, progress="Failed",
                           failure=UNEXPECTED_FAILURE, finished_at=timezone.now())


def _run_or_404(run_id: uuid.UUID) -> EvaluationRun:
    run = run_store().get(str(run_id))
    if run is None:
        raise Http404("No such evaluation run")
    return run


@require_GET
@require_role(Role.HUB_ADMIN)
def run_page(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    run = _run_or_404(run_id)
    downloads = run_store().downloads(run.id, DOWNLOADS) if run.status == RunStatus.DONE else []
    return render(request, "evaluation/run.html", {
        "run": run,
        "downloads": [(name, DOWNLOADS[name][1]) for name in downloads],
        "has_report": "report.html" in downloads,
        "refresh_seconds": REFRESH_SECONDS if run.status.still_working else None,
        "stuck": run.looks_stuck(timezone.now()),
    })


@require_GET
@require_role(Role.HUB_ADMIN)
@xframe_options_sameorigin
def report_inline(request: HttpRequest, run_id: uuid.UUID) -> FileResponse:
    """The HTML report itself, for the frame on the run page (and "open in its own tab")."""
    run = _run_or_404(run_id)
    path = run_store().output_dir(run.id) / "report.html"
    if run.status != RunStatus.DONE or not path.is_file():
        raise Http404("This run has no report")
    response = FileResponse(path.open("rb"), content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = REPORT_POLICY
    return response


@require_GET
@require_role(Role.HUB_ADMIN)
def download(request: HttpRequest, run_id: uuid.UUID, name: str) -> FileResponse:
    if name not in DOWNLOADS:
        raise Http404("No such file")
    run = _run_or_404(run_id)
    path = run_store().output_dir(run.id) / name
    if run.status != RunStatus.DONE or not path.is_file():
        raise Http404("No such file")
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=DOWNLOADS[name][0])
