from __future__ import annotations

from django import forms

from boroughhub.asm.imports import FORMATS
from boroughhub.asm.rules import CRITICALITIES, STATUS_LABELS
from boroughhub.asm.scope import ScopeError, parse_scope_entry, parse_target

WEB_TARGET_LIMIT = 200


class ScopeEntryForm(forms.Form):
    entry = forms.CharField(label="Domain, netblock or autonomous system", max_length=255,
                            help_text="For example barnet.gov.uk, 192.0.2.0/24 or AS64500.")
    excluded = forms.BooleanField(label="Exclude it: never check this", required=False)

    def clean_entry(self) -> str:
        try:
            return parse_scope_entry(self.cleaned_data["entry"]).value
        except ScopeError as error:
            raise forms.ValidationError(str(error)) from None


class AuthoriseForm(forms.Form):
    authorised_by = forms.CharField(label="Who authorised scanning", max_length=200,
                                    help_text="Their name and post, for example Jo Smith, Chief Information Officer.")
    reference = forms.CharField(label="Reference of the authorisation", max_length=200,
                                help_text="The document or decision that records it, for example ICT-2026-117.")
    authorised_on = forms.DateField(label="Date of the authorisation", input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                                    help_text="For example 1/12/2026.")


class ImportForm(forms.Form):
    format = forms.ChoiceField(label="Which tool made the file", choices=list(FORMATS.items()),
                               widget=forms.RadioSelect)
    file = forms.FileField(label="The file")


class RunForm(forms.Form):
    targets = forms.CharField(label="Targets", widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=f"One host name or host:port a line, at most {WEB_TARGET_LIMIT}. Targets "
                                        f"outside the authorised scope are refused, not checked.")
    resolver = forms.CharField(label="DNS server to resolve names through (optional)", required=False,
                               help_text="ADDRESS:PORT, inside your authorised scope. Leave empty to use "
                                         "the hub's resolver.")

    def clean_targets(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["targets"].splitlines() if line.strip()]
        if len(lines) > WEB_TARGET_LIMIT:
            raise forms.ValidationError(f"{len(lines)} targets: check at most {WEB_TARGET_LIMIT} at once, or use "
                                        f"the command line for more.")
        for number, line in enumerate(lines, start=1):
            try:
                parse_target(line)
            except ScopeError as error:
                raise forms.ValidationError(f"Line {number}: {error}") from None
        return lines


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=list(STATUS_LABELS.items()), widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Why: required for accepted, false positive and resolved.")
    owner = forms.CharField(label="Owner", required=False, max_length=100, help_text="The team that will act on it.")

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("status") and data["status"] != "open" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why: a finding is accepted, a false positive or resolved for a reason.")
        return data


class AssetForm(forms.Form):
    owner_team = forms.CharField(label="Owner team", required=False, max_length=100,
                                 help_text="The team that looks after it, for example Web team.")
    criticality = forms.ChoiceField(label="How much it matters to the council",
                                    choices=[(c, c.title()) for c in CRITICALITIES], widget=forms.RadioSelect)
