"""The network's landing page: the way in from the service navigation for the network's own roles.

The section points here rather than at the public events list so that it is offered to the roles the
network is for (its rule), not to every session of the data hub."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from boroughhub.organisations import Role, require_role

NETWORK_ROLES = (Role.EVENT_ORGANISER, Role.APPRENTICE, Role.APPRENTICE_MANAGER, Role.GUIDANCE_OWNER,
                 Role.PROGRAMME_MANAGER)


@require_GET
@require_role(*NETWORK_ROLES)
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "network/landing.html")
