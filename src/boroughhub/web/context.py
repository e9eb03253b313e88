"""Context every page gets: the CSP nonce, who the session acts as, and the service navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .jinja2env import url_or_none
from .navigation import navigation_for


def frame(request: HttpRequest) -> dict[str, Any]:
    acting = getattr(request, "acting", None)
    return {
        "cspNonce": getattr(request, "csp_nonce", ""),
        "acting": acting,
        "navigation": navigation_for(acting.role if acting else None, request.path, url_or_none),
    }
