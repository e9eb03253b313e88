"""The database side of agreements: the audit log, version documents and the lifecycle.

``from boroughhub.agreements.store import record_event`` is the public way to audit anything.
"""

from .audit_log import (
    append_only_enforced,
    append_only_sql,
    install_append_only,
    record_event,
    record_request_event,
    remove_append_only,
    serialised_transaction,
    verify_stored_chain,
)

__all__ = [
    "append_only_enforced", "append_only_sql", "install_append_only", "record_event", "record_request_event",
    "remove_append_only", "serialised_transaction", "verify_stored_chain",
]
