"""Get Online London's tables: hubs, people helped (kept small), device and code stock, stock
requests and skills records. The rules they obey are in ``rules.py``; ``store.py`` changes them."""

from __future__ import annotations

from django.db import models

from .rules import DEFAULT_OPEN_REQUEST_CAP, DeviceState, HelpKind

HUB_STATUSES = [("applied", "Applied"), ("approved", "Approved"), ("refused", "Refused")]


class Hub(models.Model):
    """A community organisation's place where Londoners get help. Applies, then the service team
    approves it: only then is it listed publicly and its organisation can hold staff accounts."""

    name = models.CharField(max_length=200)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="getonline_hubs")
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=10)
    borough = models.CharField(max_length=9)  # ONS code
    opening_times = models.CharField(max_length=300)
    offers_devices = models.BooleanField(default=False)
    offers_data = models.BooleanField(default=False)
    offers_skills = models.BooleanField(default=False)
    contact_email = models.EmailField()
    status = models.CharField(max_length=8, choices=HUB_STATUSES, default="applied")
    applied_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True, default="")
    open_request_cap = models.PositiveSmallIntegerField(default=DEFAULT_OPEN_REQUEST_CAP)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone a hub helped: no name, only what eligibility and reporting need."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="people")
    reference = models.CharField(max_length=40, unique=True)
    borough = models.CharField(max_length=9)
    age_band = models.CharField(max_length=8)
    eligibility = models.JSONField(default=list)
    consent_given_on = models.DateField()
    retain_until = models.DateField()
    recorded_at = models.DateTimeField()
    # Past ``retain_until`` the reference (then "removed:<id>", which no hub can type) and the eligibility reasons go; borough and age band stay,
    # so the years already reported still add up.
    removed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.reference


class Donation(models.Model):
    """Who gave a device: personal data kept only until ``remove_donor_data_on``."""

    donor_name = models.CharField(max_length=200, blank=True, default="")
    donor_contact = models.CharField(max_length=200, blank=True, default="")
    donated_on = models.DateField()
    remove_donor_data_on = models.DateField()
    donor_data_removed_at = models.DateTimeField(null=True, blank=True)


class Device(models.Model):
    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="devices")
    kind = models.CharField(max_length=8)
    make = models.CharField(max_length=100)
    model = models.CharField(max_length=100)
    serial = models.CharField(max_length=100, unique=True)
    has_storage = models.BooleanField(default=True)
    state = models.CharField(max_length=12, choices=[(s.value, s.label) for s in DeviceState],
                             default=DeviceState.DONATED)
    state_since = models.DateTimeField()
    wipe_certificate = models.CharField(max_length=100, blank=True, default="")
    wiped_on = models.DateField(null=True, blank=True)
    wipe_exemption = models.CharField(max_length=300, blank=True, default="")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="devices")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="devices")
    allocated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["serial"]

    def __str__(self) -> str:
        return f"{self.make} {self.model} ({self.serial})"


class CodeBatch(models.Model):
    """One operator file of SIM serials or data-voucher codes, loaded whole."""

    kind = models.CharField(max_length=8, choices=[("sim", "SIM cards"), ("voucher", "Data vouchers")])
    operator = models.CharField(max_length=100)
    file_name = models.CharField(max_length=200)
    loaded_at = models.DateTimeField()
    code_count = models.PositiveIntegerField()


class Code(models.Model):
    batch = models.ForeignKey(CodeBatch, on_delete=models.PROTECT, related_name="codes")
    code = models.CharField(max_length=64, unique=True)
    expires_on = models.DateField(null=True, blank=True)
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="codes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="codes")
    issued_at = models.DateTimeField(null=True, blank=True)


class StockRequest(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(max_length=8, choices=[("device", "Devices"), ("sim", "SIM cards"),
                                                   ("voucher", "Data vouchers")])
    quantity = models.PositiveIntegerField()
    status = models.CharField(max_length=9, choices=[("open", "Open"), ("met", "Met"), ("withdrawn", "Withdrawn")],
                              default="open")
    requested_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)


class Help(models.Model):
    """One kind of help given to a person: what the repeat rule and the report read."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="help")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="help")
    kind = models.CharField(max_length=8, choices=[(k.value, k.label) for k in HelpKind])
    given_on = models.DateField()
    repeat_reason = models.CharField(max_length=300, blank=True, default="")
    course = models.CharField(max_length=200, blank=True, default="")
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "given_on"]), models.Index(fields=["completed_on"])]
