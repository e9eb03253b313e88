"""The privacy officer's filters and the resident search; errors are phrased for the GOV.UK error summary."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from boroughhub.audit import EVENT_NAMES, OUTCOME_NAMES, AuditFilters

DAY_PARTS = ("day", "month", "year")
#: (field prefix, how the error names it)
DAYS = (("from", "first day"), ("to", "last day"))


def error_list(form: forms.Form) -> list[dict[str, str]]:
    """Errors as the GOV.UK error summary wants them: each links to its field."""
    anchors = getattr(form, "error_anchors", {})
    return [{"text": str(message), "href": f"#{anchors.get(name, name) if name != '__all__' else 'main-content'}"}
            for name, messages in form.errors.items() for message in messages]


class AuditFilterForm(forms.Form):
    from_day = forms.CharField(required=False)
    from_month = forms.CharField(required=False)
    from_year = forms.CharField(required=False)
    to_day = forms.CharField(required=False)
    to_month = forms.CharField(required=False)
    to_year = forms.CharField(required=False)
    person = forms.CharField(required=False, max_length=200, strip=True)
    event_type = forms.ChoiceField(required=False, choices=[("", "Any event"), *EVENT_NAMES.items()],
                                   error_messages={"invalid_choice": "Select an event from the list"})
    dataset = forms.ChoiceField(required=False, error_messages={"invalid_choice": "Select a dataset from the list"})
    outcome = forms.ChoiceField(required=False, choices=[("", "Any outcome"), *OUTCOME_NAMES.items()],
                                error_messages={"invalid_choice": "Select an outcome from the list"})
    agreement_id = forms.ChoiceField(required=False,
                                     error_messages={"invalid_choice": "Select an agreement from the list"})
    error_anchors = {"from": "from_day", "to": "to_day"}

    def __init__(self, *args: Any, datasets: list[tuple[str, str]], agreements: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = [("", "Any dataset"), *datasets]
        self.fields["agreement_id"].choices = [("", "Any agreement"), *agreements]

    def _day(self, data: dict[str, Any], prefix: str, name: str) -> date | None:
        parts = [str(data.get(f"{prefix}_{part}") or "").strip() for part in DAY_PARTS]
        if not any(parts):
            return None
        missing = [part for part, value in zip(DAY_PARTS, parts, strict=True) if not value]
        if missing:
            self.errors.setdefault(prefix, self.error_class()).append(
                f"The {name} must include a {' and a '.join(missing)}")
            return None
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1000:
                raise ValueError("a four-digit year")
            return date(year, month, day)
        except ValueError:
            self.errors.setdefault(prefix, self.error_class()).append(
                f"The {name} must be a real date, for example 27 3 2026")
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first = self._day(data, "from", "first day")
        last = self._day(data, "to", "last day")
        if first and last and last < first:
            self.errors.setdefault("to", self.error_class()).append(
                "The last day must be the same as or after the first day")
        data["first_day"], data["last_day"] = first, last
        return data

    def filters(self) -> AuditFilters:
        """The filters asked for (call after ``is_valid()``); none when the form is not valid."""
        if not self.is_bound or not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(first_day=data["first_day"], last_day=data["last_day"], person=data["person"],
                            event_type=data["event_type"], dataset=data["dataset"], outcome=data["outcome"],
                            agreement_id=data["agreement_id"])


class SubjectAccessForm(forms.Form):
    dataset = forms.ChoiceField(choices=[("chain", "CHAIN"), ("inform", "InForm"), ("hclic", "H-CLIC")],
                                error_messages={"required": "Select the dataset of the record"})
    record_key = forms.CharField(max_length=100, error_messages={"required": "Enter the record key"})
