"""Get Online London's forms: error messages say what to enter, in the GOV.UK way."""

from __future__ import annotations

from typing import Any

from django import forms

from .boroughs import boroughs
from .rules import DeviceState

AGE_BANDS = [("18-24", "18 to 24"), ("25-34", "25 to 34"), ("35-44", "35 to 44"), ("45-54", "45 to 54"),
             ("55-64", "55 to 64"), ("65+", "65 or over")]
ELIGIBILITY = [("low_income", "On a low income"), ("benefits", "Receives means-tested benefits"),
               ("no_home_broadband", "No broadband at home"), ("no_data_on_the_go", "Not enough mobile data"),
               ("no_device", "No suitable device")]
OFFERS = [("devices", "Devices"), ("data", "SIM cards and data"), ("skills", "Skills courses")]


def borough_choices() -> list[tuple[str, str]]:
    return sorted(boroughs().items(), key=lambda item: item[1])


class HubApplicationForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the hub's name"})
    address = forms.CharField(max_length=300, error_messages={"required": "Enter the hub's street address"})
    postcode = forms.RegexField(regex=r"^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$", max_length=10,
                                error_messages={"required": "Enter the hub's postcode",
                                                "invalid": "Enter a postcode like SE13 6AA"})
    borough = forms.ChoiceField(choices=borough_choices, error_messages={
        "required": "Select the borough the hub is in", "invalid_choice": "Select one of London's boroughs"})
    opening_times = forms.CharField(max_length=300, error_messages={
        "required": "Enter when the hub is open, for example Monday to Friday, 10am to 4pm"})
    offers = forms.MultipleChoiceField(choices=OFFERS, error_messages={
        "required": "Select at least one kind of help the hub offers"})
    contact_email = forms.EmailField(error_messages={"required": "Enter an email address for the hub",
                                                     "invalid": "Enter an email address like name@example.org"})

    def hub_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        offers = set(data["offers"])
        return {"name": data["name"], "address": data["address"], "postcode": data["postcode"].upper(),
                "borough": data["borough"], "opening_times": data["opening_times"],
                "contact_email": data["contact_email"], "offers_devices": "devices" in offers,
                "offers_data": "data" in offers, "offers_skills": "skills" in offers}


class PersonForm(forms.Form):
    reference = forms.RegexField(regex=r"^[A-Za-z0-9][A-Za-z0-9-]{1,39}$", max_length=40, error_messages={
        "required": "Enter your hub's reference for the person",
        "invalid": "Enter a reference of letters, digits and hyphens, for example LDH-0042 (not a name)"})
    borough = forms.ChoiceField(choices=borough_choices, error_messages={
        "required": "Select the borough the person lives in", "invalid_choice": "Select one of London's boroughs"})
    age_band = forms.ChoiceField(choices=AGE_BANDS, error_messages={"required": "Select the person's age band"})
    eligibility = forms.MultipleChoiceField(choices=ELIGIBILITY, error_messages={
        "required": "Select at least one eligibility reason the person attests"})
    consent = forms.BooleanField(error_messages={
        "required": "The person must agree to their record being kept before you can record them"})


class CourseForm(forms.Form):
    course = forms.CharField(max_length=200, error_messages={"required": "Enter the course's name"})


class StockRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=[("device", "Devices"), ("sim", "SIM cards"), ("voucher", "Data vouchers")],
                             error_messages={"required": "Select what the hub needs"})
    quantity = forms.IntegerField(min_value=1, max_value=500, error_messages={
        "required": "Enter how many the hub needs", "invalid": "Enter the number as digits, for example 20",
        "min_value": "Enter at least 1", "max_value": "Enter at most 500: make another request later if needed"})


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("refuse", "Refuse")],
                                 error_messages={"required": "Select approve or refuse"})
    note = forms.CharField(max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not data.get("note", "").strip():
            self.add_error("note", "Say why the application is refused: the organisation is told")
        return data


class CapForm(forms.Form):
    cap = forms.IntegerField(min_value=1, max_value=50, error_messages={
        "required": "Enter how many stock requests the hub may have open at once",
        "invalid": "Enter the number as digits, for example 5",
        "min_value": "Enter at least 1", "max_value": "Enter at most 50"})


class StaffForm(forms.Form):
    email = forms.EmailField(error_messages={"required": "Enter the staff member's work email address",
                                             "invalid": "Enter an email address like name@example.org"})


class CodesFileForm(forms.Form):
    kind = forms.ChoiceField(choices=[("sim", "SIM cards"), ("voucher", "Data vouchers")],
                             error_messages={"required": "Select what the file holds"})
    operator = forms.CharField(max_length=100, error_messages={"required": "Enter the operator that sent the file"})
    file = forms.FileField(error_messages={"required": "Choose the operator's CSV file"})


class FileForm(forms.Form):
    what = forms.ChoiceField(choices=[("donations", "Donated devices"), ("wipes", "Erasure tool's log"),
                                      ("completions", "Course completions")],
                             error_messages={"required": "Select what the file holds"})
    file = forms.FileField(error_messages={"required": "Choose the CSV file"})


class DeviceStepForm(forms.Form):
    serial = forms.CharField(max_length=100, error_messages={"required": "Enter the device's serial number"})
    to = forms.ChoiceField(choices=[(s.value, s.label) for s in DeviceState if s is not DeviceState.DONATED],
                           error_messages={"required": "Select the step the device has reached"})
    certificate = forms.CharField(max_length=100, required=False)
    exemption = forms.CharField(max_length=300, required=False)
