"""The privacy officer's filters and the resident search; errors are phrased for the GOV.UK error summary."""

from __future__ import annotations

from typing import Any

from django import forms


class AuditFilterForm(forms.Form):
    event_type = forms.ChoiceField(required=False)
    outcome = forms.ChoiceField(required=False, choices=[("", "Any")] + [
        (o, o) for o in ("permit", "deny", "ok", "refused", "error")])
    agreement_id = forms.CharField(required=False, max_length=60)
    user_id = forms.CharField(required=False, max_length=64)

    def __init__(self, *args: Any, event_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_type"].choices = [("", "Any")] + [(e, e.replace("_", " ")) for e in event_types]


class SubjectAccessForm(forms.Form):
    dataset = forms.ChoiceField(choices=[("chain", "CHAIN"), ("inform", "InForm"), ("hclic", "H-CLIC")],
                                error_messages={"required": "Select the dataset of the record"})
    record_key = forms.CharField(max_length=100, error_messages={"required": "Enter the record key"})

