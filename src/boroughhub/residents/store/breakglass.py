"""Break-glass: a worker opens a resident they have no relationship with, for a typed reason, for a few
hours, and the privacy officers of every organisation whose data it shows are alerted.

It relaxes only the room's relationship rule, never the agreement: the opening is decided by ``decide()``
like every tier (agreements schema 1.0 has no break-glass permission; docs/decisions/0100). The alerts
carry no personal data: the resident and the worker are named only on the alert's page, to its officers.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from boroughhub import audit
from boroughhub.agreements import notify
from boroughhub.residents.models import BreakGlass, BreakGlassAlert, Involvement, Resident
from boroughhub.residents.rules import fold_name
from boroughhub.residents.vocabulary import BREAK_GLASS_HOURS, Tier

from .tiers import Refused, Worker, decide_tier, in_cohort, in_one_commit, record_shown

MIN_REASON_CHARACTERS = 20
ALERTS_LINK = "/residents/oversight/alerts"


def alert_text(organisation_name: str) -> tuple[str, str]:
    """The notification's subject and body: which organisation's worker, never who or whom."""
    return ("Break-glass access to a resident's involvements",
            f"A frontline worker of {organisation_name} opened a resident they have no recorded relationship with, "
            "and your organisation's data was shown. Review the reason and close the alert with an outcome.")


@in_one_commit
def use_break_glass(worker: Worker, surname: str, date_of_birth: date, reason: str, purpose_of_use: str,
                    organisation_name: str) -> list[str]:
    """Open the residents with exactly this surname and date of birth; returns their ids."""
    if len(reason.strip()) < MIN_REASON_CHARACTERS:
        raise Refused(f"Type the reason you must open this resident without a relationship, in at least "
                      f"{MIN_REASON_CHARACTERS} characters: privacy officers will read it.")
    folded = fold_name(surname)
    if len(folded) < 2:
        raise Refused("Type the resident's full surname.")
    permit = decide_tier(worker, Tier.BREAK_GLASS, f"{purpose_of_use.strip()} (break-glass: {reason.strip()})")
    residents = [r for r in Resident.objects.filter(last_name_folded=folded, date_of_birth=date_of_birth)
                 if in_cohort(r, permit)]
    if not residents:
        record_shown(worker, permit, Tier.BREAK_GLASS, [], 0, {"opened": 0})
        raise Refused("No resident in the sources shared with the hub has that surname and date of birth. "
                      "Nothing was opened. Check the spelling and the date.")
    now = timezone.now()
    opened: list[str] = []
    alerted: set[str] = set()
    with transaction.atomic():
        for resident in residents:
            glass = BreakGlass.objects.create(user=worker.user, organisation_id=worker.org_id, resident=resident,
                                              reason=reason.strip()[:2000], opened_at=now,
                                              expires_at=now + timedelta(hours=BREAK_GLASS_HOURS))
            shown = set(Involvement.objects.filter(resident=resident, supplier__in=permit.suppliers)
                        .values_list("supplier", flat=True))
            for org in sorted(shown | {worker.org_id}):
                alert = BreakGlassAlert.objects.create(break_glass=glass, organisation_id=org)
                subject, body = alert_text(organisation_name)
                notify(org, "privacy_officer", "break_glass", subject, body, link=ALERTS_LINK,
                       key=f"break-glass:{alert.pk}")
                alerted.add(org)
            opened.append(resident.resident_id)
        record_shown(worker, permit, Tier.BREAK_GLASS, opened, len(opened),
                     {"opened": len(opened), "alerted": sorted(alerted), "hours": BREAK_GLASS_HOURS})
        audit.record_event("notification", "ok", user="system", org_id=worker.org_id, action="break_glass_alert",
                           dataset="involvement", payload={"organisations": sorted(alerted)})
    return opened
