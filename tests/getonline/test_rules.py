"""The service's rules without a database: the wipe rule, the lifecycle, repeat help and the cap."""

from __future__ import annotations

from datetime import date

import pytest

from boroughhub.getonline.rules import (
    DeviceFacts,
    DeviceState,
    HelpKind,
    Refusal,
    check_device_move,
    check_open_request_cap,
    check_repeat_help,
)


def laptop(state: DeviceState, certificate: str = "", exemption: str = "", storage: bool = True) -> DeviceFacts:
    return DeviceFacts("SN-1", state, storage, certificate, exemption)


def test_a_device_with_storage_and_no_wipe_certificate_cannot_be_allocated() -> None:
    with pytest.raises(Refusal) as refused:
        check_device_move(laptop(DeviceState.REFURBISHED), DeviceState.ALLOCATED)
    assert refused.value.rule == "wipe_required"
    assert "SN-1" in refused.value.message


def test_the_wipe_rule_holds_whatever_state_was_recorded() -> None:
    for state in DeviceState:
        for target in (DeviceState.WIPED, DeviceState.REFURBISHED, DeviceState.ALLOCATED, DeviceState.HANDED_OVER):
            with pytest.raises(Refusal, match="wipe certificate"):
                check_device_move(laptop(state), target)


def test_a_certificate_or_an_exemption_lets_a_refurbished_device_be_allocated() -> None:
    check_device_move(laptop(DeviceState.REFURBISHED, certificate="BL-123"), DeviceState.ALLOCATED)
    check_device_move(laptop(DeviceState.REFURBISHED, exemption="drive removed and shredded"), DeviceState.ALLOCATED)
    check_device_move(laptop(DeviceState.REFURBISHED, storage=False), DeviceState.ALLOCATED)


def test_a_blank_certificate_is_not_a_certificate() -> None:
    with pytest.raises(Refusal):
        check_device_move(laptop(DeviceState.REFURBISHED, certificate="   "), DeviceState.ALLOCATED)


def test_the_lifecycle_runs_in_order() -> None:
    check_device_move(laptop(DeviceState.DONATED), DeviceState.COLLECTED)
    check_device_move(laptop(DeviceState.COLLECTED, certificate="C1"), DeviceState.WIPED)
    with pytest.raises(Refusal) as refused:
        check_device_move(laptop(DeviceState.WIPED, certificate="C1"), DeviceState.ALLOCATED)
    assert refused.value.rule == "lifecycle"
    with pytest.raises(Refusal, match="left the service"):
        check_device_move(laptop(DeviceState.HANDED_OVER, certificate="C1"), DeviceState.RECYCLED)
    check_device_move(laptop(DeviceState.COLLECTED), DeviceState.RECYCLED)  # recycling needs no wipe


def test_the_same_help_is_refused_within_its_interval_without_a_reason() -> None:
    with pytest.raises(Refusal) as refused:
        check_repeat_help(HelpKind.SIM, date(2026, 12, 7), [date(2026, 9, 1)], "")
    assert refused.value.rule == "repeat_help"
    assert "1 September 2026" in refused.value.message
    check_repeat_help(HelpKind.SIM, date(2026, 12, 7), [date(2026, 9, 1)], "SIM lost, reported to operator")
    check_repeat_help(HelpKind.SIM, date(2026, 12, 7), [date(2026, 6, 9)], "")  # more than 180 days before
    check_repeat_help(HelpKind.SKILLS, date(2026, 12, 7), [date(2026, 12, 7)], "")  # courses may repeat


def test_a_hub_at_its_cap_of_open_requests_is_refused() -> None:
    check_open_request_cap("Lewisham hub", 4, 5)
    with pytest.raises(Refusal) as refused:
        check_open_request_cap("Lewisham hub", 5, 5)
    assert refused.value.rule == "open_request_cap"
