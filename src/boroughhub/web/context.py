"""Context every page gets: the CSP nonce, who the session acts as, whether they hold another role
to change to, and the service navigation."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest

from boroughhub.agreements import offered_url

from .navigation import navigation_for


def holds_another_role(request: HttpRequest) -> bool:
    """Whether "Change role" leads anywhere: the signed-in person holds more than one active role
    (organisation and role pairs); kept for the request."""
    known = getattr(request, "_holds_another_role", None)
    if known is None:
        acting = getattr(request, "acting", None)
        known = (acting is not None and request.user.is_authenticated
                 and acting.user.active_grants().count() > 1)
        request._holds_another_role = known  # type: ignore[attr-defined]
    return bool(known)


def frame(request: HttpRequest) -> dict[str, Any]:
    acting = getattr(request, "acting", None)
    return {
        "cspNonce": getattr(request, "csp_nonce", ""),
        "acting": acting,
        "holds_another_role": holds_another_role(request),
        "navigation": navigation_for(request.path, partial(offered_url, request)) if acting else [],
    }
