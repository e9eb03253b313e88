"""The attack surface pages: a council's register (its security lead only, its own council only), scope
and authorisation, imports, running the checks, a finding's status, downloads, and the collaboration's
comparison across councils (programme manager and hub admin; counts only, no assets)."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Count, Max, Q
from django.forms import RadioSelect
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from boroughhub.agreements import Notification  # the hub's one outbox
from boroughhub.asm import store
from boroughhub.asm.charts import open_findings_chart
from boroughhub.asm.checks import ResolverError, parse_resolver
from boroughhub.asm.downloads import as_csv, as_xlsx
from boroughhub.asm.imports import FORMATS, read_inventory_file
from boroughhub.asm.london import FindingFact, compare_councils
from boroughhub.asm.report import london_time, register_table
from boroughhub.asm.rules import RULES, STATUS_LABELS, known_exploited
from boroughhub.organisations import Role, require_role

from .forms import WEB_TARGET_LIMIT, AssetForm, AuthoriseForm, ImportForm, RunForm, ScopeEntryForm, StatusForm
from .models import Asset, CheckRun, Finding

LEAD = Role.SECURITY_LEAD
REFRESH_SECONDS = 2
logger = logging.getLogger(__name__)


def _errors(form: Any) -> list[dict[str, str]]:
    """The error summary's links, each to its field (the first radio of a set of radios)."""
    summary = []
    for name, messages in form.errors.items():
        if name == "__all__":
            href = "#main-content"
        else:
            radios = isinstance(form.fields[name].widget, RadioSelect)
            href = f"#{form[name].auto_id}{'-1' if radios else ''}"
        summary += [{"text": str(message), "href": href} for message in messages]
    return summary


def _council(request: HttpRequest) -> str:
    return request.acting.org_id  # type: ignore[attr-defined]


def _common(request: HttpRequest) -> dict[str, Any]:
    return {"council_name": request.acting.organisation.name, "london_time": london_time,  # type: ignore[attr-defined]
            "status_labels": STATUS_LABELS}


@require_GET
@require_role(LEAD)
def index(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    findings = store.findings_of(council)
    order = {"open": 0, "accepted": 1, "false_positive": 2, "resolved": 3}
    findings.sort(key=lambda f: (order[f.status], -f.priority, f.rule, f.asset.name))
    last_run = CheckRun.objects.filter(council_id=council, status="done").first()
    alerts = Notification.objects.filter(organisation_id=council, role=LEAD.value, kind="asm_changes")[:5]
    return render(request, "asm/index.html", {
        **_common(request), "scope": store.scope_of(council), "findings": findings, "last_run": last_run,
        "asset_count": Asset.objects.filter(council_id=council).count(),
        "open_count": sum(1 for f in findings if f.status == "open"), "kev": known_exploited(), "alerts": alerts,
    })


@require_http_methods(["GET", "POST"])
@require_role(LEAD)
def scope_page(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    entry_form, authorise_form = ScopeEntryForm(prefix="entry"), AuthoriseForm(prefix="auth")
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        if "remove" in request.POST:
            if request.POST["remove"].isdigit():
                store.remove_from_scope(council, int(request.POST["remove"]), by=request.user, role=LEAD.value)
            return redirect("asm:scope")
        if "withdraw" in request.POST:
            store.withdraw_authorisation(council, by=request.user, role=LEAD.value)
            return redirect("asm:scope")
        if "entry-entry" in request.POST:
            entry_form = ScopeEntryForm(request.POST, prefix="entry")
            if entry_form.is_valid():
                store.add_to_scope(council, entry_form.cleaned_data["entry"], excluded=entry_form.cleaned_data["excluded"],
                                   by=request.user, role=LEAD.value, now=timezone.now())
                return redirect("asm:scope")
            errors = _errors(entry_form)
        else:
            authorise_form = AuthoriseForm(request.POST, prefix="auth")
            if authorise_form.is_valid():
                data = authorise_form.cleaned_data
                store.authorise_scope(council, authorised_by=data["authorised_by"], authorised_on=data["authorised_on"],
                                      reference=data["reference"], by=request.user, role=LEAD.value)
                return redirect("asm:scope")
            errors = _errors(authorise_form)
    row = store.scope_row(council)
    return render(request, "asm/scope.html", {
        **_common(request), "row": row, "entries": list(row.entries.all()), "entry_form": entry_form,
        "authorise_form": authorise_form, "form_errors": errors}, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
@require_role(LEAD)
def import_page(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {**_common(request), "form": form, "problems": [], "form_errors": [], "outcome": None}
    if request.method == "POST":
        if not form.is_valid():
            context["form_errors"] = _errors(form)
            return render(request, "asm/import.html", context, status=400)
        upload = form.cleaned_data["file"]
        imported = read_inventory_file(upload.read(), form.cleaned_data["format"])
        if imported.problems:
            context["problems"] = imported.problems[:100]
            context["form_errors"] = [{"text": f"{upload.name} was refused: {len(imported.problems)} problem(s). "
                                               f"Nothing was imported.", "href": "#problems"}]
            return render(request, "asm/import.html", context, status=400)
        context["outcome"] = store.import_inventory(council, imported, by=request.user, role=LEAD.value,
                                                    now=timezone.now(), file_name=upload.name)
        context["imported_name"] = upload.name
        context["imported_format"] = FORMATS[imported.source]
        context["form"] = ImportForm()
    return render(request, "asm/import.html", context)


@require_http_methods(["GET", "POST"])
@require_role(LEAD)
def run_page(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    # The inventory's hosts and services, to start from (imported lists, earlier runs).
    form = RunForm(request.POST or None,
                   initial={"targets": "\n".join(store.inventory_targets(council, WEB_TARGET_LIMIT))})
    scope = store.scope_of(council)
    context: dict[str, Any] = {**_common(request), "form": form, "scope": scope, "form_errors": []}
    if request.method == "POST":
        server = None
        if form.is_valid() and form.cleaned_data["resolver"]:
            try:
                server = parse_resolver(form.cleaned_data["resolver"])
            except ResolverError as error:
                form.add_error("resolver", str(error))
            else:
                # From the web, the hub sends DNS questions only to a server inside the council's own scope.
                refusal = scope.refusal_for_host(server[0])
                if refusal:
                    form.add_error("resolver", f"The DNS server must be inside your authorised scope: {refusal}.")
        if not form.is_valid():
            context["form_errors"] = _errors(form)
            return render(request, "asm/run.html", context, status=400)
        queued = store.queue_web_run(council, form.cleaned_data["targets"], form.cleaned_data["resolver"].strip(),
                                     by=request.user, now=timezone.now())
        _enqueue(queued)
        return redirect("asm:run_detail", run_id=queued.pk)
    return render(request, "asm/run.html", context)


def _enqueue(run: CheckRun) -> None:
    from .tasks import check_targets

    try:
        check_targets.enqueue(run.pk)
    except Exception:
        logger.exception("could not queue attack surface run %s", run.pk)
        run.status, run.finished_at = "failed", timezone.now()
        run.failure = "The run could not be queued; nothing was checked. Run the checks again."
        run.save(update_fields=["status", "finished_at", "failure"])


@require_GET
@require_role(LEAD)
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(CheckRun, pk=run_id, council_id=_council(request))
    working = run.status in ("queued", "running")
    return render(request, "asm/run_detail.html", {**_common(request), "run": run,
                                                   "refresh_seconds": REFRESH_SECONDS if working else None})


@require_GET
@require_role(LEAD)
def assets_page(request: HttpRequest) -> HttpResponse:
    assets = Asset.objects.filter(council_id=_council(request)).annotate(
        open_findings=Count("findings", filter=Q(findings__status="open")))
    return render(request, "asm/assets.html", {**_common(request), "assets": assets})


@require_http_methods(["GET", "POST"])
@require_role(LEAD)
def asset_page(request: HttpRequest, asset_id: int) -> HttpResponse:
    council = _council(request)
    asset = get_object_or_404(Asset, pk=asset_id, council_id=council)
    form = AssetForm(request.POST or None, initial={"owner_team": asset.owner_team, "criticality": asset.criticality})
    if request.method == "POST" and form.is_valid():
        store.set_asset_owner(council, asset.pk, owner_team=form.cleaned_data["owner_team"],
                              criticality=form.cleaned_data["criticality"], by=request.user, role=LEAD.value)
        return redirect("asm:assets")
    errors = _errors(form) if request.method == "POST" else []
    return render(request, "asm/asset.html", {**_common(request), "asset": asset, "form": form, "form_errors": errors,
                                              "findings": asset.findings.all()}, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
@require_role(LEAD)
def finding_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    council = _council(request)
    finding = get_object_or_404(Finding.objects.select_related("asset"), pk=finding_id, council_id=council)
    form = StatusForm(request.POST or None, initial={"status": finding.status, "owner": finding.owner})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            store.set_status(council, finding.pk, status=data["status"], reason=data["reason"], owner=data["owner"],
                             by=request.user, role=LEAD.value, now=timezone.now())
            return redirect("asm:index")
        return render(request, "asm/finding.html", {**_common(request), "finding": finding, "form": form,
                                                    "rule": RULES.get(finding.rule), "form_errors": _errors(form)},
                      status=400)
    return render(request, "asm/finding.html", {**_common(request), "finding": finding, "form": form,
                                                "rule": RULES.get(finding.rule)})


@require_GET
@require_role(LEAD)
def download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ("csv", "xlsx"):
        raise Http404("The register downloads as findings.csv or findings.xlsx.")
    table = register_table(store.register_rows(store.findings_of(_council(request))))
    if kind == "csv":
        response = HttpResponse(as_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(as_xlsx(table),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="attack-surface-findings.{kind}"'
    return response


OTHER_COUNCILS = "Other London councils, together"


@require_GET
@require_role(Role.PROGRAMME_MANAGER, Role.HUB_ADMIN, LEAD)
def london_page(request: HttpRequest) -> HttpResponse:
    """The collaboration sees each council by name; a council's security lead sees their own council beside
    the others taken together, so no council learns another's exposures."""
    own = _council(request) if request.acting.role == LEAD else None  # type: ignore[attr-defined]

    def shown(council: Any) -> str:
        return council.name if own is None or council.pk == own else OTHER_COUNCILS

    facts = [FindingFact(shown(f.council), f.rule, f.status, f.first_seen, f.resolved_at)
             for f in Finding.objects.select_related("council").only(
                 "council__name", "rule", "status", "first_seen", "resolved_at")]
    runs = (CheckRun.objects.values("council__name").annotate(last=Max("finished_at"), runs=Count("id"))
            .order_by("council__name")) if own is None else []
    rows = compare_councils(facts)
    return render(request, "asm/london.html", {"rows": rows, "chart": open_findings_chart(rows), "runs": runs,
                                               "own": own, "london_time": london_time})
