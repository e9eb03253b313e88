"""Background work of attack surface mapping (django-tasks; ``boroughhub worker`` runs it): a run of the
checks asked for on the web page, so a long list never holds a web request open."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from boroughhub.asm import store
from boroughhub.asm.checks import CheckOptions, Resolver, parse_resolver, run_checks
from boroughhub.asm.scope import parse_target
from boroughhub.organisations import User

from .models import CheckRun

logger = logging.getLogger(__name__)
WEB_TARGET_TIMEOUT = 15.0


@task()
def check_targets(run_id: int) -> str:
    run = CheckRun.objects.get(pk=run_id)
    if run.status in ("done", "failed"):
        return run.status  # already finished: a task put back after its worker was killed at the very end
    # "running" here means a worker was killed mid-run and the task was put back: run it again from the start
    # (nothing of a run is kept until it finishes).
    run.status = "running"
    run.save(update_fields=["status"])
    user = User.objects.filter(email=run.started_by).first() or run.started_by
    try:
        resolver = run.request.get("resolver") or ""
        started = timezone.now()
        # The scope is read again now: an authorisation withdrawn since the run was asked for applies.
        outcome = run_checks([parse_target(t) for t in run.request["targets"]], store.scope_of(run.council_id),
                             CheckOptions(now=started, target_timeout=WEB_TARGET_TIMEOUT,
                                          resolver=Resolver(parse_resolver(resolver) if resolver else None)))
        store.record_run(run.council_id, outcome, by=user, role="security_lead", channel="web",
                         started_at=run.started_at, finished_at=timezone.now(), queued=run)
    except Exception:
        logger.exception("attack surface run %s failed", run_id)
        run.status, run.finished_at = "failed", timezone.now()
        run.failure = "The run stopped with an unexpected error; nothing from it was recorded. Run the checks again."
        run.save(update_fields=["status", "finished_at", "failure"])
    return run.status
