"""The service's rules, as plain functions: what a hub may give, and when stock may move.

Each refusal is a :class:`Refusal` naming its rule, so the page, the command line and the audit entry
say the same thing. Nothing here reads the database: the callers pass in the facts (the device's
state, the person's earlier help, the hub's open requests) and act only on an empty answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Refusal(Exception):
    """A rule said no. ``rule`` is a short stable name; ``message`` says what to do instead."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{message} (rule: {rule})")
        self.rule = rule
        self.message = message


class DeviceState(StrEnum):
    DONATED = "donated"
    COLLECTED = "collected"
    WIPED = "wiped"
    REFURBISHED = "refurbished"
    ALLOCATED = "allocated"
    HANDED_OVER = "handed_over"
    RECYCLED = "recycled"

    @property
    def label(self) -> str:
        return "Handed over" if self is DeviceState.HANDED_OVER else self.value.capitalize()


# The lifecycle: each state and the states it may move to. Recycling is possible until the device
# leaves the service; an allocation can be taken back (the person did not come) to refurbished.
NEXT_STATES: dict[DeviceState, frozenset[DeviceState]] = {
    DeviceState.DONATED: frozenset({DeviceState.COLLECTED, DeviceState.RECYCLED}),
    DeviceState.COLLECTED: frozenset({DeviceState.WIPED, DeviceState.REFURBISHED, DeviceState.RECYCLED}),
    DeviceState.WIPED: frozenset({DeviceState.REFURBISHED, DeviceState.RECYCLED}),
    DeviceState.REFURBISHED: frozenset({DeviceState.ALLOCATED, DeviceState.RECYCLED}),
    DeviceState.ALLOCATED: frozenset({DeviceState.HANDED_OVER, DeviceState.REFURBISHED, DeviceState.RECYCLED}),
    DeviceState.HANDED_OVER: frozenset(),
    DeviceState.RECYCLED: frozenset(),
}

WIPE_REQUIRED = "wipe_required"
LIFECYCLE = "lifecycle"
REPEAT_HELP = "repeat_help"
OPEN_REQUEST_CAP = "open_request_cap"
CONSENT_REQUIRED = "consent_required"


@dataclass(frozen=True)
class DeviceFacts:
    serial: str
    state: DeviceState
    has_storage: bool
    wipe_certificate: str = ""
    wipe_exemption: str = ""

    @property
    def wipe_evidenced(self) -> bool:
        return not self.has_storage or bool(self.wipe_certificate.strip() or self.wipe_exemption.strip())


def check_device_move(device: DeviceFacts, to: DeviceState) -> None:
    """Raise a :class:`Refusal` unless ``device`` may move to state ``to``.

    The wipe rule comes first: a device holding storage never reaches a person's hands (or the wiped
    and refurbished states that lead there) without a wipe certificate or a recorded exemption,
    whatever its recorded state says."""
    needs_wipe = {DeviceState.WIPED, DeviceState.REFURBISHED, DeviceState.ALLOCATED, DeviceState.HANDED_OVER}
    if to in needs_wipe and not device.wipe_evidenced:
        raise Refusal(WIPE_REQUIRED, f"Device {device.serial} holds storage and has no wipe certificate or "
                      "recorded exemption. Import the erasure tool's log or enter the certificate number first.")
    if to not in NEXT_STATES[device.state]:
        allowed = ", ".join(sorted(s.label.lower() for s in NEXT_STATES[device.state])) or "nothing (it has left the service)"
        raise Refusal(LIFECYCLE, f"Device {device.serial} is {device.state.label.lower()}: it can move to {allowed}, "
                      f"not to {to.label.lower()}.")


class HelpKind(StrEnum):
    DEVICE = "device"
    SIM = "sim"
    VOUCHER = "voucher"
    SKILLS = "skills"

    @property
    def label(self) -> str:
        return HELP_LABELS[self]


HELP_LABELS = {HelpKind.DEVICE: "Device", HelpKind.SIM: "SIM card", HelpKind.VOUCHER: "Data voucher",
               HelpKind.SKILLS: "Skills course referral"}

# How long after one kind of help the same kind is refused unless a reason is recorded: a device is
# meant to last, a SIM's data allowance runs for six months, a voucher tops up for a month.
REPEAT_INTERVALS: dict[HelpKind, timedelta] = {
    HelpKind.DEVICE: timedelta(days=365),
    HelpKind.SIM: timedelta(days=180),
    HelpKind.VOUCHER: timedelta(days=28),
    HelpKind.SKILLS: timedelta(days=0),
}


def check_repeat_help(kind: HelpKind, on: date, earlier: Iterable[date], reason: str) -> None:
    """Refuse ``kind`` of help on ``on`` if the person had it less than its interval before, unless a
    reason is recorded."""
    interval = REPEAT_INTERVALS[kind]
    recent = [given for given in earlier if on - interval < given <= on]
    if recent and not reason.strip():
        last = max(recent)
        raise Refusal(REPEAT_HELP, f"This person was given a {kind.label.lower()} on {last.day} {last:%B %Y}, "
                      f"less than {interval.days} days ago. Record the reason they need another one.")


DEFAULT_OPEN_REQUEST_CAP = 5


def check_open_request_cap(hub_name: str, open_requests: int, cap: int) -> None:
    """A hub may hold at most ``cap`` open stock requests: the next one waits until one is met."""
    if open_requests >= cap:
        raise Refusal(OPEN_REQUEST_CAP, f"{hub_name} already has {open_requests} open stock requests, its cap is "
                      f"{cap}. Wait for one to be met or withdraw one first.")


#: How long a person's record is kept after they consent: three years covers the device's life and a
#: funder's audit of the year it was given in (docs/decisions/0120-get-online-london.md).
RETENTION_YEARS = 3


def retain_until(consented_on: date) -> date:
    """The day a person's record is kept until (the 28th at the latest, so every month has it)."""
    return date(consented_on.year + RETENTION_YEARS, consented_on.month, min(consented_on.day, 28))
