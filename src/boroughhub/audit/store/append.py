"""Database side of the audit log: appending under a lock, reading the chain back, triggers.

``record_event`` here is the one append; every room reaches it through ``boroughhub.audit.record_event``.
Appends are serialised (spec §4.3, §4.4): on SQLite the transaction starts with ``BEGIN IMMEDIATE`` so the head cannot move between
reading it and inserting after it; on PostgreSQL a transaction-scoped advisory lock does the same.
Inside a caller's transaction (a sign-off and its entry are written together, spec §7.2 S8) the
entry joins that transaction; ``seq`` is unique, so a race can only fail, never fork the chain.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connections, transaction  # noqa: TID251 (store is the database side)
from django.http import HttpRequest  # noqa: TID251 (store is the database side)

from boroughhub.audit import chain
from boroughhub.audit.clock import audit_now
from boroughhub.audit.models import AuditEntry, AuditSubjectRefs, append_only_enforced

#: The key of the PostgreSQL advisory lock that serialises appends ("bhaudit" in ASCII).
ADVISORY_LOCK_KEY = 0x6268617564697400 >> 8


def append_only_sql(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """SQL creating and dropping the triggers that reject UPDATE and DELETE on ``table``."""
    if vendor == "sqlite":
        create = [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"WHEN boroughhub_append_only() BEGIN "
            f"SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
            for op in ("UPDATE", "DELETE")
        ]
        drop = [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")]
        return create, drop
    if vendor == "postgresql":
        create = [
            "CREATE OR REPLACE FUNCTION boroughhub_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION boroughhub_reject_change()",
        ]
        return create, [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
    raise NotImplementedError(f"no append-only triggers for {vendor}")


def install_append_only(schema_editor: Any, tables: list[str]) -> None:
    for table in tables:
        for statement in append_only_sql(schema_editor.connection.vendor, table)[0]:
            schema_editor.execute(statement, params=None)


def remove_append_only(schema_editor: Any, tables: list[str]) -> None:
    for table in tables:
        for statement in append_only_sql(schema_editor.connection.vendor, table)[1]:
            schema_editor.execute(statement, params=None)


# ----------------------------------------------------------------------------- appending


@contextmanager
def serialised_transaction(using: str = "default") -> Iterator[None]:
    """A transaction that holds the audit append lock from its first statement.

    Use it around any work that must commit together with its audit entry (a sign-off, a state
    change): on SQLite it begins with ``BEGIN IMMEDIATE``; on PostgreSQL it takes the advisory lock.
    Nested inside another transaction it simply joins it.
    """
    conn = connections[using]
    if conn.vendor == "sqlite" and not conn.in_atomic_block:
        conn.ensure_connection()
        previous = conn.transaction_mode
        conn.transaction_mode = "IMMEDIATE"
        try:
            with transaction.atomic(using=using):
                conn.transaction_mode = previous
                yield
        finally:
            conn.transaction_mode = previous
        return
    with transaction.atomic(using=using):
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        yield


def _head(cursor: Any) -> tuple[int, str]:
    cursor.execute(f"SELECT seq, entry_hash FROM {AuditEntry._meta.db_table} ORDER BY seq DESC LIMIT 1")
    last = cursor.fetchone()
    return (int(last[0]), str(last[1])) if last is not None else (0, chain.GENESIS_HASH)


def _insert(cursor: Any, conn: Any, row: AuditEntry) -> None:
    """One INSERT with the fields' own database preparation: the ORM's save() costs ~2 ms of CPU
    per entry in query compilation, more than the rest of an append together (benchmarks/audit.py)."""
    fields = [f for f in AuditEntry._meta.concrete_fields if f.name != "id"]
    values = [f.get_db_prep_save(getattr(row, f.attname), connection=conn) for f in fields]
    columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {AuditEntry._meta.db_table} ({columns}) VALUES ({placeholders})"
    if conn.vendor == "postgresql":
        cursor.execute(sql + " RETURNING id", values)
        row.pk = cursor.fetchone()[0]
    else:
        cursor.execute(sql, values)
        row.pk = cursor.lastrowid
    row._state.adding = False


def record_event(
    event_type: str,
    outcome: str,
    *,
    user: Any = None,
    org_id: str | None = None,
    role: str | None = None,
    session_id: str | None = None,
    payload: dict[str, Any] | None = None,
    **fields: Any,
) -> AuditEntry:
    """Append one entry to the audit log and return it, committed (or part of the caller's
    transaction). Raises if it cannot append: callers fail closed.

    ``user`` is a user object, a user id, ``"system"`` or None. Other keyword arguments are the
    entry fields of spec §4.2 (``action``, ``dataset``, ``fields``, ``purpose``, ``agreement_id``,
    ``agreement_version``, ``reasons``, ``obligations``, ``request_id``, ``decision_entry_id``,
    ``row_count``, ``subject_refs``, ``export_sha256``, ``justification``, ...).
    """
    if event_type not in chain.EVENT_TYPES:
        raise ValueError(f"unknown audit event type {event_type!r}")
    if outcome not in chain.OUTCOMES:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    action = fields.get("action")
    if action is not None and len(str(action)) > chain.ACTION_MAX_LENGTH:
        # SQLite stores a longer value silently and PostgreSQL refuses it: refuse it here, on both.
        raise ValueError(f"audit action {action!r} is longer than {chain.ACTION_MAX_LENGTH} characters")
    unknown = set(fields) - set(chain.ENTRY_FIELDS)
    if unknown or {"seq", "prev_hash", "entry_id", "occurred_at"} & set(fields):
        raise TypeError(f"not settable audit fields: {sorted(unknown or fields)}")
    values: dict[str, Any] = {name: chain.jsonable(value) for name, value in fields.items()}
    if values.get("fields") is not None:
        values["fields"] = sorted(values["fields"])
    values.update(
        event_type=event_type,
        outcome=outcome,
        entry_id=str(uuid.uuid4()),
        occurred_at=chain.format_instant(audit_now()),
        user_id=_user_id(user),
        org=org_id,
        role=str(role) if role is not None else None,
        session_id=pseudonymous_session(session_id),
        payload=chain.jsonable(payload) if payload is not None else None,
    )
    side_refs = None
    refs = values.get("subject_refs")
    if refs is not None and len(refs) > chain.INLINE_SUBJECT_REFS_LIMIT:
        side_refs = refs
        values["subject_refs"] = None
        values["subject_refs_sha256"] = chain.sha256_hex(refs)

    conn = connections["default"]
    with serialised_transaction(), conn.cursor() as cursor:
        head_seq, head_hash = _head(cursor)
        entry = chain.chain_entry(values, head_seq=head_seq, head_hash=head_hash)
        row = AuditEntry(**{**entry, "occurred_at": datetime.fromisoformat(entry["occurred_at"])})
        _insert(cursor, conn, row)
        if side_refs is not None:
            AuditSubjectRefs.objects.create(seq=row.seq, refs=side_refs)
    return row


def _user_id(user: Any) -> str | None:
    if user is None:
        return None
    if isinstance(user, str | uuid.UUID):
        return str(user)
    if not getattr(user, "is_authenticated", True):
        return None
    return str(user.pk)


SESSION_PREFIX = "sess-"


def pseudonymous_session(value: str | None) -> str | None:
    """A stable reference to a session that never reveals its key (a credential): callers may pass
    the raw key; what is stored is ``sess-`` and 32 hex characters of its SHA-256."""
    if not value:
        return None
    if value.startswith(SESSION_PREFIX):
        return value
    return SESSION_PREFIX + hashlib.sha256(value.encode()).hexdigest()[:32]


def session_reference(request: HttpRequest) -> str | None:
    session = getattr(request, "session", None)
    return pseudonymous_session(getattr(session, "session_key", None))


def record_request_event(request: HttpRequest, event_type: str, outcome: str, **kwargs: Any) -> AuditEntry:
    """``record_event`` with the user, organisation, role and session taken from the request."""
    acting = getattr(request, "acting", None)
    user = getattr(acting, "user", None) or getattr(request, "user", None)
    kwargs.setdefault("user", user)
    if acting is not None:
        kwargs.setdefault("org_id", acting.organisation.pk)
        kwargs.setdefault("role", str(acting.role))
    kwargs.setdefault("session_id", session_reference(request))
    return record_event(event_type, outcome, **kwargs)


# ----------------------------------------------------------------------------- reading the chain


def iter_chain(from_seq: int | None = None, to_seq: int | None = None) -> Iterator[dict[str, Any]]:
    """Entries in storage order, as ``chain.verify_chain`` reads them."""
    rows = AuditEntry.objects.order_by("id")
    if from_seq is not None:
        rows = rows.filter(seq__gte=from_seq)
    if to_seq is not None:
        rows = rows.filter(seq__lte=to_seq)
    for row in rows.iterator(chunk_size=2000):
        yield row.as_chain_dict()


def lookup_decision(entry_id: str) -> tuple[int, str, str] | None:
    found = AuditEntry.objects.filter(entry_id=entry_id).values_list("seq", "event_type", "outcome").first()
    return found


def side_table_refs(seq: int) -> list[Any] | None:
    row = AuditSubjectRefs.objects.filter(seq=seq).first()
    return None if row is None else row.refs


def verify_stored_chain(
    from_seq: int | None = None, to_seq: int | None = None, anchors: list[chain.Anchor] | None = None
) -> chain.VerifyResult:
    start_seq = from_seq or 1
    start_prev: str | None = chain.GENESIS_HASH
    if start_seq > 1:
        before = AuditEntry.objects.filter(seq=start_seq - 1).values_list("entry_hash", flat=True).first()
        start_prev = before
    return chain.verify_chain(
        iter_chain(from_seq, to_seq),
        start_seq=start_seq,
        start_prev_hash=start_prev,
        anchors=anchors or (),
        lookup_decision=lookup_decision,
        side_table=side_table_refs,
        anchors_cover_whole_log=to_seq is None,
    )


def head_anchor() -> chain.Anchor | None:
    row = AuditEntry.objects.order_by("-seq").first()
    if row is None:
        return None
    return chain.Anchor(row.seq, row.entry_hash, chain.format_instant(row.occurred_at))


def entries_as_json(entries: list[AuditEntry]) -> list[Mapping[str, Any]]:
    return [entry.as_chain_dict() for entry in entries]


__all__ = [
    "append_only_enforced", "append_only_sql", "install_append_only", "record_event", "record_request_event",
    "remove_append_only", "serialised_transaction", "verify_stored_chain",
]
