"""The audit log's tables (agreements spec §4.2, §4.4) and the switch of their append-only triggers.

The audit log refers to nothing by foreign key: it is kept apart from the application data and
must outlive any row it mentions (spec §4.1). The tables were created by the agreements app and
moved here without being touched (docs/decisions/0040-audit-log-room.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import models
from django.db.backends.signals import connection_created

from . import chain
from .chain import format_instant

# On SQLite the triggers call boroughhub_append_only(), registered on every Django connection.
# In the test profile it answers 0 unless a test turns enforcement on with append_only_enforced():
# pytest-django empties tables with DELETE between transactional tests, which the triggers would
# (rightly) refuse. A connection without the function (the sqlite3 shell) cannot change the rows.
_APPEND_ONLY = {"enforced": settings.ENV != "test"}


def _append_only_enforced() -> int:
    return 1 if _APPEND_ONLY["enforced"] else 0


def register_append_only_function(sender: object, connection: Any, **kwargs: object) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("boroughhub_append_only", 0, _append_only_enforced)


connection_created.connect(register_append_only_function, dispatch_uid="boroughhub-append-only")


@contextmanager
def append_only_enforced() -> Iterator[None]:
    """Turn the SQLite append-only triggers on (they always are outside the test profile)."""
    previous = _APPEND_ONLY["enforced"]
    _APPEND_ONLY["enforced"] = True
    try:
        yield
    finally:
        _APPEND_ONLY["enforced"] = previous



class AuditEntry(models.Model):
    """One entry of the append-only, hash-chained audit log (spec §4.2).

    ``id`` is the storage order; ``seq`` the chain position. They agree unless someone moved rows,
    which ``audit verify`` reports as GAP_OR_REORDER. Database triggers reject UPDATE and DELETE
    (agreements migration 0001). Write entries only through ``boroughhub.audit.record_event``.
    """

    id = models.BigAutoField(primary_key=True)
    seq = models.BigIntegerField(unique=True)
    entry_id = models.UUIDField(unique=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)
    event_type = models.CharField(max_length=20, db_index=True)
    occurred_at = models.DateTimeField(db_index=True)
    user_id = models.CharField(max_length=64, null=True)
    role = models.CharField(max_length=20, null=True)
    org = models.CharField(max_length=40, null=True, db_index=True)
    session_id = models.CharField(max_length=64, null=True)
    request_id = models.CharField(max_length=36, null=True)
    decision_entry_id = models.CharField(max_length=36, null=True)
    action = models.CharField(max_length=chain.ACTION_MAX_LENGTH, null=True)
    dataset = models.CharField(max_length=40, null=True)
    fields = models.JSONField(null=True)
    purpose = models.CharField(max_length=100, null=True)
    agreement_id = models.CharField(max_length=60, null=True, db_index=True)
    agreement_version = models.IntegerField(null=True)
    permission_id = models.CharField(max_length=60, null=True)
    prohibition_id = models.CharField(max_length=60, null=True)
    outcome = models.CharField(max_length=10)
    reasons = models.JSONField(null=True)
    obligations = models.JSONField(null=True)
    row_count = models.BigIntegerField(null=True)
    subject_refs = models.JSONField(null=True)
    subject_refs_sha256 = models.CharField(max_length=64, null=True)
    export_sha256 = models.CharField(max_length=64, null=True)
    justification = models.CharField(max_length=500, null=True)
    payload = models.JSONField(null=True)

    class Meta:
        # The table keeps the name it was created with inside agreements (migration audit 0001).
        db_table = "agreements_auditentry"
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type} {self.outcome}"

    def as_chain_dict(self) -> dict[str, Any]:
        """The entry as ``audit.verify_chain`` reads it (the hashed fields plus ``entry_hash``)."""
        out = {name: getattr(self, name) for name in CHAIN_COLUMNS}
        out["entry_id"] = str(self.entry_id)
        out["occurred_at"] = format_instant(self.occurred_at)
        return out

    @property
    def primary_reason(self) -> str:
        return (self.reasons or [{}])[0].get("code", "") if self.reasons else ""


CHAIN_COLUMNS: tuple[str, ...] = (
    "seq", "entry_id", "prev_hash", "entry_hash", "event_type", "occurred_at", "user_id", "role", "org",
    "session_id", "request_id", "decision_entry_id", "action", "dataset", "fields", "purpose",
    "agreement_id", "agreement_version", "permission_id", "prohibition_id", "outcome", "reasons",
    "obligations", "row_count", "subject_refs", "subject_refs_sha256", "export_sha256", "justification",
    "payload",
)


class AuditSubjectRefs(models.Model):
    """The full subject references of an entry with more than 100 (spec §4.2); append-only too.

    The entry holds the SHA-256 of ``refs``, so a change here shows as SIDE_TABLE_ALTERED.
    """

    seq = models.BigIntegerField(primary_key=True)
    refs = models.JSONField()

    class Meta:
        db_table = "agreements_auditsubjectrefs"
        verbose_name_plural = "audit subject references"
