"""The forms of the people pages. What is right or wrong about an invitation is ``rules.py``'s to say;
these forms only carry the fields and the messages for empty ones."""

from __future__ import annotations

from typing import Any

from django import forms

from boroughhub.organisations import Role

from .rules import Problem

MOST_FILE_BYTES = 1_000_000
#: A rule's column, as the form names its field.
FIELD_OF_COLUMN = {"email": "email", "name": "name", "role": "role", "from": "starts", "to": "ends",
                   "organisation": "organisation"}


class InviteForm(forms.Form):
    organisation = forms.ChoiceField(error_messages={"required": "Choose the organisation",
                                                     "invalid_choice": "Choose one of the organisations listed"})
    email = forms.CharField(max_length=254, required=False)
    name = forms.CharField(max_length=300, required=False)
    role = forms.ChoiceField(error_messages={"required": "Choose the role the person will have",
                                             "invalid_choice": "Choose one of the roles listed"})
    starts = forms.CharField(max_length=40, required=False)
    ends = forms.CharField(max_length=40, required=False)

    def __init__(self, *args: Any, organisations: list[Any], roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]  # type: ignore[attr-defined]
        self.fields["role"].choices = [(r.value, r.label) for r in roles]  # type: ignore[attr-defined]

    def add_problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add_error(FIELD_OF_COLUMN.get(problem.column) or None, problem.message)


class InviteFileForm(forms.Form):
    organisation = forms.ChoiceField(error_messages={"required": "Choose the organisation",
                                                     "invalid_choice": "Choose one of the organisations listed"})
    file = forms.FileField(error_messages={"required": "Choose a CSV file of invitations",
                                           "empty": "The file is empty. Choose a CSV file of invitations"})

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MOST_FILE_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB. Send at most 1,000 invitations in one file")
        return upload


class AcceptForm(forms.Form):
    password = forms.CharField(max_length=200, strip=False, error_messages={"required": "Enter a password"})
    again = forms.CharField(max_length=200, strip=False, required=False)
