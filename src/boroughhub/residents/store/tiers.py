"""The four tiers a frontline worker moves through, shared by the pages and ``boroughhub residents``.

Each tier is one ``decide()`` (a ``view_record`` of that tier's fields of the ``involvement`` dataset for
``bhp:safeguarding-adults``, audited as a decision entry with the purpose of use the worker typed), then,
when something is shown, one ``access`` entry naming the residents shown and the tier. On top of the
agreement, the room's own rule: a resident opens only with a legitimate relationship derived from the
data, or an unexpired break-glass. Rows are limited to the suppliers the permit names, and to the ages
the permitting agreement covers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.db.models import Q
from django.utils import timezone

from boroughhub import audit
from boroughhub.agreements import AgreementVersion, decide_and_audit, refusal_message
from boroughhub.residents.models import BreakGlass, Involvement, KnownAddress, Resident, WorkerTeam
from boroughhub.residents.rules import Involvement as InvolvementFact
from boroughhub.residents.rules import age_on, flags_for, fold_name, minimum_age
from boroughhub.residents.vocabulary import INVOLVEMENT_DATASET, SAFEGUARDING, TIER_FIELDS, Tier

P = ParamSpec("P")
T = TypeVar("T")
MAX_RESULTS = 50
# Audit appends are serialised by the database (SQLite's single writer). Threads of one process take
# turns on this lock first, so a waiting thread starts the moment the writer is done instead of in
# SQLite's sleep-and-retry steps (up to 100 ms each): the tail latency of 20 workers at once, measured
# by benchmarks/residents_search.py. Re-entrant: a tier holds it around its decision and access entries.
_APPENDING = threading.RLock()


@contextmanager
def one_commit() -> Iterator[None]:
    """A tier's decision entry, its reads and its access entry in one transaction, committed before
    anything is shown: one commit per tier instead of two (commits dominate a tier's time), and
    nothing is shown unless both entries are in the log. A refusal still commits its decision entry."""
    refused: Refused | None = None
    with _APPENDING, audit.serialised_transaction():
        try:
            yield
        except Refused as refusal:
            refused = refusal
    if refused is not None:
        raise refused


def in_one_commit(tier: Callable[P, T]) -> Callable[P, T]:
    """Run a tier inside ``one_commit``."""

    @wraps(tier)
    def committed(*args: P.args, **kwargs: P.kwargs) -> T:
        with one_commit():
            return tier(*args, **kwargs)
        raise AssertionError("unreachable: one_commit re-raises a refusal")  # pragma: no cover

    return committed


class Refused(Exception):
    """The request was not answered; the message says why and what to do."""


@dataclass(frozen=True)
class Worker:
    user: Any
    org_id: str
    role: str
    teams: frozenset[str]
    session_id: str | None = None


@dataclass
class Permit:
    """What a permitting decision lets the tier return."""

    decision: Any
    suppliers: frozenset[str]
    min_age: int
    today: date = field(default_factory=timezone.localdate)


def worker_from(user: Any, org_id: str, role: str, session_id: str | None = None) -> Worker:
    teams = WorkerTeam.objects.filter(user=user, organisation_id=org_id).values_list("team_code", flat=True)
    return Worker(user, org_id, str(role), frozenset(teams), session_id)


def subject_refs(resident_ids: list[str]) -> list[dict[str, str]]:
    return [{"dataset": INVOLVEMENT_DATASET, "supplier": "hub", "record_key": rid} for rid in resident_ids]


def decide_tier(worker: Worker, tier: Tier, purpose_of_use: str, resident_ids: list[str] | None = None) -> Permit:
    """Decide and audit one tier; raise ``Refused`` (with the reason in words) unless permitted."""
    if len(purpose_of_use.strip()) < 5:
        raise Refused("Say why you are looking (the purpose of use), for example 'Care Act assessment review'.")
    with _APPENDING:
        decision = decide_and_audit(
            user=worker.user, org_id=worker.org_id, role=worker.role, action="view_record",
            dataset=INVOLVEMENT_DATASET, fields=TIER_FIELDS[tier], purpose=SAFEGUARDING,
            subject_refs=subject_refs(resident_ids) if resident_ids else None, session_id=worker.session_id,
            justification=f"{tier.value}: {purpose_of_use.strip()}"[:500],
        )
    if not decision.permitted:
        raise Refused(refusal_message(decision))
    row_filter = decision.obligations.row_filter if decision.obligations else None
    suppliers = frozenset(row_filter.suppliers or ()) if row_filter is not None else frozenset()
    return Permit(decision, suppliers, _minimum_age({(m.agreement_id, m.version) for m in decision.matched}))


# A signed version's content never changes (its hash is what was signed): its age rule is read once.
_AGE_RULES: dict[tuple[str, int], int] = {}


def _minimum_age(versions: set[tuple[str, int]]) -> int:
    missing = versions - set(_AGE_RULES)
    if missing:
        for version in AgreementVersion.objects.filter(agreement_id__in={a for a, _ in missing}):
            _AGE_RULES[(version.agreement_id, version.version)] = minimum_age([version.content])
    return max((_AGE_RULES.get(v, 0) for v in versions), default=0)


def record_shown(worker: Worker, permit: Permit, tier: Tier, resident_ids: list[str], rows: int,
                 detail: dict[str, Any] | None = None) -> None:
    """The ``access`` entry of what a tier showed (its residents, the tier, and what it opened)."""
    entry = permit.decision.audit_entry
    with _APPENDING:
        audit.record_event(
            "access", "ok", user=worker.user, org_id=worker.org_id, role=worker.role, session_id=worker.session_id,
            request_id=entry.request_id, decision_entry_id=str(entry.entry_id), action="view_record",
            dataset=INVOLVEMENT_DATASET, fields=entry.fields, purpose=SAFEGUARDING, agreement_id=entry.agreement_id,
            agreement_version=entry.agreement_version, permission_id=entry.permission_id, row_count=rows,
            subject_refs=subject_refs(resident_ids) or None, justification=entry.justification,
            payload={"tier": tier.value, **(detail or {})},
        )


def _open_involvements(permit: Permit) -> Q:
    return Q(start_date__lte=permit.today) & (Q(end_date__isnull=True) | Q(end_date__gte=permit.today))


def relationship_ids(worker: Worker, permit: Permit, candidates: Any) -> set[str]:
    """Which of ``candidates`` are on an open case of the worker's own team, in a source their organisation
    supplies and the permit covers."""
    if worker.org_id not in permit.suppliers or not worker.teams:
        return set()
    return set(Involvement.objects.filter(
        _open_involvements(permit), resident_id__in=candidates, supplier=worker.org_id,
        team_code__in=worker.teams).values_list("resident_id", flat=True))


def break_glass_until(worker: Worker, resident_ids: Any) -> dict[str, datetime]:
    now = timezone.now()
    until: dict[str, datetime] = {}
    for rid, expires in BreakGlass.objects.filter(
            user=worker.user, organisation_id=worker.org_id, resident_id__in=resident_ids,
            expires_at__gt=now).values_list("resident_id", "expires_at"):
        until[rid] = max(expires, until.get(rid, expires))
    return until


def in_cohort(resident: Resident, permit: Permit) -> bool:
    return age_on(resident.date_of_birth, permit.today) >= permit.min_age


@in_one_commit
def search(worker: Worker, surname: str, purpose_of_use: str, forename: str = "",
           date_of_birth: date | None = None) -> list[dict[str, Any]]:
    """Residents matching the surname (a prefix, accents and punctuation ignored), forename prefix and
    date of birth that this worker may open; nobody else is ever in the list."""
    folded = fold_name(surname)
    if len(folded) < 2:
        raise Refused("Type at least the first two letters of the surname.")
    permit = decide_tier(worker, Tier.SEARCH, purpose_of_use)
    # A range rather than LIKE: SQLite's LIKE ignores case and so cannot use the surname index. Folded
    # names hold only A-Z, and "[" sorts right after "Z".
    matches = Resident.objects.filter(last_name_folded__gte=folded, last_name_folded__lt=folded + "[")
    if forename.strip():
        matches = matches.filter(first_name_folded__startswith=fold_name(forename))
    if date_of_birth is not None:
        matches = matches.filter(date_of_birth=date_of_birth)
    # Narrow to the residents the worker may open before reading any name: the team's open cases and
    # the worker's unexpired break-glass openings.
    ids = list(matches.values_list("resident_id", flat=True)[:5000])
    related = relationship_ids(worker, permit, ids)
    glass = break_glass_until(worker, ids)
    openable = [r for r in Resident.objects.filter(resident_id__in=related | set(glass))
                .order_by("last_name", "first_name", "date_of_birth") if in_cohort(r, permit)][:MAX_RESULTS]
    results = [{
        "resident": r.resident_id, "name": f"{r.last_name.upper()}, {r.first_name}",
        "date_of_birth": r.date_of_birth.isoformat(),
        "why": "open case of your team" if r.resident_id in related else "break-glass",
        "break_glass_until": glass[r.resident_id].isoformat() if r.resident_id not in related and r.resident_id in glass else None,
    } for r in openable]
    record_shown(worker, permit, Tier.SEARCH, [r["resident"] for r in results], len(results),
                 {"results_shown": len(results)})
    return results


def may_open(worker: Worker, permit: Permit, resident: Resident) -> bool:
    ids = [resident.resident_id]
    return in_cohort(resident, permit) and bool(relationship_ids(worker, permit, ids) or break_glass_until(worker, ids))


def _resident_for(worker: Worker, tier: Tier, resident_id: str, purpose_of_use: str) -> tuple[Permit, Resident]:
    permit = decide_tier(worker, tier, purpose_of_use, [resident_id])
    resident = Resident.objects.filter(resident_id=resident_id).first()
    if resident is None or not may_open(worker, permit, resident):
        # The same answer whether the resident exists or not: nothing is revealed to a worker without access.
        raise Refused("You may open only residents on your team's open cases. Search again, or use break-glass "
                      "if you must see someone you have no relationship with.")
    return permit, resident


@in_one_commit
def flags(worker: Worker, resident_id: str, purpose_of_use: str) -> dict[str, Any]:
    """A flag per service: current, past, or no record found in the sources shared with the hub."""
    permit, resident = _resident_for(worker, Tier.FLAGS, resident_id, purpose_of_use)
    rows = Involvement.objects.filter(resident=resident, supplier__in=permit.suppliers)
    facts = [InvolvementFact(r.id, r.resident_id, r.source, r.supplier, r.team_code, r.start_date, r.end_date)
             for r in rows]
    shown = flags_for(facts, permit.today)
    record_shown(worker, permit, Tier.FLAGS, [resident_id], len(facts))
    return {"resident": resident.resident_id, "name": f"{resident.last_name.upper()}, {resident.first_name}",
            "date_of_birth": resident.date_of_birth.isoformat(), "flags": shown}


@in_one_commit
def involvement_detail(worker: Worker, resident_id: str, involvement_id: int, purpose_of_use: str) -> dict[str, Any]:
    """One involvement's dates, team, key worker and how to contact them."""
    permit, resident = _resident_for(worker, Tier.DETAIL, resident_id, purpose_of_use)
    row = Involvement.objects.filter(pk=involvement_id, resident=resident, supplier__in=permit.suppliers).first()
    if row is None:
        raise Refused("That involvement is not one this resident's flags list. Go back to the resident's services.")
    record_shown(worker, permit, Tier.DETAIL, [resident_id], 1,
                 {"source": row.source, "supplier": row.supplier, "involvement": row.pk})
    return {"resident": resident.resident_id, "name": f"{resident.last_name.upper()}, {resident.first_name}",
            "involvement": row.pk, "source": row.source, "supplier": row.supplier, "team": row.team_name,
            "key_worker": row.key_worker_name, "phone": row.key_worker_phone, "secure_email": row.key_worker_email,
            "start_date": row.start_date, "end_date": row.end_date,
            "current": row.end_date is None or row.end_date >= permit.today}


@in_one_commit
def addresses(worker: Worker, resident_id: str, purpose_of_use: str) -> dict[str, Any]:
    """Every address the shared sources know for the resident, newest first, with its dates."""
    permit, resident = _resident_for(worker, Tier.ADDRESSES, resident_id, purpose_of_use)
    rows = list(KnownAddress.objects.filter(resident=resident, supplier__in=permit.suppliers)
                .order_by("-date_from", "id"))
    record_shown(worker, permit, Tier.ADDRESSES, [resident_id], len(rows))
    return {"resident": resident.resident_id, "name": f"{resident.last_name.upper()}, {resident.first_name}",
            "addresses": [{"address": a.address, "postcode": a.postcode, "source": a.source, "supplier": a.supplier,
                           "from": a.date_from, "to": a.date_to} for a in rows]}
