"""Forms of the network's pages. Dates and times are entered in London time and stored as UTC instants."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django import forms

from boroughhub.network.apprentices.career import OpportunityKind
from boroughhub.network.apprentices.directory import SHAREABLE_FIELDS
from boroughhub.network.clock import LONDON
from boroughhub.network.events.audience import Audience

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def london_date_of(data: dict, prefix: str, form: forms.Form, field: str) -> date | None:
    """A date from GOV.UK's day, month and year boxes, or None with an error on ``field``."""
    try:
        return date(int(data.get(f"{prefix}-year") or 0), int(data.get(f"{prefix}-month") or 0),
                    int(data.get(f"{prefix}-day") or 0))
    except (TypeError, ValueError):
        form.add_error(field, "Enter a real date, for example 12 6 2027 (day, month and year as numbers).")
        return None


def clock_time(text: str) -> time | None:
    match = _TIME.match(text.strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


class EventForm(forms.Form):
    #: Entered as GOV.UK day, month and year boxes ("date-day", ...): this field only carries their error.
    date = forms.CharField(required=False)
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the event's title."})
    description = forms.CharField(max_length=5000, error_messages={"required": "Say what the event is about."})
    audience = forms.ChoiceField(choices=[(a.value, a.label) for a in Audience],
                                 error_messages={"required": "Choose who the event is for."})
    attendance = forms.ChoiceField(choices=[("venue", "At a venue"), ("online", "Online")],
                                   error_messages={"required": "Choose whether the event is at a venue or online."})
    venue = forms.CharField(max_length=300, required=False)
    capacity = forms.IntegerField(min_value=1, max_value=5000, error_messages={
        "required": "Enter how many places there are.", "invalid": "Enter the number of places as a whole number, like 40.",
        "min_value": "An event needs at least 1 place.", "max_value": "Enter at most 5000 places."})
    starts = forms.CharField(max_length=5, error_messages={"required": "Enter the start time, like 18:30."})
    ends = forms.CharField(max_length=5, error_messages={"required": "Enter the end time, like 20:00."})
    series = forms.ChoiceField(required=False, choices=[("", "None")])

    def __init__(self, *args: object, series_choices: list[tuple[str, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["series"].choices = [("", "Not part of a series"), *(series_choices or [])]
        self.starts_at: datetime | None = None
        self.ends_at: datetime | None = None

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("attendance") == "venue" and not (data.get("venue") or "").strip():
            self.add_error("venue", "Enter the venue's name and address, or choose Online.")
        day = london_date_of(self.data, "date", self, "date")
        starts, ends = clock_time(self.data.get("starts", "")), clock_time(self.data.get("ends", ""))
        if self.data.get("starts") and starts is None:
            self.add_error("starts", "Enter the start time as hours and minutes on the 24-hour clock, like 18:30.")
        if self.data.get("ends") and ends is None:
            self.add_error("ends", "Enter the end time as hours and minutes on the 24-hour clock, like 20:00.")
        if day and starts and ends:
            if ends <= starts:
                self.add_error("ends", "The end time must be after the start time.")
            self.starts_at = datetime.combine(day, starts, tzinfo=LONDON)
            self.ends_at = datetime.combine(day, ends, tzinfo=LONDON)
        return data


class SeriesForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the series' title, like London Data Week."})
    description = forms.CharField(max_length=2000, error_messages={"required": "Say what the series is."})


class CancelEventForm(forms.Form):
    reason = forms.CharField(max_length=300, error_messages={"required": "Say why the event is cancelled: registrants are told."})


class ApprenticeForm(forms.Form):
    #: Entered as GOV.UK day, month and year boxes ("end-day", ...): this field only carries their error.
    end = forms.CharField(required=False)
    name = forms.CharField(max_length=200, error_messages={"required": "Enter your name."})
    standard = forms.CharField(max_length=120, error_messages={"required": "Enter your apprenticeship standard, like Data analyst."})
    level = forms.IntegerField(min_value=2, max_value=7, error_messages={
        "required": "Enter your apprenticeship level, from 2 to 7.", "invalid": "Enter the level as a number from 2 to 7.",
        "min_value": "Enter a level from 2 to 7.", "max_value": "Enter a level from 2 to 7."})
    cohort = forms.CharField(max_length=40, error_messages={"required": "Enter your cohort, like 2026 spring."})
    interests = forms.CharField(max_length=300, required=False)
    shared = forms.MultipleChoiceField(required=False, choices=list(SHAREABLE_FIELDS.items()))

    def clean(self) -> dict:
        data = super().clean() or {}
        self.end_date = london_date_of(self.data, "end", self, "end")
        return data


class OpportunityForm(forms.Form):
    #: Entered as GOV.UK day, month and year boxes ("closes-day", ...): this field only carries their error.
    closes = forms.CharField(required=False)
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the opportunity's title."})
    kind = forms.ChoiceField(choices=[(k.value, k.label) for k in OpportunityKind],
                             error_messages={"required": "Choose what kind of opportunity it is."})
    description = forms.CharField(max_length=5000, error_messages={"required": "Describe the opportunity."})

    def clean(self) -> dict:
        data = super().clean() or {}
        self.closes_on = london_date_of(self.data, "closes", self, "closes")
        return data


class GuidanceForm(forms.Form):
    #: Entered as GOV.UK day, month and year boxes ("review-day", ...): this field only carries their error.
    review = forms.CharField(required=False)
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the guidance's title."})
    summary = forms.CharField(max_length=500, error_messages={"required": "Enter a one-paragraph summary."})
    body = forms.CharField(max_length=200_000, error_messages={"required": "Enter the guidance's text."})
    topics = forms.CharField(max_length=500, error_messages={"required": "Enter at least one topic, like data ethics."})
    related_projects = forms.CharField(max_length=500, required=False)
    related_agreements = forms.CharField(max_length=500, required=False)
    note = forms.CharField(max_length=300, required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        self.review_on = london_date_of(self.data, "review", self, "review")
        return data


class VacancyForm(forms.Form):
    role = forms.CharField(max_length=200, error_messages={"required": "Enter the role, like Data analyst."})
    grade = forms.CharField(max_length=60, error_messages={"required": "Enter the grade, like PO3 or Grade 8."})
    organisation = forms.ChoiceField(choices=[], error_messages={"required": "Choose the borough the vacancy is in."})

    def __init__(self, *args: object, boroughs: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].choices = [("", "Choose a borough"), *boroughs]


class CandidateForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the candidate's name."})
    source = forms.ChoiceField(choices=[("apprentice network", "Apprentice network"), ("member network", "Member network")],
                               error_messages={"required": "Choose which network the candidate came from."})


class FilledForm(forms.Form):
    #: Entered as GOV.UK day, month and year boxes ("filled-day", ...): this field only carries their error.
    filled = forms.CharField(required=False)
    salary = forms.CharField(max_length=12, error_messages={"required": "Enter the appointed salary in pounds, like 38000."})
    agency_fee_rate = forms.CharField(max_length=6, error_messages={"required": "Enter the agency fee rate as a percentage, like 20."})
    office_cost = forms.CharField(max_length=12, error_messages={"required": "Enter the office's cost of the placement in pounds, like 1500."})
    assumption_source = forms.CharField(max_length=300, error_messages={"required": "Say where the agency fee rate comes from."})

    def clean(self) -> dict:
        data = super().clean() or {}
        self.filled_on = london_date_of(self.data, "filled", self, "filled")
        for name in ("salary", "agency_fee_rate", "office_cost"):
            text = str(data.get(name, "")).replace(",", "").replace("£", "").replace("%", "").strip()
            if not text:
                continue
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = Decimal("NaN")
            if not value.is_finite() or not Decimal("0") <= value <= Decimal("1000000"):
                self.add_error(name, "Enter a number from 0 to 1,000,000, like 38000 (no letters).")
            else:
                data[name] = value
        return data
