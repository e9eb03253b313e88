"""Background work of insights: refresh the metric tables after each linkage run."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import task

from boroughhub.agreements import AgreementVersion, decide_and_audit
from boroughhub.organisations import Organisation, User
from boroughhub.warehouse import Warehouse, Work

from .inputs import PURPOSE, SOURCE_FIELDS_READ
from .metrics import Parameters, ResolvedParameters, refresh
from .prerender import Prerendered, batches, prerender_charts
from .published import PublishedFigures, publish_snapshot, stage_snapshot

logger = logging.getLogger(__name__)


class RefreshRefused(Exception):
    """The job owner's agreements do not allow the refresh; nothing was computed."""


def refresh_insights_now(user: User, org_id: str, role: str, params: Parameters | None = None,
                         progress: Callable[[str], None] | None = None) -> ResolvedParameters:
    """Authorise (``view_aggregate`` on each source, as the job owner), recompute, render the charts people
    open first, then publish the snapshot. ``progress`` hears each step, and the wait for the warehouse
    while another writer holds it."""
    say = progress or (lambda _message: None)
    for dataset, fields in SOURCE_FIELDS_READ.items():
        decision = decide_and_audit(user=user, org_id=org_id, role=role, action="view_aggregate",
                                    dataset=dataset, fields=fields, purpose=PURPOSE)
        if not decision.permitted:
            raise RefreshRefused(f"{dataset}: {decision.primary_reason.code}")
    directory = settings.DATA_DIR / "insights"
    organisation = Organisation.objects.filter(pk=org_id).values_list("name", flat=True).first()
    work = Work("the insights refresh", user.email, organisation or org_id)
    with Warehouse(settings.WAREHOUSE_PATH, work=work, on_wait=say,
                   wait_seconds=settings.WAREHOUSE_WAIT_SECONDS) as warehouse:
        say("Computing the metrics")
        warehouse.ensure_schema()
        started = time.monotonic()
        resolved = refresh(warehouse.connection, params)
        computed = time.monotonic()
        staged = stage_snapshot(warehouse.connection, directory)
        # The parts of a refresh, for benchmarks/monthly_cycle.py and for operators reading the log.
        logger.info("Computed the metrics in %.1f s; wrote the snapshot in %.1f s.", computed - started,
                    time.monotonic() - computed)
    # The warehouse is free again: rendering does not keep loads or the review page waiting.
    say("Rendering the charts people open first")
    prerendered = None
    try:
        prerendered = prerender_new_snapshot(staged, directory)
    except Exception:  # rendering is only a head start: publish the figures all the same
        logger.exception("Pre-rendering the insights charts failed; they will render on first view.")
    publish_snapshot(staged, keep_charts=prerendered.charts if prerendered else ())
    return resolved


def prerender_new_snapshot(staged: Path, directory: Path) -> Prerendered:
    """Every page's charts for London and each area with figures, without a breakdown first, at each
    minimum cell size the active agreements set, then unrounded if an agreement grants that; rendered into
    the chart cache the pages read."""
    areas = PublishedFigures(staged).areas()
    work = batches(areas, published_min_cell_sizes(), unrounded=bool(_metric_permissions("view_unrounded")))
    prerendered = prerender_charts(staged, directory / "charts", work)
    logger.info("Pre-rendered %d charts (%d of %d batches) in %.1f s.", len(prerendered.charts),
                prerendered.batches, prerendered.of_batches, prerendered.seconds)
    return prerendered


def published_min_cell_sizes() -> list[int]:
    """The distinct ``min_cell_size`` of the active agreements' ``view_aggregate`` permissions on
    ``metric_values``: the thresholds the pages round at (a decision takes the largest that applies)."""
    return sorted({int(permission["min_cell_size"]) for permission in _metric_permissions("view_aggregate")
                   if permission.get("min_cell_size") is not None})


def _metric_permissions(action: str) -> list[dict[str, Any]]:
    """The active agreements' permissions of ``action`` on ``metric_values`` for the insights' purpose."""
    return [permission
            for content in AgreementVersion.objects.filter(status="active").values_list("content", flat=True)
            for permission in content.get("permissions", [])
            if permission.get("dataset") == "metric_values" and action in permission.get("actions", [])
            and PURPOSE in permission.get("purposes", [])]


@task()
def refresh_insights(user_id: str, org_id: str, role: str) -> dict[str, Any]:
    user = User.objects.get(pk=user_id)
    resolved = refresh_insights_now(user, org_id, role)
    return {"as_at": str(resolved.as_at), "history_start": str(resolved.history_start)}
