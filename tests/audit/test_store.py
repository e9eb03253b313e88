"""The stored audit log: appends, append-only triggers, and ``boroughhub audit verify`` (spec §4)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from boroughhub.audit import chain as audit
from boroughhub.audit import store
from boroughhub.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def append(n: int) -> list[AuditEntry]:
    return [
        store.record_event("decision", "permit", user="system", org_id="camden", role="analyst",
                           action="view_aggregate", dataset="metric_values", fields={"value", "area_code"},
                           purpose="bhp:rough-sleeping-strategic-insight", payload={"i": i})
        for i in range(n)
    ]


def verify(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", "--json", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code)
    return code, out.getvalue()


def drop_triggers() -> None:
    """What an attacker with database access does first (rolled back with the test)."""
    with connection.cursor() as cursor:
        for table in ("agreements_auditentry", "agreements_auditsubjectrefs"):
            for statement in store.append_only_sql(connection.vendor, table)[1]:
                cursor.execute(statement)


def test_entries_are_chained_in_order():
    entries = append(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == audit.GENESIS_HASH
    assert entries[1].prev_hash == entries[0].entry_hash
    assert entries[0].fields == ["area_code", "value"]
    assert store.verify_stored_chain().ok


def test_stored_entry_rehashes_to_its_hash_after_a_round_trip():
    append(1)
    row = AuditEntry.objects.get(seq=1)
    assert audit.compute_entry_hash(row.as_chain_dict()) == row.entry_hash


def test_unknown_event_type_or_field_is_refused():
    with pytest.raises(ValueError):
        store.record_event("gossip", "ok")
    with pytest.raises(TypeError):
        store.record_event("session", "ok", seq=5)


def test_triggers_refuse_update_and_delete():
    append(2)
    with store.append_only_enforced():
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(seq=1).update(outcome="deny")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(seq=2).delete()
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE agreements_auditentry SET outcome = 'deny'")
    assert AuditEntry.objects.count() == 2


def test_verify_ok_exits_zero_and_records_a_verify_entry():
    append(3)
    code, out = verify()
    assert code == 0 and json.loads(out)["ok"] is True
    assert AuditEntry.objects.order_by("-seq").first().event_type == "verify"


def test_tampering_with_the_database_is_caught():
    append(4)
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE agreements_auditentry SET outcome = 'deny' WHERE seq = 2")
    code, out = verify()
    assert code == 1 and json.loads(out)["failure"] == "ENTRY_ALTERED" and json.loads(out)["failed_seq"] == 2


def test_deleted_entry_is_caught():
    append(4)
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM agreements_auditentry WHERE seq = 3")
    code, out = verify()
    assert code == 1 and json.loads(out)["failure"] == "GAP_OR_REORDER"


def test_reordered_entries_are_caught():
    append(4)
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE agreements_auditentry SET seq = -1 WHERE seq = 2")
        cursor.execute("UPDATE agreements_auditentry SET seq = 2 WHERE seq = 3")
        cursor.execute("UPDATE agreements_auditentry SET seq = 3 WHERE seq = -1")
    code, out = verify()
    assert code == 1 and json.loads(out)["failure"] == "GAP_OR_REORDER"


def test_rewritten_tail_is_caught_only_by_an_anchor(tmp_path):
    append(3)
    anchor_file = tmp_path / "anchors.jsonl"
    call_command("audit", "anchor", "--file", str(anchor_file), stdout=io.StringIO())
    drop_triggers()
    with connection.cursor() as cursor:  # remove the anchor entry and the one before it
        cursor.execute("DELETE FROM agreements_auditentry WHERE seq >= 3")
    code, out = verify("--anchors", str(anchor_file))
    assert code == 1 and json.loads(out)["failure"] == "TRUNCATED"
    assert store.verify_stored_chain().ok  # a chain alone cannot see a removed tail


def test_access_with_deny_decision_is_orphan():
    deny = store.record_event("decision", "deny", user="system")
    store.record_event("access", "ok", user="system", decision_entry_id=deny.entry_id, row_count=3)
    code, out = verify()
    assert code == 1 and json.loads(out)["failure"] == "ORPHAN_ACCESS"


def test_many_subject_refs_go_to_the_side_table_and_are_checked():
    permit = append(1)[0]
    refs = [{"dataset": "chain", "supplier": "gla", "record_key": f"P{i}"} for i in range(150)]
    entry = store.record_event("access", "ok", user="system", decision_entry_id=permit.entry_id,
                               row_count=150, subject_refs=refs)
    assert entry.subject_refs is None and len(entry.subject_refs_sha256) == 64
    assert verify()[0] == 0
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM agreements_auditsubjectrefs")
    code, out = verify()
    assert code == 1 and json.loads(out)["failure"] == "SIDE_TABLE_ALTERED"


def test_verify_range():
    append(5)
    assert verify("--from-seq", "3", "--to-seq", "4")[0] == 0


def test_request_event_takes_identity_from_the_request(rf):
    class Acting:
        organisation = type("Org", (), {"pk": "camden"})()
        role = "ig_lead"
        user = "3f0c5c4e-0000-4000-8000-000000000001"

    request = rf.get("/")
    request.acting = Acting()
    request.session = type("S", (), {"session_key": "secret-session-key"})()
    entry = store.record_request_event(request, "session", "ok", payload={"what": "sign_in"})
    assert (entry.org, entry.role, entry.user_id) == ("camden", "ig_lead", Acting.user)
    assert entry.session_id.startswith("sess-") and "secret" not in entry.session_id
    raw = store.record_event("session", "ok", session_id="secret-session-key")
    assert raw.session_id == entry.session_id  # a raw key passed by a caller is never stored
