"""A party leaves a version (spec §2.6): a named party or one that joined by accession alike.

The party's IG lead records the notice its signatory gave; the withdrawal takes effect at the end of the
version's ``termination_notice_period`` (or later, if the notice says so). From then ``decide()`` answers
``PARTY_WITHDRAWN`` for it and leaves its rows out of every other party's row filter; the version's other
parties sign nothing and are told. One ``registry`` audit entry (``transition: withdrawal``) in the same
transaction as the record. A withdrawn organisation cannot accede to the same version again.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from typing import Any

from boroughhub.agreements.legal_rules import duration_months_and_days
from boroughhub.agreements.models import AgreementVersion, Withdrawal
from boroughhub.agreements.wording import london
from boroughhub.audit import record_event, serialised_transaction

from .lifecycle import IG_LEAD, Refused, actor_org, actor_role, notify_parties, now

WITHDRAWABLE_STATUSES = ("active", "suspended")


def _add_months(instant: datetime, months: int) -> datetime:
    """Calendar months, the day kept where the month has it (31 January + 1 month = 28 or 29 February)."""
    month_index = instant.month - 1 + months
    year, month = instant.year + month_index // 12, month_index % 12 + 1
    return instant.replace(year=year, month=month, day=min(instant.day, calendar.monthrange(year, month)[1]))


def earliest_effective(version: AgreementVersion, notice_given_at: datetime) -> datetime:
    """``notice_given_at + termination_notice_period`` (spec §2.6); no period means at once."""
    period = str(version.content.get("time", {}).get("termination_notice_period", "") or "")
    if not period:
        return notice_given_at
    months, days = duration_months_and_days(period)
    return _add_months(notice_given_at, months) + timedelta(days=days)


def why_not_withdraw(version: AgreementVersion, org_id: str, moment: datetime) -> Refused | None:
    """Why ``org_id`` cannot give notice on ``version`` now, or None: the rule the page, its link and the
    store all ask."""
    if org_id not in version.member_ids:
        return Refused("NOT_A_PARTY", "Your organisation is not a party to this version.", 403)
    if version.status not in WITHDRAWABLE_STATUSES or (version.expires_at is not None and moment >= version.expires_at):
        return Refused("NOT_ACTIVE", "Only an active or suspended version can be withdrawn from.")
    if version.withdrawals.filter(party_id=org_id).exists():
        return Refused("ALREADY_WITHDRAWN", "Your organisation has already given notice to withdraw from this version.")
    return None


def withdraw(actor: Any, version: AgreementVersion, *, position: str, reason: str = "",
             effective_at: datetime | None = None) -> Withdrawal:
    """Record the notice of ``actor``'s organisation; it takes effect at ``effective_at`` (default: the
    earliest the notice period allows). A date before that needs every other party's agreement, which the
    hub does not record, so it is refused (``NOTICE_TOO_SHORT``)."""
    if actor_role(actor) != IG_LEAD:
        raise Refused("NOT_IG_LEAD", "Only your organisation's information governance lead records a withdrawal.", 403)
    if not position.strip():
        raise Refused("DETAILS_REQUIRED", "Enter the position of the signatory who gave the notice.", 422)
    moment = now()
    org_id = actor_org(actor)
    with serialised_transaction():
        version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
        refused = why_not_withdraw(version, org_id, moment)
        if refused is not None:
            raise refused
        earliest = earliest_effective(version, moment)
        effective = effective_at or earliest
        if effective < earliest:
            raise Refused("NOTICE_TOO_SHORT", "The notice period of this version ends later: choose a date on or after "
                          "the end of the notice period.", 422)
        if version.expires_at is not None and effective >= version.expires_at:
            raise Refused("AFTER_EXPIRY", "The version expires before that date: nothing to withdraw from then.", 422)
        joined = version.accessions.filter(party_id=org_id, status="joined").exists()
        withdrawal = Withdrawal.objects.create(version=version, party_id=org_id, notice_given_at=moment,
                                               effective_at=effective, by_user=actor.user, reason=reason.strip())
        record_event(
            "registry", "ok", user=actor.user, org_id=org_id, role=actor_role(actor),
            agreement_id=version.agreement_id, agreement_version=version.version,
            payload={"transition": "withdrawal", "party": org_id, "acceded": joined, "signer_position": position,
                     "notice_given_at": moment.isoformat(), "effective_at": effective.isoformat(),
                     "reason": reason.strip() or None})
    name = actor.organisation.name
    notify_parties(version, "withdrawal", f"{name} withdraws from {version.title} (version {version.version})",
                   f"{name} gave notice to withdraw. From {london(effective)} it is no longer a party: it "
                   "may do nothing under this version and its data is left out of what the others see. Nothing "
                   "needs signing again.", roles=("ig_lead", "privacy_officer"))
    return withdrawal
