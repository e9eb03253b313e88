"""The audit chain maths, without a database (spec §4.3)."""

from __future__ import annotations

from datetime import UTC, datetime

from boroughhub.audit import chain as audit


def build_log(n: int) -> list[dict]:
    entries: list[dict] = []
    head_seq, head_hash = 0, audit.GENESIS_HASH
    for i in range(n):
        fields = {"event_type": "decision", "outcome": "permit" if i % 2 == 0 else "deny",
                  "entry_id": f"00000000-0000-0000-0000-{i:012d}",
                  "occurred_at": audit.format_instant(datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC)),
                  "fields": ["area_code", "value"], "payload": {"n": i, "name": "Café"}}
        entry = audit.chain_entry(fields, head_seq=head_seq, head_hash=head_hash)
        entries.append(entry)
        head_seq, head_hash = entry["seq"], entry["entry_hash"]
    return entries


def test_first_entry_points_to_genesis_and_chain_verifies():
    log = build_log(5)
    assert log[0]["prev_hash"] == "0" * 64
    assert [e["seq"] for e in log] == [1, 2, 3, 4, 5]
    result = audit.verify_chain(log)
    assert result.ok and result.checked == 5 and result.head_seq == 5


def test_hash_is_sha256_of_sorted_compact_json_without_entry_hash():
    entry = build_log(1)[0]
    body = {k: v for k, v in entry.items() if k != "entry_hash"}
    import hashlib
    import json
    expected = hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
    assert entry["entry_hash"] == expected


def test_edited_entry_is_entry_altered():
    log = build_log(4)
    log[2]["outcome"] = "permit" if log[2]["outcome"] == "deny" else "deny"
    result = audit.verify_chain(log)
    assert (result.failure, result.failed_seq) == (audit.ENTRY_ALTERED, 3)


def test_replaced_entry_with_recomputed_hash_is_chain_broken():
    log = build_log(4)
    forged = audit.chain_entry({**log[2], "outcome": "deny"}, head_seq=2, head_hash="f" * 64)
    log[2] = forged
    assert audit.verify_chain(log).failure == audit.CHAIN_BROKEN


def test_deleted_entry_is_gap():
    log = build_log(4)
    del log[1]
    result = audit.verify_chain(log)
    assert (result.failure, result.failed_seq) == (audit.GAP_OR_REORDER, 3)


def test_reordered_entries_are_gap_or_reorder():
    log = build_log(4)
    log[1], log[2] = log[2], log[1]
    assert audit.verify_chain(log).failure == audit.GAP_OR_REORDER


def test_anchor_beyond_head_is_truncated_and_differing_anchor_is_mismatch():
    log = build_log(4)
    assert audit.verify_chain(log[:3], anchors=[audit.Anchor(4, log[3]["entry_hash"])]).failure == audit.TRUNCATED
    bad = audit.Anchor(2, "e" * 64)
    assert audit.verify_chain(log, anchors=[bad]).failure == audit.ANCHOR_MISMATCH
    assert audit.verify_chain(log, anchors=[audit.Anchor(4, log[3]["entry_hash"])]).ok


def test_access_must_follow_a_permit():
    log = build_log(2)  # seq 1 permit, seq 2 deny
    permit_id, deny_id = log[0]["entry_id"], log[1]["entry_id"]
    good = audit.chain_entry({"event_type": "access", "outcome": "ok", "entry_id": "a1",
                              "decision_entry_id": permit_id}, head_seq=2, head_hash=log[1]["entry_hash"])
    assert audit.verify_chain([*log, good]).ok
    bad = audit.chain_entry({"event_type": "access", "outcome": "ok", "entry_id": "a2",
                             "decision_entry_id": deny_id}, head_seq=2, head_hash=log[1]["entry_hash"])
    assert audit.verify_chain([*log, bad]).failure == audit.ORPHAN_ACCESS


def test_side_table_change_is_detected():
    refs = [{"dataset": "chain", "supplier": "gla", "record_key": str(i)} for i in range(101)]
    entry = audit.chain_entry({"event_type": "access", "outcome": "ok", "entry_id": "x",
                               "decision_entry_id": None, "subject_refs_sha256": audit.sha256_hex(refs)},
                              head_seq=0, head_hash=audit.GENESIS_HASH)
    entry["event_type"] = "access"
    ok = audit.verify_chain([{**entry, "event_type": "audit_read", "entry_hash": audit.compute_entry_hash(
        {**entry, "event_type": "audit_read"})}], side_table=lambda seq: refs)
    assert ok.ok
    altered = audit.verify_chain([{**entry, "event_type": "audit_read", "entry_hash": audit.compute_entry_hash(
        {**entry, "event_type": "audit_read"})}], side_table=lambda seq: refs[:-1])
    assert altered.failure == audit.SIDE_TABLE_ALTERED


def test_jsonable_turns_floats_sets_and_instants_into_stable_json():
    value = audit.jsonable({"p": 0.5, "s": {"b", "a"}, "t": datetime(2026, 10, 25, 1, 0, tzinfo=UTC)})
    assert value == {"p": "0.5", "s": ["a", "b"], "t": "2026-10-25T01:00:00.000000Z"}
