"""Sign in, second factor, choice of (organisation, role), sign out.

Every outcome, good or bad, leaves a ``session`` entry in the audit log; every failure gets a page
that says what to do, never a stack trace.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from boroughhub.audit import record_event

from .acting import PENDING_SECOND_FACTOR_KEY, SESSION_KEY
from .forms import ChooseRoleForm, SecondFactorForm, SignInForm, error_list
from .models import User
from .second_factor import qr_code_svg

NEXT_KEY = "boroughhub_next"
MFA_AT_KEY = "boroughhub_mfa_at"


def _audit(request: HttpRequest, outcome: str, user: Any = None, **payload: Any) -> None:
    acting = getattr(request, "acting", None)
    record_event(
        "session",
        outcome,
        user=user,
        org_id=acting.org_id if acting else payload.pop("org_id", None),
        role=acting.role.value if acting else payload.pop("role", None),
        session_id=request.session.session_key,
        payload=payload,
    )


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return settings.LOGIN_REDIRECT_URL


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if getattr(request, "acting", None) is not None:
        return redirect("web:home")
    form = SignInForm(request.POST or None)
    failed = False
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            failed = True
            known = User.objects.filter(email=email).exists()
            _audit(request, "refused", event="sign_in", reason="bad_password" if known else "unknown_user", email=email)
        else:
            request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next"))
            needs_code = settings.REQUIRE_SECOND_FACTOR or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            if needs_code:
                request.session[PENDING_SECOND_FACTOR_KEY] = str(user.pk)
                return redirect("organisations:second_factor")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            _audit(request, "ok", user=user, event="sign_in")
            return redirect("organisations:choose_role")
    errors = error_list(form) if request.method == "POST" else []
    if failed:
        errors = [{"text": "Enter a correct email address and password", "href": "#email"}]
    return render(request, "organisations/sign_in.html", {"form": form, "form_errors": errors}, status=200)


@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """The TOTP step: verify a code, or set up an authenticator where production requires one."""
    pending = request.session.get(PENDING_SECOND_FACTOR_KEY)
    user = User.objects.filter(pk=pending, is_active=True).first() if pending else None
    if user is None:
        return redirect("organisations:sign_in")
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = SecondFactorForm(request.POST or None)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["code"].strip()):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            next_url = request.session.get(NEXT_KEY)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            # Signing an agreement in production needs a second factor within the last 15 minutes.
            request.session[MFA_AT_KEY] = datetime.now(UTC).isoformat()
            if next_url:
                request.session[NEXT_KEY] = next_url
            _audit(request, "ok", user=user, event="second_factor")
            return redirect("organisations:choose_role")
        _audit(request, "refused", user=user, event="second_factor", reason="wrong_code")
        errors = error_list(form) or [{"text": "The code is not right. Enter the 6-digit code from your authenticator app", "href": "#code"}]
    context = {
        "form": form,
        "form_errors": errors,
        "setting_up": not device.confirmed,
        "qr_svg": qr_code_svg(device.config_url) if not device.confirmed else "",
    }
    return render(request, "organisations/second_factor.html", context)


@require_http_methods(["GET", "POST"])
def choose_role(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("organisations:sign_in")
    grants = list(request.user.active_grants())  # type: ignore[union-attr]
    if not grants:
        _audit(request, "refused", user=request.user, event="choose_role", reason="no_role_held")
        return render(request, "organisations/no_role.html", status=403)
    form = ChooseRoleForm(request.POST or None, grants=grants)
    if request.method == "GET" and len(grants) == 1:
        return _start_acting(request, grants[0])
    if request.method == "POST":
        if form.is_valid():
            chosen = next(g for g in grants if g.pk == form.cleaned_data["grant"])
            return _start_acting(request, chosen)
        # A grant id the user does not hold (tampered form) is refused and audited like any other.
        _audit(request, "refused", user=request.user, event="choose_role", reason="role_not_held",
               grant=str(request.POST.get("grant", ""))[:40])
    return render(
        request,
        "organisations/choose_role.html",
        {"form": form, "grants": grants, "form_errors": error_list(form) if request.method == "POST" else []},
    )


def _start_acting(request: HttpRequest, grant: Any) -> HttpResponse:
    # Changing the (organisation, role) pair starts a new session (agreements spec §1.2).
    next_url = request.session.get(NEXT_KEY) or settings.LOGIN_REDIRECT_URL
    request.session.cycle_key()  # keeps the session's data (second factor included), new key
    request.session[SESSION_KEY] = grant.pk
    request.session.pop(NEXT_KEY, None)
    record_event(
        "session", "ok", user=request.user, org_id=grant.organisation_id, role=grant.role,
        session_id=request.session.session_key, payload={"event": "choose_role"},
    )
    return redirect(next_url)


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # Signing out changes state, so it takes a POST; a typed or bookmarked link gets the button.
        return render(request, "organisations/sign_out.html")
    if request.user.is_authenticated:
        _audit(request, "ok", user=request.user, event="sign_out")
    logout(request)
    return render(request, "organisations/signed_out.html")


def locked_out(request: HttpRequest, credentials: dict | None = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this after too many failed sign-ins (AXES_LOCKOUT_CALLABLE).

    For one locked-out attempt it runs twice, from ``sign_in`` and again from AxesMiddleware, which
    replaces the view's response: the attempt is audited the first time only.
    """
    email = (credentials or {}).get("username") or request.POST.get("email", "")
    if not getattr(request, "boroughhub_lockout_audited", False):
        request.boroughhub_lockout_audited = True  # type: ignore[attr-defined]
        _audit(request, "refused", event="sign_in", reason="locked_out", email=str(email)[:254])
    return render(request, "organisations/locked_out.html", status=429)
