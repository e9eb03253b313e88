"""The guidance library's pages: search (the same search as ``boroughhub guidance search``), a document
with its versions, what changed between two versions, and the owner's pages (new guidance, a new
version, guidance due for review). Guidance is for everyone signed in; only owners change it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from boroughhub.network.clock import london_today
from boroughhub.network.forms import GuidanceForm
from boroughhub.network.guidance.search import GuidanceQuery, topics_of
from boroughhub.network.guidance.versions import changes_between, is_stale
from boroughhub.network.models import GuidanceDocument
from boroughhub.network.store import guidance as store
from boroughhub.network.store.guidance_search import search_guidance
from boroughhub.organisations import Role, require_role

from .common import acting_of, form_errors


def query_of(request: HttpRequest) -> GuidanceQuery:
    return GuidanceQuery(text=request.GET.get("q", "")[:200], topic=request.GET.get("topic", "")[:80],
                         stale_only=request.GET.get("stale") == "yes")


@require_GET
@require_role()
def library(request: HttpRequest) -> HttpResponse:
    query = query_of(request)
    hits = search_guidance(query, london_today())
    return render(request, "network/guidance/library.html", {
        "query": query, "hits": hits, "topics": store.all_topics(),
        "may_publish": acting_of(request).role == Role.GUIDANCE_OWNER})


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


@require_GET
@require_role()
def document(request: HttpRequest, slug: str) -> HttpResponse:
    doc = get_object_or_404(GuidanceDocument.objects.select_related("owner", "organisation"), slug=slug)
    acting = acting_of(request)
    return render(request, "network/guidance/document.html", {
        "doc": doc, "paragraphs": _paragraphs(doc.body), "topics": topics_of(doc.topics),
        "versions": doc.versions.select_related("saved_by").order_by("-number"),
        "stale": is_stale(doc.review_on, london_today()),
        "owns": acting.role == Role.GUIDANCE_OWNER and acting.user.pk == doc.owner_id})


@require_GET
@require_role()
def changes(request: HttpRequest, slug: str) -> HttpResponse:
    doc = get_object_or_404(GuidanceDocument, slug=slug)
    try:
        newer_number = int(request.GET.get("to", doc.version))
        older_number = int(request.GET.get("from", newer_number - 1))
    except ValueError as error:
        raise Http404("Give version numbers, like ?from=1&to=2") from error
    older = doc.versions.filter(number=older_number).first()
    newer = doc.versions.filter(number=newer_number).first()
    if older is None or newer is None:
        raise Http404("No such version")
    return render(request, "network/guidance/changes.html", {
        "doc": doc, "older": older, "newer": newer,
        "text_changes": changes_between(older.body, newer.body),
        "summary_changed": older.summary != newer.summary, "title_changed": older.title != newer.title})


def _text_of(form: GuidanceForm) -> store.GuidanceText:
    data = form.cleaned_data
    assert form.review_on is not None
    return store.GuidanceText(data["title"], data["summary"], data["body"], store.topics_from_text(data["topics"]),
                              form.review_on, data.get("related_projects", ""), data.get("related_agreements", ""),
                              data.get("note", ""))


@require_http_methods(["GET", "POST"])
@require_role(Role.GUIDANCE_OWNER)
def new_document(request: HttpRequest) -> HttpResponse:
    form = GuidanceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and form.review_on:
        acting = acting_of(request)
        doc = store.create_document(_text_of(form), acting.user, acting.organisation.pk)
        return redirect(f"/guidance/{doc.slug}/")
    return render(request, "network/guidance/edit.html", {"form": form, "form_errors": form_errors(form), "doc": None,
                                                          "initial_review": {}})


@require_http_methods(["GET", "POST"])
@require_role(Role.GUIDANCE_OWNER)
def new_version(request: HttpRequest, slug: str) -> HttpResponse:
    doc = get_object_or_404(GuidanceDocument, slug=slug)
    if doc.owner_id != acting_of(request).user.pk:
        raise Http404("Only the document's owner saves new versions")
    initial = {"title": doc.title, "summary": doc.summary, "body": doc.body,
               "topics": ", ".join(topics_of(doc.topics)), "related_projects": doc.related_projects,
               "related_agreements": doc.related_agreements}
    form = GuidanceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid() and form.review_on:
        store.save_new_version(doc.pk, _text_of(form), acting_of(request).user)
        return redirect(f"/guidance/{doc.slug}/")
    review = {"review-day": doc.review_on.day, "review-month": doc.review_on.month, "review-year": doc.review_on.year}
    return render(request, "network/guidance/edit.html", {"form": form, "form_errors": form_errors(form), "doc": doc,
                                                          "initial_review": review})


@require_GET
@require_role(Role.GUIDANCE_OWNER)
def due_for_review(request: HttpRequest) -> HttpResponse:
    today = london_today()
    owner = acting_of(request).user
    return render(request, "network/guidance/review.html", {
        "stale": store.stale_documents(today, owner=owner), "today": today,
        "flags": store.review_messages_for(owner)})
