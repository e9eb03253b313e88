from __future__ import annotations

from typing import Any

from django import forms

SELECT_FILES = "Select the submission's files: one .zip of the folder, or manifest.csv and the data files"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once and cleans each one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            if not data:
                return [single(None, initial)]
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        error_messages={
            "required": SELECT_FILES,
            "empty": "The selected file is empty. Check you selected the right file",
            "invalid": SELECT_FILES,
        }
    )
