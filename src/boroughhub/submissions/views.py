"""Upload a submission, follow its progress, read its report.

Uploaders see their own organisation's submissions only (any other id is a 404); the hub
operator's data managers see every submission's report (sources.md §6.2). The files are stored,
then a background task checks, authorises and loads them; the status page refreshes itself while
that runs (a meta refresh: the CSP forbids inline scripts).
"""

from __future__ import annotations

import logging
import shutil
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from boroughhub.agreements import offered_url
from boroughhub.audit import record_request_event
from boroughhub.organisations import Organisation, Role, error_list, require_role

from .forms import UploadForm
from .models import Submission, new_submission_id
from .report_record import report_csv
from .statuses import Status, after_loading_steps
from .store import UNEXPECTED_FAILURE, UPLOAD_PURPOSE, UPLOAD_REJECTED, denial_message, start_submission
from .upload_files import IncomingFile, UploadProblem, store_upload
from .who_sees import sees_every_submission

logger = logging.getLogger(__name__)

#: Findings shown on the page; the CSV download holds them all.
ROWS_ON_PAGE = 500
REFRESH_SECONDS = 3


def visible_submission_or_404(request: HttpRequest, submission_id: str) -> Submission:
    """The submission if this session may see it; otherwise a 404, audited once as a refused probe.

    An id of another organisation's submission and an id that does not exist get the same 404 (the
    answer must not say which), and both are audited: trying ids is how another organisation's
    reports would be looked for. The entry names the organisation whose submission it was, if any.
    """
    submission = visible_submissions(request).filter(pk=submission_id).first()
    if submission is not None:
        return submission
    owner = Submission.objects.filter(pk=submission_id).values_list("organisation_id", flat=True).first()
    record_request_event(
        request, "decision", "deny", action="read_submission", reasons=[{"code": "NOT_VISIBLE"}],
        payload={"submission_id": submission_id[:64], "held_by": owner, "path": request.path[:200]},
    )
    raise Http404("No such submission")


def visible_submissions(request: HttpRequest) -> QuerySet[Submission]:
    submissions = Submission.objects.select_related("organisation", "uploaded_by")
    if sees_every_submission(request):
        return submissions
    return submissions.filter(organisation_id=request.acting.org_id)  # type: ignore[attr-defined]


@require_GET
@require_role(Role.UPLOADER, Role.DATA_MANAGER)
def submission_list(request: HttpRequest) -> HttpResponse:
    submissions = visible_submissions(request).defer("report_rows")
    every_organisation = sees_every_submission(request)
    supplier = request.GET.get("organisation", "") if every_organisation else ""
    suppliers = _suppliers_with_submissions() if every_organisation else []
    if supplier and any(code == supplier for _, members in suppliers for code, _ in members):
        submissions = submissions.filter(organisation_id=supplier)
    else:
        supplier = ""  # an organisation with no submissions, or none: every submission
    context = {
        "submissions": submissions[:200],
        "every_organisation": every_organisation,
        "supplier": supplier,
        "supplier_groups": [{"label": heading, "items": [
            {"value": code, "text": name, "selected": code == supplier} for code, name in members]}
            for heading, members in suppliers],
        # The button follows the upload page's own guard.
        "can_upload": offered_url(request, "submissions:upload") is not None,
        "calendar_url": offered_url(request, "submissions:calendar"),
        "quality_url": offered_url(request, "submissions:quality"),
        **_what_is_due(request),
    }
    return render(request, "submissions/list.html", context)


def _suppliers_with_submissions() -> list[tuple[str, list[tuple[str, str]]]]:
    """The organisations that have uploaded, under their kind's heading (45 suppliers are not one list)."""
    from .cycle.store import grouped

    organisations = Organisation.objects.filter(
        pk__in=Submission.objects.values("organisation_id").distinct()).order_by("name")
    groups = grouped(list(organisations), lambda organisation: organisation.type)
    return [(heading, [(o.pk, o.name) for o in members]) for heading, members in groups]


def _what_is_due(request: HttpRequest) -> dict[str, Any]:
    """An uploader's calendar: what their organisation owes now, and its latest calendar reminders."""
    acting = request.acting  # type: ignore[attr-defined]
    if acting.role != Role.UPLOADER:
        return {"due": [], "reminders": []}
    from boroughhub.agreements import Notification

    from .cycle import store

    today = store.london_today()
    due = store.outstanding_for(acting.org_id, today)
    reminders = Notification.objects.filter(
        organisation_id=acting.org_id, role=Role.UPLOADER.value, kind__startswith="calendar_")[:5]
    return {"due": due, "reminders": list(reminders)}


@require_http_methods(["GET", "POST"])
@require_role(Role.UPLOADER)
def upload_submission(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    organisation = acting.organisation
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    errors: list[dict[str, str]] = []
    if request.method == "POST" and organisation.supplier_code:
        if form.is_valid():
            submission_id = new_submission_id()
            folder = settings.DATA_DIR / "uploads" / submission_id
            incoming = [IncomingFile(f.name, f.chunks()) for f in form.cleaned_data["files"]]
            try:
                store_upload(incoming, folder)
            except UploadProblem as problem:
                errors = [{"text": str(problem), "href": "#files"}]
                # Refused before a submission exists (unsafe names, too large): audited like the rest.
                record_request_event(
                    request, "decision", "deny", action="upload", purpose=UPLOAD_PURPOSE,
                    reasons=[{"code": UPLOAD_REJECTED}], payload={"rules": [], "problem": str(problem)[:300]},
                )
            else:
                submission = start_submission(
                    user=acting.user, organisation=organisation, role=acting.role.value, channel="web",
                    submission_id=submission_id,
                )
                _enqueue(submission)
                return redirect("submissions:detail", submission.id)
        else:
            errors = error_list(form)
    context = {"form_errors": errors, "organisation": organisation}
    return render(request, "submissions/upload.html", context, status=400 if errors else 200)


def _enqueue(submission: Submission) -> None:
    from .tasks import process_uploaded_submission

    try:
        process_uploaded_submission.enqueue(submission.id)
    except Exception:
        logger.exception("could not queue submission %s", submission.id)
        shutil.rmtree(submission.upload_folder, ignore_errors=True)
        Submission.objects.filter(pk=submission.id).update(
            status=Status.FAILED.value, failure_message=UNEXPECTED_FAILURE, progress_message="Failed"
        )


@require_GET
@require_role(Role.UPLOADER, Role.DATA_MANAGER)
def submission_detail(request: HttpRequest, submission_id: str) -> HttpResponse:
    submission = visible_submission_or_404(request, submission_id)
    rows = submission.report_rows or []
    summary = submission.report_summary or {}
    context = {
        "submission": submission,
        "state": submission.state,
        "summary": summary,
        "rows": rows[:ROWS_ON_PAGE],
        "rows_total": summary.get("rows_total", len(rows)),
        "rows_shown": min(len(rows), ROWS_ON_PAGE),
        "refresh_seconds": REFRESH_SECONDS if submission.still_working else None,
        "after_loading": after_loading_steps(submission.after_loading_state) if submission.after_loading else [],
        "stuck": submission.looks_stuck(),
        "denial": denial_message(submission.decision_reason) if submission.decision_reason else "",
    }
    return render(request, "submissions/detail.html", context)


@require_GET
@require_role(Role.UPLOADER, Role.DATA_MANAGER)
def report_download(request: HttpRequest, submission_id: str) -> HttpResponse:
    submission = visible_submission_or_404(request, submission_id)
    if submission.running:
        return redirect("submissions:detail", submission.id)
    path = submission.report_path
    text = path.read_text(encoding="utf-8") if path.is_file() else report_csv(submission.report_rows or [])
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="validation_report_{submission.id}.csv"'
    return response
