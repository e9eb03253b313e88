"""Stock that cannot be issued twice, and bad input refused whole (issue 19, items 3 and 6)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from boroughhub.getonline import ImportRefused, Refusal, store
from boroughhub.getonline.models import Code, CodeBatch, Device, Donation, Help
from boroughhub.getonline.rules import DeviceState

from .conftest import NOW

DONATIONS = "donor_name,donor_contact,kind,make,model,serial,has_storage,donated_on\n"


def donate(*serials: str) -> None:
    rows = "".join(f"A Donor,donor@example.org,laptop,Lenovo,T480,{s},yes,2026-10-01\n" for s in serials)
    store.import_donations(DONATIONS + rows, None, NOW)


def refurbished_at(hub: Any, serial: str, certificate: str = "") -> None:
    donate(serial)
    if certificate:
        store.record_wipe(serial, certificate, date(2026, 11, 2), None, NOW)
        store.move_device(serial, DeviceState.COLLECTED, None, NOW)
        store.move_device(serial, DeviceState.WIPED, None, NOW)
        store.move_device(serial, DeviceState.REFURBISHED, None, NOW)
    else:
        store.move_device(serial, DeviceState.COLLECTED, None, NOW)
    Device.objects.filter(serial=serial).update(hub=hub)


def audit_actions(outcome: str) -> list[str]:
    from boroughhub.audit import AuditEntry

    return [e.action for e in AuditEntry.objects.filter(outcome=outcome).order_by("seq")]


def test_a_wiped_laptop_is_allocated_and_an_unwiped_one_refused(hub: Any, person: Any) -> None:
    refurbished_at(hub, "SN-WIPED", certificate="BL-0001")
    refurbished_at(hub, "SN-UNWIPED")
    device = store.allocate_device(hub, "SN-WIPED", person, "", None, NOW)
    assert device.state == DeviceState.ALLOCATED and device.person == person
    with pytest.raises(Refusal) as refused:
        store.allocate_device(hub, "SN-UNWIPED", person, "needs a second one", None, NOW)
    assert refused.value.rule == "wipe_required"
    unwiped = Device.objects.get(serial="SN-UNWIPED")
    assert unwiped.state == DeviceState.COLLECTED and unwiped.person is None
    assert Help.objects.filter(kind="device").count() == 1
    assert "go_allocate_device" in audit_actions("refused")


def test_an_exemption_stands_in_for_a_certificate(hub: Any, person: Any) -> None:
    donate("SN-EX")
    store.record_wipe_exemption("SN-EX", "Drive removed and shredded by the refurbisher", None)
    store.move_device("SN-EX", DeviceState.COLLECTED, None, NOW)
    store.move_device("SN-EX", DeviceState.REFURBISHED, None, NOW)
    Device.objects.filter(serial="SN-EX").update(hub=hub)
    assert store.allocate_device(hub, "SN-EX", person, "", None, NOW).state == DeviceState.ALLOCATED


def test_duplicate_serials_are_refused_with_the_line_and_nothing_is_recorded(db: Any) -> None:
    donate("SN-1")
    text = DONATIONS + "B,b@example.org,phone,Apple,iPhone 8,SN-2,yes,2026-10-02\nC,c@example.org,laptop,HP,840,SN-1,yes,2026-10-02\n"
    with pytest.raises(ImportRefused) as refused:
        store.import_donations(text, None, NOW)
    assert [(p.line, p.column, p.rule) for p in refused.value.problems] == [(3, "serial", "duplicate_serial")]
    assert list(Device.objects.values_list("serial", flat=True)) == ["SN-1"]
    assert Donation.objects.count() == 1


def test_a_wipe_log_for_an_unknown_serial_is_refused_whole(db: Any) -> None:
    donate("SN-1")
    log = "serial,certificate,erased_on,result\nSN-1,BL-1,2026-11-02,Passed\nSN-9,BL-9,2026-11-02,Passed\n"
    with pytest.raises(ImportRefused) as refused:
        store.import_wipe_log(log, None)
    assert [(p.line, p.rule) for p in refused.value.problems] == [(3, "unknown_serial")]
    assert Device.objects.get(serial="SN-1").wipe_certificate == ""
    assert store.import_wipe_log(log.rsplit("SN-9", 1)[0], None) == 1
    assert Device.objects.get(serial="SN-1").wipe_certificate == "BL-1"


def test_a_voucher_file_with_codes_already_loaded_is_refused_whole(db: Any) -> None:
    store.load_codes("code\nV1\nV2\n", "voucher", "Operator A", "first.csv", None, NOW)
    with pytest.raises(ImportRefused) as refused:
        store.load_codes("code\nV3\nV2\nV4\n", "voucher", "Operator A", "second.csv", None, NOW)
    assert [(p.line, p.column, p.rule) for p in refused.value.problems] == [(3, "code", "code_already_loaded")]
    assert sorted(Code.objects.values_list("code", flat=True)) == ["V1", "V2"]
    assert CodeBatch.objects.count() == 1
    assert "go_load_vouchers" in audit_actions("refused")


def test_each_code_is_issued_once_and_the_same_help_not_twice(hub: Any, person: Any) -> None:
    store.load_codes("code\nS1\nS2\n", "sim", "Operator A", "sims.csv", None, NOW)
    stock_request = store.request_stock(hub, "sim", 2, None, NOW)
    assert store.meet_request(stock_request, None, NOW) == 2
    first = store.issue_code(hub, person, "sim", "", None, NOW)
    with pytest.raises(Refusal) as refused:
        store.issue_code(hub, person, "sim", "", None, NOW + timedelta(days=30))
    assert refused.value.rule == "repeat_help"
    second = store.issue_code(hub, person, "sim", "Phone stolen; crime reference given", None, NOW + timedelta(days=30))
    assert first.code != second.code
    assert Code.objects.filter(person=person).count() == 2
    with pytest.raises(Refusal, match="no sim card codes left"):
        store.issue_code(hub, person, "sim", "another reason", None, NOW + timedelta(days=31))


def test_a_request_beyond_the_hubs_cap_is_refused(hub: Any) -> None:
    hub.open_request_cap = 2
    hub.save()
    store.request_stock(hub, "sim", 10, None, NOW)
    store.request_stock(hub, "device", 1, None, NOW)
    with pytest.raises(Refusal) as refused:
        store.request_stock(hub, "voucher", 10, None, NOW)
    assert refused.value.rule == "open_request_cap"
    assert hub.requests.count() == 2


def test_allocating_more_codes_than_the_pool_holds_changes_nothing(hub: Any) -> None:
    store.load_codes("code\nS1\n", "sim", "Operator A", "sims.csv", None, NOW)
    with pytest.raises(Refusal, match="Only 1 unallocated"):
        store.meet_request(store.request_stock(hub, "sim", 5, None, NOW), None, NOW)
    assert Code.objects.filter(hub__isnull=False).count() == 0


def test_completions_for_an_unknown_reference_are_refused_with_the_row(hub: Any, person: Any) -> None:
    store.refer_to_course(hub, person, "Online basics", None, NOW)
    text = "reference,course,completed_on\nDDH-0001,Online basics,2026-11-20\nDDH-9999,Online basics,2026-11-20\n"
    with pytest.raises(ImportRefused) as refused:
        store.import_completions(text, None)
    assert [(p.line, p.column, p.rule) for p in refused.value.problems] == [(3, "reference", "unknown_reference")]
    assert not Help.objects.filter(completed_on__isnull=False).exists()
    assert store.import_completions(text.rsplit("DDH-9999", 1)[0], None) == 1
    assert Help.objects.get(kind="skills").completed_on == date(2026, 11, 20)


def test_donor_data_is_removed_on_schedule_and_audited(db: Any) -> None:
    donate("SN-1")
    assert store.remove_donor_data(date(2026, 12, 29), NOW) == 0  # kept 90 days after 1 October
    assert store.remove_donor_data(date(2026, 12, 30), NOW) == 1
    donation = Donation.objects.get()
    assert (donation.donor_name, donation.donor_contact) == ("", "")
    assert audit_actions("ok").count("go_donor_data_gone") == 2


def test_a_reference_already_used_is_refused_and_nothing_recorded(hub: Any, person: Any) -> None:
    from boroughhub.getonline.models import Person

    with pytest.raises(Refusal) as refused:
        store.register_person(hub, {"reference": person.reference, "borough": "E09000023", "age_band": "65+",
                                    "eligibility": ["low_income"], "consent_given_on": date(2026, 11, 16),
                                    "retain_until": date(2029, 11, 16)}, None, NOW)
    assert refused.value.rule == "duplicate_reference"
    assert Person.objects.count() == 1
