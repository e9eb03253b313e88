"""The one access check, for a web request: guards pages and tells the frame what to offer.

A page's rule (``organisations.page_access.PageAccess``) is kept on its view as ``page_access``,
put there by its guard: ``guard_page`` here for pages that show data, ``require_role`` for pages
with a role rule only. ``offered_url`` finds the rule of any address through the URL map, so the
navigation, home cards, buttons and filter options ask exactly what the guard will ask.

Offers ask ``policy.decide`` directly, against the same cached snapshot as ``decide_and_audit``,
and are not audited: they read no data, and a page offered is decided and audited again when
opened. A refusal by the guard is audited, as every refused data access is. Answers are kept for
the request, so a page with many links asks each question once (docs/decisions/0030-one-access-model.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from boroughhub.agreements import policy
from boroughhub.agreements.enforce import request_decision, snapshot_cache
from boroughhub.agreements.snapshot import Request
from boroughhub.organisations import HUB_ADMINISTRATION, DataUse, PageAccess, role_gate

View = Callable[..., HttpResponse]


class _Answers:
    """The session's answers for one request: the snapshot read once, each question asked once."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.snapshot: Any = None
        self.permitted: dict[DataUse, bool] = {}

    def permits(self, use: DataUse) -> bool:
        if use not in self.permitted:
            acting = getattr(self.request, "acting", None)
            if acting is None:
                return False
            if self.snapshot is None:
                self.snapshot = snapshot_cache.get()
            question = Request(
                request_id="offer", user_id=str(acting.user.pk), org=acting.org_id, role=str(acting.role),
                action=use.action, dataset=use.dataset, fields=use.fields, purpose=use.purpose,
                time=datetime.now(UTC),
            )
            self.permitted[use] = policy.decide(question, self.snapshot).permitted
        return self.permitted[use]


def _answers(request: HttpRequest) -> _Answers:
    answers = getattr(request, "_page_access_answers", None)
    if answers is None:
        answers = _Answers(request)
        request._page_access_answers = answers  # type: ignore[attr-defined]
    return answers


def permits(request: HttpRequest, use: DataUse) -> bool:
    """Whether ``decide()`` would permit this use for the session now (not audited; kept per request)."""
    return _answers(request).permits(use)


def may_open(request: HttpRequest, access: PageAccess) -> bool:
    acting = getattr(request, "acting", None)
    return acting is not None and access.opens_for(acting.role, _answers(request).permits)


def page_access_of(view: Any, namespace: str = "") -> PageAccess | None:
    """The rule a view's guard checks; the Django admin's is its site's (``web.admin``)."""
    access = getattr(view, "page_access", None)
    if access is None and namespace == "admin":
        return HUB_ADMINISTRATION
    return access if isinstance(access, PageAccess) else None


def offered_url(request: HttpRequest, url_name: str, *args: Any, **kwargs: Any) -> str | None:
    """The address of a page if it would open for this session (with the query that opens it), else None.

    A page without a rule (start, accessibility, privacy) is open to anyone; an address that is not
    installed is never offered."""
    try:
        href = reverse(url_name, args=args or None, kwargs=kwargs or None)
        match = resolve(href)
    except (NoReverseMatch, Resolver404):
        return None
    access = page_access_of(match.func, match.namespace)
    if access is None:
        return href
    acting = getattr(request, "acting", None)
    if acting is None:
        return None
    query = access.opening_query(acting.role, _answers(request).permits)
    if query is None:
        return None
    return f"{href}?{query}" if query else href


def refusal_message(decision: Any) -> str:
    """Why, in words; the reason's code is in the refusal's audit entry, not on the page."""
    return policy.REASON_MESSAGES.get(decision.primary_reason.code, "No agreement allows this.")


def guard_page(access: PageAccess) -> Callable[[View], View]:
    """Signed in, in one of the rule's roles, and (for a page that shows data) permitted at least one
    of its uses by an agreement; otherwise the sign-in page or a 403 page saying why. A refusal on
    the agreements' grounds is decided again through ``request_decision`` so that it is audited."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            stopped = role_gate(request, access)
            if stopped is not None:
                return stopped
            if not access.opens_for(request.acting.role, _answers(request).permits):  # type: ignore[attr-defined]
                use = access.use_asked(request.GET.dict())
                if use is not None:
                    decision = request_decision(request, use.action, use.dataset, use.fields, use.purpose)
                    if not decision.permitted:
                        raise PermissionDenied(refusal_message(decision))
            return view(request, *args, **kwargs)

        guarded.page_access = access  # type: ignore[attr-defined]
        return guarded

    return decorator
