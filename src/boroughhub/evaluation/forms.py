"""The upload form of the evaluation page: one spec file and the CSV files it names."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
MAX_BYTES = 5 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "govuk-file-upload", "accept": ".csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _check_name(f: UploadedFile, suffixes: tuple[str, ...]) -> None:
    name = f.name or ""
    if not SAFE_NAME.match(name) or not name.lower().endswith(suffixes):
        raise forms.ValidationError(
            f"{name or 'The file'} must be named with letters, digits, '.', '_' or '-' and end in "
            f"{' or '.join(suffixes)}")
    if f.size is not None and f.size > MAX_BYTES:
        raise forms.ValidationError(f"{name} must be smaller than 5 MB")


class EvaluationUploadForm(forms.Form):
    spec = forms.FileField(
        label="Evaluation spec (YAML)",
        help_text="The spec file, for example evaluation.yaml.",
        error_messages={"required": "Select the evaluation spec file"},
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload", "accept": ".yaml,.yml"}),
    )
    csv_files = MultipleFileField(
        label="CSV files the spec names",
        help_text="Only if the spec has a survey or interviews section: upload every file those sections name "
                  "(such as survey_responses.csv, survey_population.csv and interview_excerpts.csv), with the "
                  "file names the spec uses. A spec without a survey or interviews needs no CSV file.",
        required=False,
    )

    def clean_spec(self) -> UploadedFile:
        f: UploadedFile = self.cleaned_data["spec"]
        _check_name(f, (".yaml", ".yml"))
        return f

    def clean_csv_files(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("csv_files") or []
        for f in files:
            _check_name(f, (".csv",))
        names = [f.name for f in files]
        if len(set(names)) != len(names):
            raise forms.ValidationError("Each CSV file must have a different name")
        return files
