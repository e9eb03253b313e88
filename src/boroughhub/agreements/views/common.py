"""What every agreements page needs: the version the session may see, names, refusals as pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from boroughhub.agreements.models import AgreementVersion, Dataset, Purpose
from boroughhub.agreements.what_changed import describe_changes, grouped
from boroughhub.agreements.wording import Names
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
    if acting.org_id not in version.member_ids:
        raise Http404("No such agreement version")
    return version


def organisation_names() -> dict[str, str]:
    from boroughhub.organisations import Organisation

    return dict(Organisation.objects.values_list("id", "name"))


def purpose_labels() -> dict[str, str]:
    return dict(Purpose.objects.values_list("code", "label"))


def dataset_titles() -> dict[str, str]:
    return dict(Dataset.objects.values_list("id", "title"))


def names() -> Names:
    """The registers' names for the organisations, datasets and purposes a version refers to by id."""
    return Names(organisations=organisation_names(), datasets=dataset_titles(), purposes=purpose_labels())


def page(request: HttpRequest, **context: Any) -> dict[str, Any]:
    """Context shared by the agreements templates."""
    return {"london": london, "utc": utc, **context}


def changes_for_signatory(version: AgreementVersion, known: Names, *,
                          earlier: AgreementVersion | None = None) -> dict[str, Any] | None:
    """What a signatory must notice: the differences from the version before (or ``earlier``) or, for
    a first version drafted from a template, from the template's defaults (spec §7.2 S7). None when
    there is nothing to compare with."""
    if earlier is None and version.version > 1:
        earlier = version.agreement.versions.filter(version__lt=version.version).order_by("-version").first()
    if earlier is not None:
        changes = describe_changes(earlier.content, version.content, known)
        return {"against": f"version {earlier.version}", "earlier": earlier, "groups": grouped(changes),
                "count": len(changes)}
    template = version.template
    if template is None or not isinstance(template.defaults, dict):
        return None
    # Only what the template fills in is compared: title, parties and the like are the draft's own.
    mine = {key: version.content.get(key) for key in template.defaults}
    changes = describe_changes(template.defaults, mine, known)
    return {"against": f"the template {template.name} (version {template.version})", "earlier": None,
            "groups": grouped(changes), "count": len(changes)}
