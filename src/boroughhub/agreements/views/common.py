"""What every agreements page needs: the version the session may see, names, refusals as pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from boroughhub.agreements.models import AgreementVersion, Dataset, Purpose
from boroughhub.organisations import Role

from .describe import london, utc

READ_ROLES = (Role.IG_LEAD, Role.HUB_ADMIN)


def visible_version(request: HttpRequest, agreement_id: str, number: int) -> AgreementVersion:
    """The version, if the acting organisation is a party to it (hub admins see every version).

    Anything else is a 404, so the page does not even confirm that another party's agreement exists.
    """
    version = AgreementVersion.objects.select_related("agreement", "lead_party").filter(
        agreement_id=agreement_id, version=number).first()
    acting = request.acting  # type: ignore[attr-defined]
    if version is None:
        raise Http404("No such agreement version")
    if acting.role == Role.HUB_ADMIN:
        return version
    if acting.org_id not in version.party_ids:
        raise Http404("No such agreement version")
    return version


def organisation_names() -> dict[str, str]:
    from boroughhub.organisations import Organisation

    return dict(Organisation.objects.values_list("id", "name"))


def purpose_labels() -> dict[str, str]:
    return dict(Purpose.objects.values_list("code", "label"))


def dataset_titles() -> dict[str, str]:
    return dict(Dataset.objects.values_list("id", "title"))


def page(request: HttpRequest, **context: Any) -> dict[str, Any]:
    """Context shared by the agreements templates."""
    return {"london": london, "utc": utc, **context}
