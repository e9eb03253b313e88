"""Pages of the agreements registry (IG leads) and the audit log (privacy officers)."""

from .agreements import (
    agreement_list,
    designate_signatory,
    new_draft,
    version_changes,
    version_detail,
    version_document_json,
)
from .audit import audit_entries, subject_access
from .drafting import change_state, edit_draft, propose_new_version, submit_for_signature
from .signing import sign_version

__all__ = [
    "agreement_list", "audit_entries", "change_state", "edit_draft", "propose_new_version", "submit_for_signature", "designate_signatory", "new_draft", "sign_version", "subject_access",
    "version_changes", "version_detail", "version_document_json",
]
