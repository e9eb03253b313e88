from __future__ import annotations

from django import forms


class SignInForm(forms.Form):
    email = forms.EmailField(
        max_length=254, error_messages={"required": "Enter your email address", "invalid": "Enter an email address in the correct format, like name@example.org"}
    )
    password = forms.CharField(
        max_length=200, strip=False, error_messages={"required": "Enter your password"}
    )


class SecondFactorForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        error_messages={"required": "Enter the 6-digit code from your authenticator app", "invalid": "Enter the 6-digit code from your authenticator app"},
    )


class ChooseRoleForm(forms.Form):
    grant = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "Select the organisation and role you are acting as", "invalid_choice": "Select one of the organisations and roles listed"}
    )

    def __init__(self, *args: object, grants: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["grant"].choices = [(g.pk, f"{g.organisation.name}: {g.role_label}") for g in grants]  # type: ignore[attr-defined]


def error_list(form: forms.Form) -> list[dict[str, str]]:
    """Errors as the GOV.UK error summary wants them: each links to its field."""
    return [
        {"text": str(message), "href": f"#{name if name != '__all__' else 'main-content'}"}
        for name, messages in form.errors.items()
        for message in messages
    ]
