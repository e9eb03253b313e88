"""The calendar entry form: what a supplier sends, how often and when, as a hub data manager edits it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms

from boroughhub.submissions.statuses import SOURCE_LABELS

from .calendar import FREQUENCY_CHOICES

FIRST_MONTH_HELP = "Enter the first month as year and month, for example 2026-04"


class CalendarEntryForm(forms.Form):
    source = forms.ChoiceField(
        choices=list(SOURCE_LABELS.items()),
        error_messages={"required": "Select the source the supplier sends",
                        "invalid_choice": "Select CHAIN, InForm or H-CLIC"})
    frequency = forms.ChoiceField(
        choices=FREQUENCY_CHOICES,
        error_messages={"required": "Select how often the supplier sends it",
                        "invalid_choice": "Select every month or every quarter"})
    due_day = forms.IntegerField(
        min_value=1, max_value=28,
        error_messages={"required": "Enter the day of the month the extract is due, from 1 to 28",
                        "invalid": "Enter the due day as a number from 1 to 28",
                        "min_value": "Enter a due day from 1 to 28",
                        "max_value": "Enter a due day from 1 to 28 (every month has a 28th)"})
    first_month = forms.CharField(max_length=7, error_messages={"required": FIRST_MONTH_HELP})

    def clean_first_month(self) -> date:
        text = str(self.cleaned_data["first_month"]).strip()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise forms.ValidationError(FIRST_MONTH_HELP)
        return date(int(match.group(1)), int(match.group(2)), 1)


class NewCalendarEntryForm(CalendarEntryForm):
    """Adding a supplier: which organisation too (any active organisation with a supplier code)."""

    organisation = forms.ChoiceField(error_messages={
        "required": "Select the supplier", "invalid_choice": "Select one of the suppliers listed"})

    def __init__(self, *args: Any, suppliers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", ""), *suppliers]  # type: ignore[attr-defined]
        self.order_fields(["organisation", "source", "frequency", "due_day", "first_month"])
