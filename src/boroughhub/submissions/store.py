"""The database side of a submission: create it, check and load its files, record what happened.

The pipeline (``tasks.py``) runs :func:`check_and_load` as its validate and load steps, for the
``submit`` command (in the foreground) and for the background task alike. The agreements check is
injected into the plain-Python ``submit_folder`` as ``authorise``: it asks ``decide_and_audit`` for an ``upload`` of the source dataset with every
column that holds a value (agreements spec §3.2), so every upload leaves a ``decision`` entry, and
an accepted one an ``access`` entry with the rows loaded. An upload rejected before the agreements
are asked (an unsafe or damaged zip, another supplier's code, a source the supplier does not send,
any error in the files) leaves one ``decision`` entry too: a ``deny`` with reason ``UPLOAD_REJECTED``
and the rules broken, so probing with crafted uploads shows in the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from boroughhub.agreements import (
    REASON_MESSAGES,
    ROUGH_SLEEPING_INSIGHT,
    AgreementVersion,
    decide_and_audit,
    record_access,
)
from boroughhub.audit import record_event
from boroughhub.warehouse import (
    DENIED,
    REJECTED,
    SubjectRules,
    SubmissionResult,
    Warehouse,
    WarehouseHeld,
    Work,
    submit_in_turn,
)

from .cycle.quality import count_quality
from .models import Submission
from .progress import ProgressTracker
from .refusal import refusal_issues
from .report_record import full_report_csv, report_record
from .statuses import SOURCE_LABELS, Status
from .upload_files import describe_files

logger = logging.getLogger(__name__)

UPLOAD_PURPOSE = ROUGH_SLEEPING_INSIGHT
#: Only when the wait for the warehouse runs out (``WAREHOUSE_WAIT_SECONDS``): something is stuck.
WAREHOUSE_HELD = (
    "Nothing was loaded: the hub waited {waited} for the warehouse, which was still in use ({holder}). "
    "Upload the submission again; if it happens again, contact the hub's data managers and quote the "
    "submission number."
)
UNEXPECTED_FAILURE = (
    "Something went wrong on our side and nothing was loaded. Upload the submission again; if it "
    "fails again, contact the hub's data managers and quote the submission number."
)

ProgressHook = Callable[[int, str], None]


def start_submission(
    *, user: Any, organisation: Any, role: str, channel: str, submission_id: str | None = None
) -> Submission:
    extra = {"id": submission_id} if submission_id else {}
    return Submission.objects.create(
        **extra, organisation=organisation, uploaded_by=user, role=str(role), channel=channel,
        status=Status.QUEUED.value, progress_message="Waiting to start",
    )


def _progress_writer(submission_id: str, hook: ProgressHook | None) -> Callable[[Status, int, str], None]:
    def write(status: Status, percent: int, message: str) -> None:
        Submission.objects.filter(pk=submission_id).update(
            status=status.value, progress_percent=percent, progress_message=message[:200],
            progress_at=timezone.now(),
        )
        if hook is not None:
            hook(percent, message)

    return write


def subject_rules_of(decision: Any) -> SubjectRules | None:
    """The ``data_subjects`` rules of the agreement version a permit cites (applied at upload, §3.6)."""
    agreement_id, version = getattr(decision, "agreement_id", None), getattr(decision, "agreement_version", None)
    if not agreement_id or version is None:
        return None
    content = (AgreementVersion.objects.filter(agreement_id=agreement_id, version=version)
               .values_list("content", flat=True).first())
    if not isinstance(content, dict):
        return None
    return SubjectRules.from_content(content.get("data_subjects"), f"{agreement_id} version {version}")


def check_and_load(submission: Submission, path: Path, progress_hook: ProgressHook | None = None,
                   today: date | None = None) -> None:
    """The pipeline's validate and load steps: check the files, ask the agreements, load; never raises.

    The outcome (and the report) is saved on ``submission``; an accepted load also gets its ``access``
    audit entry. What follows a load is the pipeline's business (``tasks.py``).
    """
    organisation = submission.organisation
    tracker = ProgressTracker(_progress_writer(submission.id, progress_hook))
    decisions: list[Any] = []

    def authorise(dataset: str, supplier_code: str, fields: set[str]) -> object:
        if supplier_code != organisation.supplier_code:
            return False  # the pipeline has already rejected it; never ask for another supplier
        tracker.enter(Status.VALIDATING, "Checking the data sharing agreements")
        decision = decide_and_audit(
            user=submission.uploaded_by, org_id=organisation.pk, role=submission.role, action="upload",
            dataset=dataset, fields=fields, purpose=UPLOAD_PURPOSE,
        )
        decisions.append(decision)
        if decision.permitted:
            tracker.enter(Status.LOADING, "Loading into the warehouse")
        return decision

    files = [f.as_dict() for f in describe_files(path)] if path.exists() else []
    tracker.enter(Status.VALIDATING, "Checking the files")
    waited: list[str] = []

    def wait(message: str) -> None:  # the second writer waits its turn: its page says for what
        waited.append(message)
        tracker.enter(Status.QUEUED, message)

    # Who is ahead is shown by organisation on the page, by email on the uploader's own command line.
    work = Work("an upload", submission.uploaded_by.email, organisation.name)

    def take_turn() -> Warehouse:  # after the files are checked: checking never holds the warehouse
        return Warehouse(settings.WAREHOUSE_PATH, work=work, wait_seconds=settings.WAREHOUSE_WAIT_SECONDS,
                         on_wait=wait, with_person=submission.channel == "cli")

    record = None

    def read_outcome(warehouse: Warehouse, result: SubmissionResult) -> None:
        nonlocal record
        if result.loaded and result.manifest is not None:
            record = warehouse.current_submission(result.manifest.source, result.manifest.supplier_code)
            submission.quality = count_quality(warehouse, result.manifest.source, submission.id)

    try:
        result = submit_in_turn(
            path, take_turn, authorise, settings.BOROUGHHUB_HASH_KEY, tracker, submission_id=submission.id,
            expected_supplier=organisation.supplier_code, today=today, within_turn=read_outcome,
            subject_rules=subject_rules_of,
        )
    except WarehouseHeld as held:
        logger.error("submission %s gave up waiting for the warehouse: %s", submission.id, held)
        holder = held.holder.describe(with_person=False) if held.holder else "another process has it open"
        _mark_failed(submission, WAREHOUSE_HELD.format(waited=_duration(settings.WAREHOUSE_WAIT_SECONDS), holder=holder))
        return
    except Exception:
        logger.exception("submission %s failed", submission.id)
        _mark_failed(submission, UNEXPECTED_FAILURE)
        return
    if result.status == DENIED and decisions:
        _explain_refusal(submission, result, decisions[-1])
    _save_result(submission, result, files, record, decisions[-1] if decisions else None)
    if result.status == REJECTED:  # before the agreements were asked, or a cohort rule the hub cannot apply
        _audit_rejection(submission, result)
    if submission.state is Status.ACCEPTED:
        _audit_access(submission, result, decisions[-1] if decisions else None)


def _duration(seconds: float) -> str:
    if seconds >= 60:
        minutes = round(seconds / 60)
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    return f"{seconds:g} second{'' if seconds == 1 else 's'}"


def _mark_failed(submission: Submission, message: str) -> None:
    submission.status = Status.FAILED.value
    submission.failure_message = message
    submission.progress_message = "Failed"
    submission.finished_at = timezone.now()
    submission.save(update_fields=["status", "failure_message", "progress_message", "finished_at"])


def _save_result(
    submission: Submission, result: SubmissionResult, files: list[dict[str, Any]], record: Any, decision: Any
) -> None:
    stored = report_record(result.report)
    # People left out under the agreement's data_subjects rules: counts per rule and file, never a value.
    stored["summary"]["left_out"] = [
        {"rule": left.rule, "people": left.people, "rows": left.rows, "rows_by_file": left.rows_by_file}
        for left in result.left_out]
    rows_read = {s["file"]: s["rows_read"] for s in stored["summary"]["files"]}
    if record is not None:  # the warehouse's fingerprints of each file actually loaded
        files = [
            {"name": name, "sha256": digest, "rows": record.row_counts.get(name)}
            for name, digest in sorted(record.file_hashes.items())
        ]
        submission.warehouse_version = record.version
    else:
        files = [{**f, "rows": rows_read.get(str(f["name"]))} for f in files]
    if result.manifest is not None:
        submission.source = result.manifest.source
        submission.supplier_code = result.manifest.supplier_code
        submission.period_end = result.manifest.extract_period_end
    if decision is not None:
        submission.agreement_id = decision.agreement_id or ""
        submission.agreement_version = decision.agreement_version
        if not decision.permitted:
            primary = decision.primary_reason
            submission.decision_reason = primary.code
            submission.decision_fields = list(primary.fields or ())
    submission.files = files
    submission.report_rows = stored["rows"]
    submission.report_summary = stored["summary"]
    submission.status = result.status
    submission.progress_percent = 100
    submission.progress_message = Status(result.status).label
    submission.finished_at = timezone.now()
    submission.save()
    try:
        submission.report_path.parent.mkdir(parents=True, exist_ok=True)
        submission.report_path.write_text(full_report_csv(result.report), encoding="utf-8")
    except OSError:
        logger.exception("could not write the report CSV of submission %s", submission.id)


def _explain_refusal(submission: Submission, result: SubmissionResult, decision: Any) -> None:
    """Add to the report what to empty, or what to ask for, so the refusal can be acted on."""
    reason = decision.primary_reason
    source = result.manifest.source if result.manifest is not None else ""
    result.report.extend(refusal_issues(
        reason, explanation=denial_message(reason.code), fields_by_file=result.fields_by_file,
        dataset=SOURCE_LABELS.get(source, source), purpose=UPLOAD_PURPOSE, role=submission.role,
    ))


#: The reason of the audit entry of an upload the hub rejected before asking the agreements.
UPLOAD_REJECTED = "UPLOAD_REJECTED"


def audit_refused_upload(
    *, user: Any, org_id: str, role: str, source: str, rules: list[str], detail: dict[str, Any]
) -> None:
    """One ``decision``/``deny`` entry for an upload refused before ``decide()`` was asked."""
    record_event(
        "decision", "deny", user=user, org_id=org_id, role=role, action="upload", dataset=source or None,
        purpose=UPLOAD_PURPOSE, reasons=[{"code": UPLOAD_REJECTED}],
        payload={"rules": sorted(rules), **detail},
    )


def _audit_rejection(submission: Submission, result: SubmissionResult) -> None:
    errors = {rule for summary in result.report.summaries.values() for rule in summary.errors}
    detail: dict[str, Any] = {"submission_id": submission.id}
    manifest = result.manifest
    if manifest is not None and manifest.supplier_code != submission.organisation.supplier_code:
        detail["supplier_code_claimed"] = manifest.supplier_code[:40]
    audit_refused_upload(
        user=submission.uploaded_by, org_id=submission.organisation.pk, role=submission.role,
        source=manifest.source if manifest is not None else "", rules=sorted(errors), detail=detail,
    )


def _audit_access(submission: Submission, result: SubmissionResult, decision: Any) -> None:
    if decision is None or result.load is None:
        return
    record_access(decision, row_count=sum(result.load.rows_loaded.values()))


def denial_message(code: str) -> str:
    return REASON_MESSAGES.get(code, "No agreement permits this upload.")
