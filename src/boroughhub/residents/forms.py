"""The resident search, break-glass and alert-closing forms: each error says what to type."""

from __future__ import annotations

from datetime import date

from django import forms

from .models import BreakGlassAlert
from .store.breakglass import MIN_REASON_CHARACTERS


class DateOfBirthForm(forms.Form):
    """Day, month and year boxes (the GOV.UK date input), read into ``cleaned_data['date_of_birth']``."""

    dob_required = False
    dob_day = forms.CharField(required=False, max_length=2)
    dob_month = forms.CharField(required=False, max_length=2)
    dob_year = forms.CharField(required=False, max_length=4)

    def clean_date_of_birth(self, data: dict) -> date | None:
        parts = [str(data.get(name) or "").strip() for name in ("dob_day", "dob_month", "dob_year")]
        if not any(parts):
            if self.dob_required:
                self.add_error("dob_day", "Enter the date of birth, for example 14 6 1961.")
            return None
        try:
            day, month, year = (int(p) for p in parts)
            return date(year, month, day)
        except ValueError:
            self.add_error("dob_day", "Enter a real date of birth: day, month and year in numbers, for example 14 6 1961.")
            return None


class SearchForm(DateOfBirthForm):
    # The error summary lists problems in the order the page asks its questions.
    field_order = ["surname", "forename", "dob_day", "dob_month", "dob_year", "purpose", "reason"]
    surname = forms.CharField(label="Surname", max_length=100, error_messages={
        "required": "Enter the resident's surname, or at least its first two letters."})
    forename = forms.CharField(label="Forename (optional)", max_length=100, required=False)
    purpose = forms.CharField(label="Why are you looking?", max_length=300, min_length=5, error_messages={
        "required": "Say why you are looking, for example 'Care Act assessment review'.",
        "min_length": "Say why you are looking in a few words, for example 'Care Act assessment review'."})

    def clean(self) -> dict:
        data = super().clean()
        data["date_of_birth"] = self.clean_date_of_birth(data)
        return data


class BreakGlassForm(SearchForm):
    dob_required = True
    reason = forms.CharField(label="Why must you open this resident without a relationship?", max_length=2000,
                             min_length=MIN_REASON_CHARACTERS, widget=forms.Textarea, error_messages={
                                 "required": "Type the reason: the privacy officers of every organisation whose data "
                                             "you see will read it.",
                                 "min_length": f"Type the reason in at least {MIN_REASON_CHARACTERS} characters."})


class CloseAlertForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=BreakGlassAlert.OUTCOMES, widget=forms.RadioSelect,
                                error_messages={"required": "Choose the outcome of your review."})
    note = forms.CharField(label="Note (optional)", max_length=2000, required=False, widget=forms.Textarea)
