"""Response headers every page gets: a strict Content Security Policy, and ``Cache-Control: no-store``.

The CSP is written here rather than taken from django-csp because the policy is one fixed header and
the GOV.UK template needs only a per-request nonce
(docs/decisions/0006-configuration-and-security-headers.md). ``no-store`` keeps pages and downloads
out of browser and proxy caches (docs/decisions/0050-no-store-on-every-page.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            # The Django admin uses inline scripts of its own; it is for hub admins only.
            policy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
        else:
            policy = (
                f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
                "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; "
                "form-action 'self'; frame-ancestors 'none'"
            )
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response the application itself writes.

    Any page or download may carry personal or unpublished data (a linkage pair, a report CSV, the
    audit log), and deciding page by page is how one gets forgotten: so every response is
    ``no-store`` by default, signed in or not. Only static assets stay cacheable: WhiteNoise answers
    those before this middleware runs, and the path test below keeps it so if the order changes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(str(settings.STATIC_URL)):
            # Replaces any weaker value a view set (max-age, private): nothing here may be kept.
            response.headers["Cache-Control"] = "no-store"
        return response
