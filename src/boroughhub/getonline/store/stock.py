"""Stock that cannot be issued twice: devices and their lifecycle, wipes, operators' codes, stock requests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count

from boroughhub.getonline.csvfiles import (
    ImportRefused,
    Problem,
    read_codes,
    read_donations,
    read_wipe_log,
)
from boroughhub.getonline.models import Code, CodeBatch, Device, Donation, Help, Hub, Person, StockRequest
from boroughhub.getonline.rules import (
    DeviceFacts,
    DeviceState,
    HelpKind,
    Refusal,
    check_device_move,
    check_open_request_cap,
)
from boroughhub.getonline.store.common import (
    DONOR_DATA_KEPT,
    LONDON,
    Who,
    _audit,
    _import_refused,
    _refused,
    insert_rows,
)
from boroughhub.getonline.store.people import _check_repeat


def issue_code(hub: Hub, person: Person, kind: str, reason: str, who: Who, now: datetime) -> Code:
    """Issue the hub's next unissued SIM or voucher code to ``person``: a code is issued once."""
    action = f"go_issue_{kind}"
    try:
        with transaction.atomic():
            _check_repeat(person, HelpKind(kind), now.date(), reason)
            code = (Code.objects.select_for_update().filter(hub=hub, batch__kind=kind, person__isnull=True)
                    .order_by("pk").first())
            if code is None:
                raise Refusal("no_stock", f"{hub.name} has no {HelpKind(kind).label.lower()} codes left. "
                              "Ask the service team for more (request stock).")
            # The filter on person is the guard against issuing twice under concurrent requests.
            updated = Code.objects.filter(pk=code.pk, person__isnull=True).update(person=person, issued_at=now)
            if updated != 1:
                raise Refusal("already_issued", "That code was issued a moment ago: try again.")
            Help.objects.create(person=person, hub=hub, kind=kind, given_on=now.date(), repeat_reason=reason)
            _audit(who, "registry", "ok", action, hub=hub.pk, person=person.pk, code_id=code.pk)
    except Refusal as refusal:
        raise _refused(who, action, refusal, hub=hub.pk, person=person.pk) from None
    code.refresh_from_db()
    return code


def device_facts(device: Device) -> DeviceFacts:
    return DeviceFacts(device.serial, DeviceState(device.state), device.has_storage, device.wipe_certificate,
                       device.wipe_exemption)


def allocate_device(hub: Hub, serial: str, person: Person, reason: str, who: Who, now: datetime) -> Device:
    """Allocate a device the hub holds to ``person``: refused without a wipe certificate or exemption."""
    try:
        with transaction.atomic():
            device = Device.objects.select_for_update().filter(serial=serial, hub=hub).first()
            if device is None:
                raise Refusal("unknown_device", f"Your hub holds no device with serial {serial}.")
            check_device_move(device_facts(device), DeviceState.ALLOCATED)
            _check_repeat(person, HelpKind.DEVICE, now.date(), reason)
            device.state, device.state_since, device.person, device.allocated_at = DeviceState.ALLOCATED, now, person, now
            device.save()
            Help.objects.create(person=person, hub=hub, kind=HelpKind.DEVICE, given_on=now.date(), repeat_reason=reason)
            _audit(who, "registry", "ok", "go_allocate_device", hub=hub.pk, person=person.pk, device=device.pk)
    except Refusal as refusal:
        raise _refused(who, "go_allocate_device", refusal, hub=hub.pk, serial=serial[:100]) from None
    return device


def move_device(serial: str, to: DeviceState, who: Who, now: datetime, *, hub: Hub | None = None) -> Device:
    """A lifecycle step (collected, wiped, refurbished, handed over, recycled) for the device."""
    action = f"go_dev_{to.value}"
    try:
        with transaction.atomic():
            device = Device.objects.select_for_update().filter(serial=serial).first()
            if device is None or (hub is not None and device.hub_id != hub.pk):
                raise Refusal("unknown_device", f"There is no device with serial {serial}.")
            check_device_move(device_facts(device), to)
            if to is DeviceState.REFURBISHED and device.state == DeviceState.ALLOCATED:
                # The person did not come: the allocation is undone, so it no longer counts as given.
                Help.objects.filter(kind=HelpKind.DEVICE, person_id=device.person_id,
                                    given_on=device.state_since.date()).delete()
                device.person, device.allocated_at = None, None
            device.state, device.state_since = to, now
            device.save()
            _audit(who, "registry", "ok", action, device=device.pk)
    except Refusal as refusal:
        raise _refused(who, action, refusal, serial=serial[:100]) from None
    return device


def record_wipe(serial: str, certificate: str, wiped_on: date, who: Who, now: datetime) -> Device:
    with transaction.atomic():
        device = Device.objects.select_for_update().filter(serial=serial).first()
        if device is None:
            raise _refused(who, "go_wipe_recorded", Refusal("unknown_device", f"There is no device with serial {serial}."))
        device.wipe_certificate, device.wiped_on = certificate, wiped_on
        device.save()
        _audit(who, "registry", "ok", "go_wipe_recorded", device=device.pk, certificate=certificate)
    return device


def record_wipe_exemption(serial: str, reason: str, who: Who) -> Device:
    with transaction.atomic():
        device = Device.objects.select_for_update().filter(serial=serial).first()
        if device is None or not reason.strip():
            raise _refused(who, "go_wipe_exemption", Refusal(
                "exemption_invalid", "Name a recorded device and say why it needs no wipe (for example, storage removed and shredded)."))
        device.wipe_exemption = reason.strip()
        device.save()
        _audit(who, "registry", "ok", "go_wipe_exemption", device=device.pk)
    return device


def import_wipe_log(text: str, who: Who) -> int:
    """The erasure tool's log: every serial must be a recorded device; all rows or none."""
    try:
        rows = read_wipe_log(text)
        known = dict(Device.objects.filter(serial__in=[row.serial for row in rows]).values_list("serial", "pk"))
        unknown = [Problem(row.line, "serial", "unknown_serial",
                           f"No device with serial {row.serial} is recorded: record the donation first.")
                   for row in rows if row.serial not in known]
        if unknown:
            raise ImportRefused(unknown)
    except ImportRefused as refused:
        raise _import_refused(who, "go_wipe_log", refused) from None
    with transaction.atomic():
        for row in rows:
            Device.objects.filter(pk=known[row.serial]).update(wipe_certificate=row.certificate, wiped_on=row.erased_on)
        _audit(who, "registry", "ok", "go_wipe_log", devices=len(rows))
    return len(rows)


def import_donations(text: str, who: Who, now: datetime) -> int:
    """The refurbisher's donation list: a serial already recorded is refused with its line."""
    try:
        rows = read_donations(text)
        existing = set(Device.objects.filter(serial__in=[row.serial for row in rows]).values_list("serial", flat=True))
        duplicates = [Problem(row.line, "serial", "duplicate_serial",
                              f"A device with serial {row.serial} is already recorded: each device is recorded once.")
                      for row in rows if row.serial in existing]
        if duplicates:
            raise ImportRefused(duplicates)
    except ImportRefused as refused:
        raise _import_refused(who, "go_donations", refused) from None
    with transaction.atomic():
        for row in rows:
            donation = Donation.objects.create(donor_name=row.donor_name, donor_contact=row.donor_contact,
                                               donated_on=row.donated_on,
                                               remove_donor_data_on=row.donated_on + DONOR_DATA_KEPT)
            Device.objects.create(donation=donation, kind=row.kind, make=row.make, model=row.model,
                                  serial=row.serial, has_storage=row.has_storage, state_since=now)
        _audit(who, "registry", "ok", "go_donations", devices=len(rows))
    return len(rows)


def load_codes(text: str, kind: str, operator: str, file_name: str, who: Who, now: datetime) -> CodeBatch:
    """An operator's SIM or voucher file, all or nothing: a file with any code already loaded is refused."""
    action = f"go_load_{kind}s"
    try:
        rows = read_codes(text)
        codes = [row.code for row in rows]
        loaded: set[str] = set()
        for start in range(0, len(codes), 900):  # SQLite's limit on parameters per statement
            loaded.update(Code.objects.filter(code__in=codes[start:start + 900]).values_list("code", flat=True))
        if loaded:
            raise ImportRefused([Problem(row.line, "code", "code_already_loaded",
                                         f"Code {row.code} is already loaded: the file was loaded before, or "
                                         "overlaps another. Ask the operator for a file of new codes only.")
                                 for row in rows if row.code in loaded])
    except ImportRefused as refused:
        raise _import_refused(who, action, refused, file=file_name[:200]) from None
    with transaction.atomic():
        batch = CodeBatch.objects.create(kind=kind, operator=operator, file_name=file_name, loaded_at=now,
                                         code_count=len(rows))
        # One statement executed for every code (docs/decisions/0121-voucher-codes-loaded-in-one-statement.md).
        insert_rows(Code, ("batch_id", "code", "expires_on"), ((batch.pk, row.code, row.expires_on) for row in rows))
        _audit(who, "registry", "ok", action, batch=batch.pk, codes=len(rows), file=file_name[:200])
    return batch


# Stock requests ---------------------------------------------------------------------------------

def set_request_cap(hub: Hub, cap: int, who: Who) -> None:
    with transaction.atomic():
        before = hub.open_request_cap
        Hub.objects.filter(pk=hub.pk).update(open_request_cap=cap)
        _audit(who, "registry", "ok", "go_cap_changed", hub=hub.pk, before=before, after=cap)


def request_stock(hub: Hub, kind: str, quantity: int, who: Who, now: datetime) -> StockRequest:
    try:
        with transaction.atomic():
            Hub.objects.select_for_update().filter(pk=hub.pk).first()  # one request at a time per hub
            open_requests = StockRequest.objects.filter(hub=hub, status="open").count()
            check_open_request_cap(hub.name, open_requests, hub.open_request_cap)
            stock_request = StockRequest.objects.create(hub=hub, kind=kind, quantity=quantity, requested_at=now)
            _audit(who, "registry", "ok", "go_stock_requested", hub=hub.pk, request=stock_request.pk)
    except Refusal as refusal:
        raise _refused(who, "go_stock_requested", refusal, hub=hub.pk) from None
    return stock_request


def meet_request(stock_request: StockRequest, who: Who, now: datetime, serials: Iterable[str] = ()) -> int:
    """Allocate stock to the hub against its request: free codes from the pool, or refurbished devices."""
    try:
        with transaction.atomic():
            stock_request = StockRequest.objects.select_for_update().get(pk=stock_request.pk)
            if stock_request.status != "open":
                raise Refusal("request_closed", "That request is no longer open.")
            hub = stock_request.hub
            if stock_request.kind == "device":
                devices = list(Device.objects.select_for_update().filter(serial__in=list(serials), hub__isnull=True))
                for device in devices:
                    check_device_move(device_facts(device), DeviceState.ALLOCATED)
                    if device.state != DeviceState.REFURBISHED:
                        raise Refusal("lifecycle", f"Device {device.serial} is not refurbished yet.")
                if not devices or len(devices) > stock_request.quantity:
                    raise Refusal("allocation_size", f"Choose from 1 to {stock_request.quantity} refurbished devices "
                                  "that no hub holds yet.")
                Device.objects.filter(pk__in=[d.pk for d in devices]).update(hub=hub)
                count = len(devices)
            else:
                free = list(Code.objects.filter(batch__kind=stock_request.kind, hub__isnull=True)
                            .order_by("pk").values_list("pk", flat=True)[:stock_request.quantity])
                if len(free) < stock_request.quantity:
                    raise Refusal("no_stock", f"Only {len(free)} unallocated codes are left: load the operator's "
                                  "next file or meet part of the request.")
                for start in range(0, len(free), 900):
                    Code.objects.filter(pk__in=free[start:start + 900], hub__isnull=True).update(hub=hub)
                count = len(free)
            stock_request.status, stock_request.closed_at = "met", now
            stock_request.save()
            _audit(who, "registry", "ok", "go_stock_allocated", hub=hub.pk, request=stock_request.pk,
                   items=count)
    except Refusal as refusal:
        raise _refused(who, "go_stock_allocated", refusal, request=stock_request.pk) from None
    return count


def stock_on_hand(today: date) -> dict[str, Any]:
    """Devices by state (with how long those waiting for a wipe have waited) and codes by where they are."""
    devices = dict(Device.objects.values_list("state").annotate(n=Count("pk")))
    waiting = Device.objects.filter(has_storage=True, wipe_certificate="", wipe_exemption="",
                                    state__in=[DeviceState.DONATED, DeviceState.COLLECTED])
    ages = {"Under a week": 0, "1 to 4 weeks": 0, "Over 4 weeks": 0}
    for since in waiting.values_list("state_since", flat=True).iterator():
        days = (today - since.astimezone(LONDON).date()).days
        ages["Under a week" if days < 7 else "1 to 4 weeks" if days <= 28 else "Over 4 weeks"] += 1
    codes = []
    for kind, label in (("sim", "SIM cards"), ("voucher", "Data vouchers")):
        of_kind = Code.objects.filter(batch__kind=kind)
        codes.append({"label": label, "pool": of_kind.filter(hub__isnull=True).count(),
                      "at_hubs": of_kind.filter(hub__isnull=False, person__isnull=True).count(),
                      "issued": of_kind.filter(person__isnull=False).count()})
    return {"devices": [(state.label, devices.get(state.value, 0)) for state in DeviceState],
            "waiting_for_wipe": list(ages.items()), "codes": codes}

