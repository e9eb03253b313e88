"""What goes into ``decide()`` and what comes out (spec §3.1, §3.6).

:class:`Request` is built from the authenticated session and the server clock; :class:`Decision`
is what the audit log records and what the data layer obeys (its :class:`Obligations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from boroughhub.agreements.vocabulary import DecisionOutcome, format_instant


@dataclass(frozen=True, slots=True)
class Request:
    """One attempt to upload, link, view or export (spec §3.1).

    Build it from the authenticated session, never from client input: ``user_id``, ``org`` and
    ``role`` come from the session; ``time`` from the server clock (timezone-aware). The
    constructor does not validate: ``decide()`` does, so a malformed request is denied with
    ``INVALID_REQUEST`` and audited rather than raising somewhere in a view.
    """

    request_id: str
    user_id: str
    org: str
    role: str
    action: str
    dataset: str
    fields: frozenset[str]
    purpose: str
    time: datetime
    subject_refs: tuple[str, ...] = ()


class Reason(NamedTuple):
    """Why a decision came out as it did; the first reason of a decision is its primary one.

    A named tuple rather than a dataclass: a denial carries one reason per candidate agreement,
    and tuples are immutable and several times cheaper to create.
    """

    code: str
    agreement_id: str | None = None
    version: int | None = None
    permission_id: str | None = None
    prohibition_id: str | None = None
    fields: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of spec §3.1, leaving out elements that are not set."""
        out: dict[str, Any] = {"code": self.code}
        for key, value in (("agreement_id", self.agreement_id), ("version", self.version),
                           ("permission_id", self.permission_id), ("prohibition_id", self.prohibition_id)):
            if value is not None:
                out[key] = value
        if self.fields is not None:
            out["fields"] = list(self.fields)
        return out


class Match(NamedTuple):
    """A permission that would permit the request: ``(agreement_id, version, permission_id)``."""

    agreement_id: str
    version: int
    permission_id: str


@dataclass(frozen=True, slots=True)
class RowFilter:
    """Rows the data layer may return (spec §3.6).

    ``purpose``: only rows tagged with this purpose. ``suppliers``: for source datasets only
    rows from these organisations (org ids; ``None`` for derived datasets, meaning no supplier
    filter applies).
    """

    purpose: str
    suppliers: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Stamp:
    """What every row stored by a permitted upload carries (spec §3.6)."""

    supplier: str
    purpose: str
    agreement_id: str
    version: int


@dataclass(frozen=True, slots=True)
class Obligations:
    """What the query and storage layer MUST apply after a permit; if it cannot, return nothing."""

    row_filter: RowFilter | None = None
    min_cell_size: int | None = None
    stamp: Stamp | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.row_filter is not None:
            rf: dict[str, Any] = {"purpose": self.row_filter.purpose}
            if self.row_filter.suppliers is not None:
                rf["suppliers"] = sorted(self.row_filter.suppliers)
            out["row_filter"] = rf
        if self.min_cell_size is not None:
            out["min_cell_size"] = self.min_cell_size
        if self.stamp is not None:
            out["stamp"] = {
                "supplier": self.stamp.supplier,
                "purpose": self.stamp.purpose,
                "agreement_id": self.stamp.agreement_id,
                "version": self.stamp.version,
            }
        return out


@dataclass(frozen=True, slots=True)
class Decision:
    """The result of ``decide()`` (spec §3.1). ``decided_at`` is the request time, in UTC.

    A permit has exactly one reason (``PERMITTED``), the cited agreement, every matching
    permission in ``matched`` and its ``obligations``. A deny has its reasons, primary first,
    ``matched == ()`` and ``obligations is None``.
    """

    decision: DecisionOutcome
    reasons: tuple[Reason, ...]
    registry_revision: int | str | None
    decided_at: datetime | None
    agreement_id: str | None = None
    agreement_version: int | None = None
    matched: tuple[Match, ...] = ()
    obligations: Obligations | None = None

    @property
    def permitted(self) -> bool:
        return self.decision == "permit"

    @property
    def primary_reason(self) -> Reason:
        return self.reasons[0]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the audit log and the API."""
        return {
            "decision": self.decision,
            "agreement_id": self.agreement_id,
            "agreement_version": self.agreement_version,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "matched": [[m.agreement_id, m.version, m.permission_id] for m in self.matched],
            "obligations": None if self.obligations is None else self.obligations.to_dict(),
            "registry_revision": self.registry_revision,
            "decided_at": None if self.decided_at is None else format_instant(self.decided_at),
        }

