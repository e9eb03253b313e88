"""Pages of the agreements registry (IG leads); the privacy officer's audit-trail pages (views/audit.py) read the log through boroughhub.audit."""

from .agreements import (
    agreement_list,
    designate_signatory,
    new_draft,
    version_changes,
    version_detail,
    version_document_json,
)
from .drafting import change_state, edit_draft, propose_new_version, submit_for_signature
from .joining import accession_requests, agreements_to_join, countersign_accession, join_version
from .signing import sign_version
from .withdrawing import withdraw_from_version

__all__ = [
    "accession_requests", "agreements_to_join", "countersign_accession", "join_version",
    "agreement_list", "change_state", "edit_draft", "propose_new_version", "submit_for_signature", "designate_signatory", "new_draft", "sign_version",
    "version_changes", "version_detail", "version_document_json", "withdraw_from_version",
]
