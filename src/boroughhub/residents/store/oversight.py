"""What privacy officers review: break-glass alerts, a weekly spot-check sample, and a resident's access
history for subject access requests (staff hidden unless the officer chooses to show them)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from boroughhub import audit
from boroughhub.residents.models import BreakGlassAlert, Involvement, Resident
from boroughhub.residents.rules import fold_name
from boroughhub.residents.vocabulary import INVOLVEMENT_DATASET, TIER_LABELS, Tier

#: The agreement samples 20 record accesses a month: five a week.
SPOT_CHECKS_PER_WEEK = 5


@dataclass(frozen=True)
class AccessLine:
    occurred_at: datetime
    organisation: str
    purpose: str
    what: str
    staff: str | None
    resident: str | None = None


def alerts_for(org_id: str) -> Any:
    return (BreakGlassAlert.objects.filter(organisation_id=org_id)
            .select_related("break_glass", "break_glass__resident", "break_glass__user").order_by("status", "-id"))


def close_alert(request: Any, alert: BreakGlassAlert, outcome: str, note: str) -> None:
    """Close an alert with its outcome; the review is its own audit entry."""
    with transaction.atomic():
        alert.status, alert.outcome, alert.outcome_note = BreakGlassAlert.CLOSED, outcome, note
        alert.closed_by, alert.closed_at = request.acting.user, timezone.now()
        alert.save()
        audit.record_request_event(request, "registry", "ok", action="break_glass_review", dataset=INVOLVEMENT_DATASET,
                                   payload={"alert": alert.pk, "outcome": outcome})


def _refs(entry: Any) -> list[str]:
    refs = entry.subject_refs
    if refs is None and entry.subject_refs_sha256:
        side = audit.AuditSubjectRefs.objects.filter(seq=entry.seq).first()
        refs = side.refs if side is not None else []
    return [r.get("record_key", "") for r in refs or [] if isinstance(r, dict)]


def _what(entry: Any) -> str:
    tier = (entry.payload or {}).get("tier")
    return TIER_LABELS[Tier(tier)] if tier in set(Tier) else "Viewed"


def _line(entry: Any, staff: dict[str, str] | None, resident: str | None = None) -> AccessLine:
    purpose = (entry.justification or "").split(": ", 1)[-1]
    return AccessLine(entry.occurred_at, entry.org or "", purpose, _what(entry),
                      None if staff is None else staff.get(entry.user_id or "", "unknown account"), resident)


def _staff_names(entries: list[Any]) -> dict[str, str]:
    from boroughhub.organisations import User

    ids = {e.user_id for e in entries if e.user_id and e.user_id != "system"}
    return {str(pk): email for pk, email in User.objects.filter(pk__in=ids).values_list("pk", "email")}


def week_of(day: date) -> tuple[date, date]:
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=7)


def spot_check_sample(org_id: str, day: date) -> list[AccessLine]:
    """A random sample of the week's ordinary accesses by the organisation's workers (break-glass has its
    own alerts), the same sample all week: the seed is the organisation and the week."""
    start, end = week_of(day)
    entries = [e for e in audit.AuditEntry.objects.filter(
        event_type="access", dataset=INVOLVEMENT_DATASET, org=org_id,
        occurred_at__date__gte=start, occurred_at__date__lt=end).order_by("seq")
        if (e.payload or {}).get("tier") != Tier.BREAK_GLASS.value and (e.row_count or 0) > 0]
    chosen = random.Random(f"{org_id}:{start.isoformat()}").sample(entries, min(SPOT_CHECKS_PER_WEEK, len(entries)))
    staff = _staff_names(chosen)
    return [_line(e, staff, ", ".join(_refs(e))) for e in sorted(chosen, key=lambda e: e.seq)]


def residents_known_to(org_id: str, surname: str, born: date) -> list[Resident]:
    """Residents with this surname and date of birth whose data the organisation supplies, or whom its
    workers opened: the residents its officer can answer a subject access request for."""
    opened = {rid for e in audit.AuditEntry.objects.filter(event_type="access", dataset=INVOLVEMENT_DATASET, org=org_id)
              for rid in _refs(e)}
    return list(Resident.objects.filter(last_name_folded=fold_name(surname), date_of_birth=born).filter(
        Q(resident_id__in=Involvement.objects.filter(supplier=org_id).values("resident_id")) | Q(resident_id__in=opened)))


def access_history(resident_id: str, show_staff: bool) -> list[AccessLine]:
    """Every access that showed this resident: when, which organisation, for what purpose, which tier."""
    entries = [e for e in audit.AuditEntry.objects.filter(event_type="access", dataset=INVOLVEMENT_DATASET)
               .order_by("seq") if resident_id in _refs(e)]
    staff = _staff_names(entries) if show_staff else None
    return [_line(e, staff) for e in entries]
