"""The database side of the audit log: appending (``append``) and the privacy officer's view (``scope``).

Rooms write through ``boroughhub.audit.record_event``; this package is what it calls.
"""

from .append import (
    append_only_enforced,
    append_only_sql,
    head_anchor,
    install_append_only,
    iter_chain,
    record_event,
    record_request_event,
    remove_append_only,
    serialised_transaction,
    session_reference,
    verify_stored_chain,
)

__all__ = [
    "append_only_enforced", "append_only_sql", "head_anchor", "install_append_only", "iter_chain", "record_event",
    "record_request_event", "remove_append_only", "serialised_transaction", "session_reference",
    "verify_stored_chain",
]
