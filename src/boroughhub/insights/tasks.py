"""Background work of insights: refresh the metric tables after each linkage run."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_tasks import task

from boroughhub.agreements.enforce import decide_and_audit
from boroughhub.organisations.models import User
from boroughhub.warehouse.warehouse import Warehouse

from .inputs import PURPOSE, SOURCE_FIELDS_READ
from .metrics import Parameters, ResolvedParameters, refresh
from .published import write_snapshot


class RefreshRefused(Exception):
    """The job owner's agreements do not allow the refresh; nothing was computed."""


def refresh_insights_now(user: User, org_id: str, role: str, params: Parameters | None = None) -> ResolvedParameters:
    """Authorise (``view_aggregate`` on each source, as the job owner), recompute, publish the snapshot."""
    for dataset, fields in SOURCE_FIELDS_READ.items():
        decision = decide_and_audit(user=user, org_id=org_id, role=role, action="view_aggregate",
                                    dataset=dataset, fields=fields, purpose=PURPOSE)
        if not decision.permitted:
            raise RefreshRefused(f"{dataset}: {decision.primary_reason.code}")
    with Warehouse(settings.WAREHOUSE_PATH) as warehouse:
        warehouse.ensure_schema()
        resolved = refresh(warehouse.connection, params)
        write_snapshot(warehouse.connection, settings.DATA_DIR / "insights")
    return resolved


@task()
def refresh_insights(user_id: str, org_id: str, role: str) -> dict[str, Any]:
    user = User.objects.get(pk=user_id)
    resolved = refresh_insights_now(user, org_id, role)
    return {"as_at": str(resolved.as_at), "history_start": str(resolved.history_start)}
