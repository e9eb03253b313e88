"""The names an audit page shows for the codes in entries, read once per page."""

from __future__ import annotations

from collections.abc import Iterable

from boroughhub.agreements.models import AgreementVersion, Dataset, Purpose
from boroughhub.audit import AuditEntry, Lookups
from boroughhub.organisations import ROLE_LABELS, Organisation

from .audit_scope import OfficerScope, people_by_id


def dataset_choices() -> list[tuple[str, str]]:
    return [(str(pk), title) for pk, title in Dataset.objects.order_by("title").values_list("id", "title")]


def agreement_choices(scope: OfficerScope) -> list[tuple[str, str]]:
    """The agreements the officer's organisation is a party to, by title (the latest version's)."""
    titles: dict[str, str] = {}
    for version in AgreementVersion.objects.filter(agreement_id__in=sorted(scope.party_to)).order_by("version"):
        titles[version.agreement_id] = version.title
    return sorted(titles.items(), key=lambda item: item[1].lower())


def lookups_for(entries: Iterable[AuditEntry], scope: OfficerScope) -> Lookups:
    entries = list(entries)
    named = [e.user_id for e in entries if e.user_id and scope.shows_person(e)]
    return Lookups(
        organisations=dict(Organisation.objects.values_list("id", "name")),
        datasets=dict(Dataset.objects.values_list("id", "title")),
        agreements={(v.agreement_id, v.version): v.title for v in AgreementVersion.objects.all()},
        roles={role.value: label for role, label in ROLE_LABELS.items()},
        purposes=dict(Purpose.objects.values_list("code", "label")),
        people=people_by_id(named),
    )
