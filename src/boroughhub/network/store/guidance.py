"""Guidance documents on the database side: saving a first or new version (every version kept whole),
the owner's review list and the flags sent to owners of stale guidance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from boroughhub.agreements import Notification
from boroughhub.audit import record_event
from boroughhub.network.clock import london_date_text, network_now
from boroughhub.network.guidance.search import stored_topics, topics_of
from boroughhub.network.models import GuidanceDocument, GuidanceVersion

RESERVED_SLUGS = frozenset({"new", "review"})


@dataclass(frozen=True)
class GuidanceText:
    title: str
    summary: str
    body: str
    topics: list[str]
    review_on: date
    related_projects: str = ""
    related_agreements: str = ""
    note: str = ""


def topics_from_text(text: str) -> list[str]:
    return [topic for topic in (part.strip() for part in text.replace(";", ",").split(",")) if topic]


def _slug(title: str) -> str:
    base = slugify(title)[:90] or "guidance"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or GuidanceDocument.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_document(text: GuidanceText, owner: Any, organisation_id: str) -> GuidanceDocument:
    with transaction.atomic():
        now = network_now()
        document = GuidanceDocument.objects.create(
            slug=_slug(text.title), title=text.title, summary=text.summary, body=text.body,
            topics=stored_topics(text.topics), owner=owner, organisation_id=organisation_id, version=1,
            review_on=text.review_on, related_projects=text.related_projects,
            related_agreements=text.related_agreements, changed_at=now)
        GuidanceVersion.objects.create(document=document, number=1, title=text.title, summary=text.summary,
                                       body=text.body, note=text.note or "First version", saved_by=owner, saved_at=now)
        record_event("registry", "ok", user=owner, org_id=organisation_id, role="guidance_owner",
                     action="guidance_published", payload={"document": document.slug, "version": 1})
    return document


def save_new_version(document_id: int, text: GuidanceText, by: Any) -> GuidanceDocument:
    with transaction.atomic():
        document = GuidanceDocument.objects.select_for_update().get(pk=document_id)
        document.version += 1
        document.title, document.summary, document.body = text.title, text.summary, text.body
        document.topics, document.review_on = stored_topics(text.topics), text.review_on
        document.related_projects, document.related_agreements = text.related_projects, text.related_agreements
        document.changed_at = network_now()
        document.save()
        GuidanceVersion.objects.create(document=document, number=document.version, title=text.title,
                                       summary=text.summary, body=text.body, note=text.note, saved_by=by,
                                       saved_at=document.changed_at)
        record_event("registry", "ok", user=by, org_id=document.organisation_id, role="guidance_owner",
                     action="guidance_versioned",
                     payload={"document": document.slug, "version": document.version})
    return document


def all_topics() -> list[str]:
    found: set[str] = set()
    for topics in GuidanceDocument.objects.values_list("topics", flat=True).distinct():
        found.update(topics_of(topics))
    return sorted(found)


def stale_documents(today: date, owner: Any | None = None) -> QuerySet[GuidanceDocument]:
    documents = GuidanceDocument.objects.filter(review_on__lt=today).select_related("owner")
    return documents if owner is None else documents.filter(owner=owner)


def flag_stale_guidance(today: date) -> int:
    """Tell each owner of guidance past its review date, once per document and review date."""
    flagged = 0
    for document in stale_documents(today):
        try:
            with transaction.atomic():
                Notification.objects.create(
                    organisation_id=document.organisation_id, role="guidance_owner", user=document.owner,
                    kind="guidance_review_due", subject=f"Review due: {document.title}",
                    body=f"Its review date was {london_date_text(document.review_on)}. Check it is still right, "
                         "then save a new version or set a new review date.",
                    link=f"/guidance/{document.slug}/", created_at=network_now(),
                    key=f"network:guidance-stale:{document.pk}:{document.review_on.isoformat()}")
        except IntegrityError:
            continue
        record_event("notification", "ok", user="system", org_id=document.organisation_id,
                     action="guidance_review_due", payload={"document": document.slug})
        flagged += 1
    return flagged


def review_messages_for(owner: Any, limit: int = 20) -> list[Notification]:
    """The review-due messages sent to an owner, newest first."""
    return list(Notification.objects.filter(user=owner, kind="guidance_review_due")[:limit])
