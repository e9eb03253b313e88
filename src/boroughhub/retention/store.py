"""The retention job's database side: the agreements' clauses, the warehouse's turn, the audit log, files.

``run_retention`` is what ``boroughhub retention run`` and the scheduled task call. It reads every
agreement version's ``hub_retention`` clauses, takes its turn for the warehouse like any writer
(``Work("the retention job")``), deletes each expired holding in its own transaction with its audit
entry (a ``registry`` entry, action ``retention_delete``, naming the clause), removes the files that
belong to what went (a submission's report CSV; the published snapshot of ``metric_values``), and
finishes a crypto-erase by rewriting the warehouse file. Now is the audit clock's: a test or a
command-line step sets it (``BOROUGHHUB_AUDIT_CLOCK``), never the calendar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction

from boroughhub.agreements import AgreementVersion
from boroughhub.audit import audit_now, format_instant, record_event
from boroughhub.organisations import HUB_OPERATOR_ID
from boroughhub.retention.due import METRIC_VALUES, SUBMISSION, Holding, Unruled, holdings
from boroughhub.retention.purge import Deleted, delete_holding, finish_crypto_erase
from boroughhub.retention.rules import RetentionBook
from boroughhub.retention.schedule import Schedule, read_schedule, write_schedule
from boroughhub.warehouse import Warehouse, Work

logger = logging.getLogger(__name__)

RETENTION_DELETE = "retention_delete"
#: The published snapshots of ``metric_values`` the insights pages read (insights/published.py).
PUBLISHED_SNAPSHOTS = ("metric_values.parquet", "metric_run.parquet")


def retention_book() -> RetentionBook:
    """Every agreement version's clauses; the active versions' are the ones in force."""
    versions = AgreementVersion.objects.values_list("agreement_id", "version", "content", "status")
    return RetentionBook.build(
        (str(agreement_id), int(version), content if isinstance(content, dict) else {}, status == "active")
        for agreement_id, version, content, status in versions)


@dataclass
class RetentionRun:
    """What one run found and did: counts and dates only."""

    now: datetime
    due: list[Holding] = field(default_factory=list)
    deleted: list[Deleted] = field(default_factory=list)
    unruled: list[Unruled] = field(default_factory=list)
    rewritten: bool = False
    files_removed: int = 0

    @property
    def rows_deleted(self) -> int:
        return sum(d.rows for d in self.deleted)


def _audit(deleted: Deleted, now: datetime, person: Any) -> None:
    holding, rule = deleted.holding, deleted.holding.rule
    record_event(
        "registry", "ok", user=person or "system", org_id=HUB_OPERATOR_ID, action=RETENTION_DELETE,
        dataset=holding.dataset, agreement_id=rule.agreement_id, agreement_version=rule.version,
        payload={
            "clause": rule.clause, "rule": rule.summary, **rule.as_payload(),
            "what": holding.kind, "key": holding.key, "supplier_code": holding.supplier_code or None,
            "version": holding.version, "started_at": format_instant(holding.starts_at),
            "expired_at": format_instant(holding.expires_at), "deleted_at": format_instant(now),
            "rows_by_table": dict(sorted(deleted.rows_by_table.items())), "rows": deleted.rows,
            "identifiers_overwritten": deleted.identifiers_overwritten,
        },
    )


def _remove_files(holding: Holding, now: datetime) -> int:
    """The files that belong to a deleted holding; a submission's record keeps no cell value either."""
    removed = 0
    paths: list[Path] = []
    if holding.kind == SUBMISSION:
        # Through the app registry: the submissions room's model, not a name its front offers.
        submissions = apps.get_model("submissions", "Submission").objects
        submission = submissions.filter(pk=holding.key).first()
        if submission is not None:
            paths += [Path(submission.report_path), Path(submission.upload_folder)]
            rows = [{**row, "value": ""} for row in submission.report_rows if isinstance(row, dict)]
            submissions.filter(pk=holding.key).update(
                report_rows=rows, erased_at=now, erased_under=f"{holding.rule.clause}: {holding.rule.summary}"[:200])
    elif holding.kind == METRIC_VALUES:
        paths += [Path(settings.DATA_DIR) / "insights" / name for name in PUBLISHED_SNAPSHOTS]
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*"), reverse=True):
                child.unlink() if child.is_file() else child.rmdir()
            path.rmdir()
            removed += 1
        elif path.exists():
            path.unlink()
            removed += 1
    return removed


def run_retention(*, now: datetime | None = None, dry_run: bool = False, person: Any = None,
                  on_wait: Callable[[str], None] | None = None) -> RetentionRun:
    """Delete everything whose clause has run out at ``now`` (the audit clock's now by default)."""
    now = now or audit_now()
    book = retention_book()
    email = getattr(person, "email", "")
    run = RetentionRun(now)
    with Warehouse(settings.WAREHOUSE_PATH, work=Work("the retention job", email, "the hub"),
                   wait_seconds=settings.WAREHOUSE_WAIT_SECONDS, on_wait=on_wait) as warehouse:
        found, run.unruled = holdings(warehouse, book)
        run.due = [h for h in found if h.due(now)]
        for holding in [] if dry_run else run.due:
            # The audit entry is written inside both transactions: no deletion without its entry.
            with transaction.atomic():
                deleted = delete_holding(warehouse, holding, lambda d: _audit(d, now, person))
            run.deleted.append(deleted)
            run.files_removed += _remove_files(holding, now)
        run.rewritten = finish_crypto_erase(warehouse)
        remaining, unruled = holdings(warehouse, book)
    last_run = None if dry_run else {
        "at": now.isoformat(), "holdings": len(run.deleted), "rows": run.rows_deleted,
        "rewritten": run.rewritten}
    previous = read_schedule(schedule_folder())
    write_schedule(schedule_folder(), as_at=now, held=remaining, unruled=unruled,
                   last_run=last_run or (previous.last_run if previous else None))
    logger.info("retention: %d holdings deleted (%d rows), file rewritten: %s",
                len(run.deleted), run.rows_deleted, run.rewritten)
    return run


def schedule_folder() -> Path:
    return Path(settings.DATA_DIR) / "retention"


def published_schedule() -> Schedule | None:
    """What the last run (or dry run) of the job left for the data managers' page."""
    return read_schedule(schedule_folder())
