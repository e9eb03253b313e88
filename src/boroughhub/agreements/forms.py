"""Forms of the IG lead and privacy officer pages; errors are phrased for the GOV.UK error summary."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from django import forms

AGREEMENT_ID = re.compile(r"^[a-z][a-z0-9-]{1,59}$")


def error_list(form: forms.Form) -> list[dict[str, str]]:
    """Errors as the GOV.UK error summary wants them: each links to its field."""
    out = []
    for name, messages in form.errors.items():
        anchor = form.error_anchors.get(name, name) if hasattr(form, "error_anchors") else name
        for message in messages:
            out.append({"text": str(message), "href": f"#{anchor if name != '__all__' else 'main-content'}"})
    return out


class SignForm(forms.Form):
    """S3 and S7: the hash shown travels with the form; the signer confirms their authority."""

    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")],
        error_messages={"required": "Select whether you approve or decline this version"})
    reason = forms.CharField(required=False, max_length=2000)
    position = forms.CharField(max_length=200, error_messages={"required": "Enter your position, for example SIRO"})
    confirm = forms.BooleanField(required=False)
    content_hash = forms.CharField(max_length=71, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput, initial=lambda: str(uuid.uuid4()))

    error_anchors = {"decision": "decision", "reason": "reason", "position": "position", "confirm": "confirm"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "approve" and not data.get("confirm"):
            self.add_error("confirm", "Confirm that you are authorised to approve this version")
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why you are declining")
        return data


class DesignateForm(forms.Form):
    user = forms.ChoiceField(error_messages={"required": "Select who signs for your organisation",
                                             "invalid_choice": "Select one of the people listed"})

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(str(p.pk), p.display_name or p.email) for p in people]


class DateParts(forms.MultiValueField):
    """A GOV.UK date input: day, month and year as three boxes."""

    widget = forms.MultiWidget(widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def __init__(self, label: str, **kwargs: Any) -> None:
        self.label_text = label
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=True, error_messages={
            "required": f"Enter the {label}", "incomplete": f"The {label} must include a day, month and year"},
            **kwargs)

    def compress(self, data_list: list[str]) -> date | None:
        if not data_list:
            return None
        try:
            day, month, year = (int(part) for part in data_list)
            return date(year, month, day)
        except ValueError as error:
            raise forms.ValidationError(f"The {self.label_text} must be a real date") from error


class NewDraftForm(forms.Form):
    agreement_id = forms.CharField(max_length=60, error_messages={"required": "Enter a short name for the agreement"})
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the title of the agreement"})
    template = forms.ChoiceField(error_messages={"required": "Select a template"})
    first_day = DateParts("first day in force")
    last_day = DateParts("last day in force")

    error_anchors = {"first_day": "first_day-day", "last_day": "last_day-day"}

    def __init__(self, *args: Any, templates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(str(t.pk), f"{t.name} (version {t.version})") for t in templates]

    def clean_agreement_id(self) -> str:
        value = self.cleaned_data["agreement_id"].strip().lower()
        if not AGREEMENT_ID.match(value):
            raise forms.ValidationError(
                "The short name must start with a letter and use only lower-case letters, digits and hyphens")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", "The last day in force must be on or after the first day")
        if first and last and (last - first).days > 5 * 366:
            self.add_error("last_day", "An agreement can last at most 5 years")
        return data


class EditDraftForm(forms.Form):
    """The draft's content as JSON; ``revision`` is the optimistic lock of T2."""

    content = forms.CharField(widget=forms.Textarea, error_messages={"required": "Enter the agreement content"})
    revision = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=2000, error_messages={"required": "Enter the reason"})


class JoinForm(forms.Form):
    """Accession (docs/agreements-accession.md): the profile first, then who signs, then their authority."""

    profile = forms.ChoiceField(error_messages={"required": "Select the profile your organisation joins under",
                                                "invalid_choice": "Select one of the profiles listed"})
    position = forms.CharField(max_length=200, error_messages={"required": "Enter your position, for example SIRO"})
    accountable_officer = forms.CharField(
        max_length=200, error_messages={"required": "Enter your organisation's accountable officer, for example SIRO"})
    confirm = forms.BooleanField(error_messages={
        "required": "Confirm that you are authorised to sign this agreement for your organisation"})
    content_hash = forms.CharField(max_length=71, widget=forms.HiddenInput)

    error_anchors = {"profile": "profile", "position": "position", "accountable_officer": "accountable_officer",
                     "confirm": "confirm"}

    def __init__(self, *args: Any, profiles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = profiles


class CountersignForm(forms.Form):
    """The hub admin's countersignature of one request, or a decline with its reason."""

    accession = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("countersign", "Countersign"), ("decline", "Decline")],
                                 error_messages={"required": "Select whether you countersign or decline"})
    reason = forms.CharField(required=False, max_length=2000)

    error_anchors = {"decision": "decision", "reason": "reason"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why you are declining, so the organisation knows what to do")
        return data


class WithdrawForm(forms.Form):
    """A party's notice to withdraw (spec §2.6): who gave it, when it takes effect, why."""

    position = forms.CharField(max_length=200, error_messages={
        "required": "Enter the position of the signatory who gave the notice, for example SIRO"})
    effective = forms.CharField(max_length=40, required=False)
    reason = forms.CharField(max_length=2000, required=False)
    confirm = forms.BooleanField(error_messages={
        "required": "Confirm that your organisation's signatory gave this notice"})

    error_anchors = {"position": "position", "effective": "effective", "reason": "reason", "confirm": "confirm"}
