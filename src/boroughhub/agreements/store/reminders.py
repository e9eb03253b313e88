"""In-hub notifications and the reminders of spec §2.7 (reviews, expiry, pending signatures).

Each reminder is identified by (version, kind, offset) and sent at most once; if the hub was down
on the day, it goes at the next run unless a later reminder of the same kind is already due.
Notifications carry the agreement id, title, date and a link, never resident data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from boroughhub.agreements.models import AgreementVersion, Notification

from .notices import notify, now
from .signing import designated_signatory, effective_sign_offs

LONDON = ZoneInfo("Europe/London")
BEFORE_DAYS = (60, 30, 7)


@dataclass(frozen=True)
class Reminder:
    kind: str  # review_due | expiry | signature_pending
    offset: str  # "-60", "0", "+7", ...
    due_on: date
    subject: str


def london_date(value: datetime) -> date:
    return value.astimezone(LONDON).date()


def review_reminders(review_due: date, today: date) -> list[tuple[str, date]]:
    """60, 30 and 7 days before, on the day, then weekly until a review is recorded."""
    out = [(f"-{d}", review_due - timedelta(days=d)) for d in BEFORE_DAYS] + [("0", review_due)]
    week = 1
    while review_due + timedelta(weeks=week) <= today:
        out.append((f"+{7 * week}", review_due + timedelta(weeks=week)))
        week += 1
    return out


def expiry_reminders(expires_at: datetime) -> list[tuple[str, date]]:
    """The base date is the London date of ``expires_at``; the last reminder is the last day in force."""
    base = london_date(expires_at)
    return [(f"-{d}", base - timedelta(days=d)) for d in BEFORE_DAYS] + [("last-day", base - timedelta(days=1))]


def signature_reminders(submitted_on: date, today: date) -> list[tuple[str, date]]:
    out = []
    day = 7
    while submitted_on + timedelta(days=day) <= today:
        out.append((f"+{day}", submitted_on + timedelta(days=day)))
        day += 7
    return out


def latest_due(schedule: list[tuple[str, date]], today: date) -> tuple[str, date] | None:
    due = [item for item in schedule if item[1] <= today]
    return max(due, key=lambda item: item[1]) if due else None


def due_reminders(version: AgreementVersion, today: date) -> list[Reminder]:
    """The reminders of one version that should have gone out by ``today`` (the latest of each kind)."""
    found: list[Reminder] = []
    name = f"{version.title} (version {version.version})"
    if version.status in ("active", "suspended"):
        review_due = _review_due(version)
        if review_due is not None:
            item = latest_due(review_reminders(review_due, today), today)
            if item is not None:
                found.append(Reminder("review_due", item[0], item[1], f"Review of {name} due on {review_due:%-d %B %Y}"))
        if version.expires_at is not None:
            item = latest_due(expiry_reminders(version.expires_at), today)
            if item is not None and today < london_date(version.expires_at):
                last_day = london_date(version.expires_at) - timedelta(days=1)
                found.append(Reminder("expiry", item[0], item[1], f"{name} ends after {last_day:%-d %B %Y}"))
    if version.status == "in_signature":
        submitted = version.status_history.filter(status="in_signature").order_by("-at").first()
        if submitted is not None:
            item = latest_due(signature_reminders(london_date(submitted.at), today), today)
            if item is not None:
                found.append(Reminder("signature_pending", item[0], item[1], f"{name} is waiting for signatures"))
    return found


def _review_due(version: AgreementVersion) -> date | None:
    review = version.reviews.order_by("-reviewed_on", "-id").first()
    if review is not None:
        return review.next_review_due
    return version.review_due


def send_due_reminders(today: date | None = None) -> list[Notification]:
    """Create the notifications due by ``today`` (London) that were not sent before."""
    today = today or london_date(now())
    sent: list[Notification] = []
    versions = AgreementVersion.objects.filter(status__in=("active", "suspended", "in_signature"))
    for version in versions.select_related("agreement"):
        link = f"/agreements/{version.agreement_id}/{version.version}"
        for reminder in due_reminders(version, today):
            recipients = _recipients(version, reminder.kind)
            if reminder.kind == "signature_pending":
                signed = effective_sign_offs(version)
                recipients = [(org, role) for org, role in recipients if org not in signed]
                waiting = [org for org in version.party_ids if org not in signed and designated_signatory(version, org)]
                recipients = [(org, role) for org, role in recipients if org in waiting]
            for org_id, role in recipients:
                key = f"{version.pk}:{reminder.kind}:{reminder.offset}:{org_id}:{role}"
                if notify(org_id, role, reminder.kind, reminder.subject,
                          f"Agreement {version.agreement_id}, due {reminder.due_on.isoformat()}.", link=link, key=key):
                    sent.append(Notification.objects.get(key=key))
    return sent


def _recipients(version: AgreementVersion, kind: str) -> list[tuple[str, str]]:
    parties = sorted(version.member_ids, key=lambda org: (org != version.lead_party_id, org))  # the lead first
    roles = {"review_due": ("ig_lead", "privacy_officer"), "expiry": ("ig_lead", "privacy_officer"),
             "signature_pending": ("ig_lead",)}[kind]
    return [(org, role) for org in parties for role in roles]
