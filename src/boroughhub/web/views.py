"""The frame's own pages: start, home per role, accessibility, privacy, and the error pages."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from boroughhub.agreements import offered_url
from boroughhub.organisations import require_role

from .context import holds_another_role
from .home import home_for, open_tasks


def start(request: HttpRequest) -> HttpResponse:
    if getattr(request, "acting", None) is not None:
        return redirect("web:home")
    return render(request, "web/start.html")


@require_role()
def home(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    home = home_for(acting.role)
    context: dict[str, Any] = {"home": home, "tasks": open_tasks(home, partial(offered_url, request)),
                               "demo_evaluation": None}
    from boroughhub.web.management.demo_steps import DEMO_EVALUATION_RUN

    if (settings.DATA_DIR / "evaluations" / str(DEMO_EVALUATION_RUN) / "output" / "results.json").exists():
        context["demo_evaluation"] = offered_url(request, "evaluation:run", DEMO_EVALUATION_RUN)
    return render(request, "web/home.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "web/privacy.html")


def _error(request: HttpRequest, status: int, title: str, message: str, what_to_do: str) -> HttpResponse:
    context = {"status": status, "title": title, "message": message, "what_to_do": what_to_do}
    return render(request, "web/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, "Sorry, there is a problem with that request", "The request could not be understood.",
                  "Go back and try again.")


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    detail = str(exception) if exception and str(exception) else ""
    what_to_do = "If you think you should have access, ask your organisation's information governance lead."
    if holds_another_role(request):
        # Only someone with another role to change to is sent to Change role (it is not shown otherwise).
        what_to_do += " If this page is for another of your roles, choose Change role at the top of the page."
    return _error(
        request, 403, "You do not have permission to see this page",
        detail or "Your organisation and role do not give access to this page.", what_to_do,
    )


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, "Page not found", "If you typed the web address, check it is correct.",
                  "If you pasted the web address, check you copied the entire address.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "Sorry, there is a problem with the service",
                  "Nothing you entered has been lost or half-saved.", "Try again later.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    from boroughhub.audit import record_event

    acting = getattr(request, "acting", None)
    record_event(
        "session", "refused",
        user=request.user if request.user.is_authenticated else None,
        org_id=acting.org_id if acting else None,
        role=acting.role.value if acting else None,
        payload={"event": "csrf_failure", "path": request.path[:200]},
    )
    return _error(request, 403, "Your form could not be sent",
                  "The page was open for too long, or it was sent from somewhere other than boroughhub.",
                  "Go back, reload the page and try again.")
