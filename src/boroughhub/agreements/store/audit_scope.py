"""Which entries a privacy officer sees, whom they see by name, and their filters as one query.

Scope (agreements spec §4.5): entries where the officer's organisation acted, or supplied the data
under the cited agreement, or is a party to the agreement a governance entry cites. Names: a person is
shown by name and email only on entries about the officer's organisation's own data or staff (its own
people, or another party's use of data it supplied); elsewhere the line says organisation and role.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model  # noqa: TID251 (store is the database side)
from django.db.models import Q, QuerySet  # noqa: TID251 (store is the database side)

from boroughhub.agreements.models import AgreementVersion, VersionParty
from boroughhub.audit import AuditEntry, AuditFilters

GOVERNANCE_EVENTS = ("registry", "sign_off", "sign_refused", "designation", "delegation")
DATA_EVENTS = ("decision", "access")


@dataclass(frozen=True, slots=True)
class OfficerScope:
    org_id: str
    #: Agreements the organisation is a party to (any version).
    party_to: frozenset[str]
    #: (agreement, version, dataset) under which the organisation supplies data.
    supplied: frozenset[tuple[str, int, str]]

    def supplied_data(self) -> Q:
        # Another supplier's upload holds that supplier's data, not ours: an upload is in scope only
        # through its actor. Links, views and exports of a dataset we supply read our rows too.
        found = Q(pk__in=[])
        for agreement_id, version, dataset in sorted(self.supplied):
            found |= Q(agreement_id=agreement_id, agreement_version=version, dataset=dataset)
        return found & Q(event_type__in=DATA_EVENTS) & ~Q(action="upload")

    def entries(self) -> Q:
        return (Q(org=self.org_id) | Q(event_type__in=GOVERNANCE_EVENTS, agreement_id__in=sorted(self.party_to))
                | self.supplied_data())

    def named(self) -> Q:
        """Entries whose person this officer may see by name."""
        return Q(org=self.org_id) | self.supplied_data()

    def shows_person(self, entry: AuditEntry) -> bool:
        if entry.org == self.org_id:
            return True
        return (entry.event_type in DATA_EVENTS and entry.action != "upload"
                and (entry.agreement_id, entry.agreement_version, entry.dataset) in self.supplied)


def scope_of(org_id: str) -> OfficerScope:
    versions = AgreementVersion.objects.filter(
        pk__in=VersionParty.objects.filter(organisation_id=org_id).values("version_id"))
    supplied = set()
    for version in versions:
        for entry in version.content.get("datasets", []):
            if org_id in (entry.get("suppliers") or []):
                supplied.add((version.agreement_id, version.version, str(entry.get("dataset_id"))))
    return OfficerScope(org_id, frozenset(versions.values_list("agreement_id", flat=True)), frozenset(supplied))


def acted_on() -> QuerySet[AuditEntry]:
    """The request ids of permits followed by a data use: their access line stands for both."""
    return AuditEntry.objects.filter(event_type="access", request_id__isnull=False).values("request_id")


def people_matching(text: str) -> list[str]:
    """User ids (as entries hold them) whose name or email contains ``text``."""
    users = get_user_model().objects.filter(Q(display_name__icontains=text) | Q(email__icontains=text))
    return [str(pk) for pk in users.values_list("pk", flat=True)]


def people_by_id(user_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    ids = sorted({u for u in user_ids if u and u != "system"})
    valid = []
    for value in ids:  # "system" and ids of the old style are not primary keys
        try:
            valid.append(get_user_model()._meta.pk.to_python(value))
        except Exception:  # noqa: BLE001 - a value that is no user id names nobody
            continue
    users = get_user_model().objects.filter(pk__in=valid).values_list("pk", "display_name", "email")
    return {str(pk): (name or email, email) for pk, name, email in users}


def filtered_entries(scope: OfficerScope, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The officer's entries that match ``filters``, newest first, one line per access."""
    entries = AuditEntry.objects.filter(scope.entries()).exclude(event_type="decision", request_id__in=acted_on())
    if filters.starts_at() is not None:
        entries = entries.filter(occurred_at__gte=filters.starts_at())
    if filters.ends_before() is not None:
        entries = entries.filter(occurred_at__lt=filters.ends_before())
    if filters.event_type:
        entries = entries.filter(event_type=filters.event_type)
    if filters.dataset:
        entries = entries.filter(dataset=filters.dataset)
    if filters.agreement_id:
        entries = entries.filter(agreement_id=filters.agreement_id)
    if filters.outcome == "permit":  # a data use line stands for its permit
        entries = entries.filter(Q(outcome="permit") | Q(event_type="access"))
    elif filters.outcome == "ok":
        entries = entries.filter(outcome="ok").exclude(event_type="access")
    elif filters.outcome:
        entries = entries.filter(outcome=filters.outcome)
    if filters.person:
        # Only where names are shown: otherwise filtering by a name would reveal whose entries those are.
        entries = entries.filter(scope.named(), user_id__in=people_matching(filters.person))
    return entries.order_by("-seq")
