"""The hash-chained audit log: entry hashes and verification (agreements spec §4.2–§4.3).

Plain Python, no Django: the database side (``store.py``) turns rows into dicts and back, and this
module does the maths, so the same code verifies a live database, an exported copy or a test list.

``entry_hash = hex(SHA-256(UTF-8(JCS(entry without entry_hash))))``. JCS is RFC 8785; for the JSON
that audit entries hold (strings, integers, booleans, null, arrays, objects with ASCII keys; no
floats, which :func:`jsonable` turns into strings before anything is stored) it is exactly
``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
(docs/decisions/0010-agreements-audit-chain.md).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

GENESIS_HASH = "0" * 64

#: Every hashed element of an entry (spec §4.2), in the order the docs list them.
#: ``entry_hash`` itself is the only field of an entry left out of its hash.
ENTRY_FIELDS: tuple[str, ...] = (
    "seq", "entry_id", "prev_hash", "event_type", "occurred_at",
    "user_id", "role", "org", "session_id", "request_id", "decision_entry_id",
    "action", "dataset", "fields", "purpose",
    "agreement_id", "agreement_version", "permission_id", "prohibition_id",
    "outcome", "reasons", "obligations", "row_count",
    "subject_refs", "subject_refs_sha256", "export_sha256", "justification", "payload",
)

EVENT_TYPES: frozenset[str] = frozenset({
    "decision", "access", "registry", "sign_off", "sign_refused", "designation", "delegation",
    "role_grant", "role_revoke", "org_suspension", "session", "audit_read", "exemption_flag",
    "anchor", "verify", "notification",
})
OUTCOMES: frozenset[str] = frozenset({"permit", "deny", "ok", "refused", "error"})
#: The ``action`` column's width (models.AuditEntry): a longer name is refused on every database.
ACTION_MAX_LENGTH = 20

#: More subject references than this are kept in the side table, with only their hash inline.
INLINE_SUBJECT_REFS_LIMIT = 100

# The failure codes of ``audit verify`` (spec §4.3).
ENTRY_ALTERED = "ENTRY_ALTERED"
CHAIN_BROKEN = "CHAIN_BROKEN"
GAP_OR_REORDER = "GAP_OR_REORDER"
TRUNCATED = "TRUNCATED"
ANCHOR_MISMATCH = "ANCHOR_MISMATCH"
ORPHAN_ACCESS = "ORPHAN_ACCESS"
SIDE_TABLE_ALTERED = "SIDE_TABLE_ALTERED"


def format_instant(value: datetime) -> str:
    """UTC with microseconds and ``Z``: the one spelling of an instant inside hashed entries."""
    if value.tzinfo is None:
        raise ValueError("audit instants must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON that hashes the same after a database round trip.

    Datetimes become UTC ``Z`` strings, UUIDs and dates strings, sets sorted lists, tuples lists,
    and floats strings (their JCS spelling differs from Python's in corner cases, so none is stored).
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return format_instant(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(jsonable(item) for item in value)
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    raise TypeError(f"cannot put a {type(value).__name__} into an audit entry")


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def hashed_form(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The exact object whose canonical JSON is hashed: every field of :data:`ENTRY_FIELDS`,
    absent ones as null."""
    return {name: entry.get(name) for name in ENTRY_FIELDS}


def compute_entry_hash(entry: Mapping[str, Any]) -> str:
    return sha256_hex(hashed_form(entry))


def chain_entry(fields: Mapping[str, Any], *, head_seq: int, head_hash: str) -> dict[str, Any]:
    """A new entry after the head ``(head_seq, head_hash)`` (use ``0, GENESIS_HASH`` for the first).

    ``fields`` must already be :func:`jsonable`; the result adds ``seq``, ``prev_hash`` and
    ``entry_hash``.
    """
    entry = hashed_form(fields)
    entry["seq"] = head_seq + 1
    entry["prev_hash"] = head_hash
    entry["entry_hash"] = compute_entry_hash(entry)
    return entry


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True, slots=True)
class Anchor:
    """A published head of the log: ``(seq, entry_hash)`` kept outside the database."""

    seq: int
    entry_hash: str
    occurred_at: str = ""


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    failure: str | None = None
    failed_seq: int | None = None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "checked": self.checked, "head_seq": self.head_seq, "head_hash": self.head_hash,
            "failure": self.failure, "failed_seq": self.failed_seq, "message": self.message,
        }


#: Looks up an entry outside the verified range by ``entry_id``: ``(seq, event_type, outcome)``.
DecisionLookup = Callable[[str], "tuple[int, str, str] | None"]
#: The side-table list of subject references of the entry with this ``seq``, or None.
SideTableLookup = Callable[[int], "list[Any] | None"]


def verify_chain(
    entries: Iterable[Mapping[str, Any]],
    *,
    start_seq: int = 1,
    start_prev_hash: str | None = GENESIS_HASH,
    anchors: Iterable[Anchor] = (),
    lookup_decision: DecisionLookup | None = None,
    side_table: SideTableLookup | None = None,
    anchors_cover_whole_log: bool = True,
) -> VerifyResult:
    """Walk ``entries`` in storage order and return the first failure of spec §4.3.

    ``entries`` are dicts with the fields of :data:`ENTRY_FIELDS` plus ``entry_hash``, in the
    order they were stored (insertion order, not sorted by ``seq``, so a moved entry shows).
    ``start_seq`` / ``start_prev_hash`` let a range start mid-log; pass ``start_prev_hash=None`` to
    accept whatever the first entry of the range points back to. Anchors beyond the stored head
    give ``TRUNCATED`` (only meaningful when the range runs to the head).
    """
    anchor_by_seq = {a.seq: a for a in anchors}
    permits_seen: set[str] = set()
    expected_seq = start_seq
    prev_hash = start_prev_hash
    checked = 0
    head_seq, head_hash = start_seq - 1, start_prev_hash or ""

    def failed(code: str, seq: int | None, message: str) -> VerifyResult:
        return VerifyResult(False, checked, head_seq, head_hash, code, seq, message)

    for entry in entries:
        seq = entry["seq"]
        if seq != expected_seq:
            return failed(GAP_OR_REORDER, seq, f"expected entry {expected_seq}, found {seq}")
        if compute_entry_hash(entry) != entry["entry_hash"]:
            return failed(ENTRY_ALTERED, seq, f"entry {seq} does not match its hash")
        if prev_hash is not None and entry["prev_hash"] != prev_hash:
            return failed(CHAIN_BROKEN, seq, f"entry {seq} does not point to entry {seq - 1}")
        anchor = anchor_by_seq.get(seq)
        if anchor is not None and anchor.entry_hash != entry["entry_hash"]:
            return failed(ANCHOR_MISMATCH, seq, f"entry {seq} differs from the anchor published for it")
        problem = _orphan_access(entry, permits_seen, lookup_decision)
        if problem:
            return failed(ORPHAN_ACCESS, seq, problem)
        if entry.get("subject_refs_sha256") and side_table is not None:
            refs = side_table(seq)
            if refs is None or sha256_hex(refs) != entry["subject_refs_sha256"]:
                return failed(SIDE_TABLE_ALTERED, seq, f"subject references of entry {seq} were changed")
        if entry["event_type"] == "decision" and entry["outcome"] == "permit":
            permits_seen.add(str(entry["entry_id"]))
        checked += 1
        expected_seq = seq + 1
        prev_hash = entry["entry_hash"]
        head_seq, head_hash = seq, entry["entry_hash"]

    if anchors_cover_whole_log:
        beyond = [a.seq for a in anchor_by_seq.values() if a.seq > head_seq]
        if beyond:
            return failed(TRUNCATED, max(beyond), f"an anchor names entry {max(beyond)}, beyond the head {head_seq}")
    return VerifyResult(True, checked, head_seq, head_hash, message=f"{checked} entries verified")


def _orphan_access(
    entry: Mapping[str, Any], permits_seen: set[str], lookup_decision: DecisionLookup | None
) -> str:
    if entry["event_type"] != "access":
        return ""
    target = entry.get("decision_entry_id")
    if not target:
        return f"access entry {entry['seq']} names no decision"
    if str(target) in permits_seen:
        return ""
    found = lookup_decision(str(target)) if lookup_decision is not None else None
    if found is not None:
        seq, event_type, outcome = found
        if seq < entry["seq"] and event_type == "decision" and outcome == "permit":
            return ""
    return f"access entry {entry['seq']} does not follow a permitting decision"
