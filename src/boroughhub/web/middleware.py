"""A strict Content Security Policy: our own scripts and styles only, inline script by nonce.

Written here rather than taken from django-csp because the policy is one fixed header and the
GOV.UK template needs only a per-request nonce (docs/decisions/0006-configuration-and-security-headers.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

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
