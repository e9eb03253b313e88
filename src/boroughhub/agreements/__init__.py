"""Agreements: the public front other rooms use (deny by default; spec docs in specs/agreements.md).

Import from here, not from the modules behind it::

    from boroughhub.agreements import ROUGH_SLEEPING_INSIGHT, decide_and_audit, record_access

The plain-Python part (``decide`` and the types it reads and returns) is imported with the package
and works without Django settings. The database side (``decide_and_audit``, ``request_decision``,
``record_access``, the ``AgreementVersion`` model, the demo agreements) needs Django's app registry, so
it is imported on first use (PEP 562): ``import boroughhub.agreements`` stays safe in a plain core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from boroughhub.agreements.decisions import Decision, Reason, Request
from boroughhub.agreements.policy import REASON_MESSAGES, decide
from boroughhub.agreements.snapshot import Snapshot
from boroughhub.agreements.vocabulary import ACTIONS, ROUGH_SLEEPING_INSIGHT

if TYPE_CHECKING:
    from boroughhub.agreements.access import guard_page, may_open, offered_url, permits, refusal_message
    from boroughhub.agreements.enforce import (
        AuditedDecision,
        decide_and_audit,
        record_access,
        request_decision,
        snapshot_cache,
    )
    from boroughhub.agreements.models import AgreementVersion, Notification
    from boroughhub.agreements.store.accession import open_for_accession
    from boroughhub.agreements.store.demo import (
        demo_document,
        ensure_signed_demo_agreement,
        load_demo_agreements,
    )
    from boroughhub.agreements.store.notices import notify

__all__ = [
    "ACTIONS", "REASON_MESSAGES", "ROUGH_SLEEPING_INSIGHT", "AgreementVersion", "AuditedDecision", "Decision",
    "Reason", "Request", "Snapshot", "decide", "decide_and_audit", "load_demo_agreements", "record_access",
    "request_decision", "snapshot_cache", "guard_page", "may_open", "offered_url", "permits", "refusal_message",
    "Notification", "notify", "demo_document", "ensure_signed_demo_agreement", "open_for_accession",
]

_ENFORCEMENT = frozenset({"AuditedDecision", "decide_and_audit", "record_access", "request_decision", "snapshot_cache"})
# What a page offers and guards (docs/decisions/0030-one-access-model.md).
_PAGE_ACCESS = frozenset({"guard_page", "may_open", "offered_url", "permits", "refusal_message"})


def __getattr__(name: str) -> Any:
    """The database side, on first use (after Django is set up)."""
    if name in _ENFORCEMENT:
        from boroughhub.agreements import enforce

        return getattr(enforce, name)
    if name in _PAGE_ACCESS:
        from boroughhub.agreements import access

        return getattr(access, name)
    if name in ("AgreementVersion", "Notification"):
        from boroughhub.agreements import models

        return getattr(models, name)
    if name == "notify":
        # The hub's one outbox: a notification to an organisation's role (mail in production).
        from boroughhub.agreements.store.notices import notify

        return notify
    if name == "open_for_accession":
        from boroughhub.agreements.store.accession import open_for_accession

        return open_for_accession
    if name in ("load_demo_agreements", "demo_document", "ensure_signed_demo_agreement"):
        from boroughhub.agreements.store import demo

        return getattr(demo, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
