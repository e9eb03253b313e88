"""What an uploader can do about an upload the agreements refused, as rows of the validation report.

``decide()`` says why in a reason code, with the agreement, version, permission and (for
``FIELDS_NOT_PERMITTED``) the columns it does not cover. An uploader needs it the other way round:
which file and column to empty, or which change of agreement to ask for. So a refusal becomes
``not_permitted`` findings: one per file and column holding a value the agreement does not cover,
or one naming the permission to ask for. They are rendered like any other finding (page, CLI, CSV).
Plain Python: the reason is any object with the fields of ``agreements.decisions.Reason``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from boroughhub.sources import MANIFEST_FILE, Issue

RULE = "not_permitted"
ASK = "Ask your information governance lead"
ASK_MID_SENTENCE = "ask your information governance lead"


class RefusalReason(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def agreement_id(self) -> str | None: ...
    @property
    def version(self) -> int | None: ...
    @property
    def permission_id(self) -> str | None: ...
    @property
    def fields(self) -> tuple[str, ...] | None: ...


def _agreement(reason: RefusalReason) -> str:
    if not reason.agreement_id:
        return "the agreement"
    version = f" version {reason.version}" if reason.version is not None else ""
    return f"agreement {reason.agreement_id}{version}"


def _permission(reason: RefusalReason) -> str:
    return f"permission {reason.permission_id} of {_agreement(reason)}" if reason.permission_id else _agreement(reason)


def _sentence(text: str) -> str:
    """``text`` starting with a capital; the rest kept (``str.capitalize`` would lower agreement ids)."""
    return text[:1].upper() + text[1:]


def what_to_ask_for(reason: RefusalReason, *, dataset: str, purpose: str, role: str) -> str:
    """The change that would let this upload through, in words, for a refusal not about columns."""
    code = reason.code
    if code in ("NO_AGREEMENT", "DATASET_NOT_COVERED"):
        return (f"No agreement your organisation is party to lets it upload {dataset} for the purpose {purpose}. "
                f"{ASK} to propose one (or a new version of an agreement you are party to) with an upload "
                f"permission for {dataset}.")
    if code == "ACTION_NOT_PERMITTED":
        return (f"{_sentence(_permission(reason))} covers {dataset} but not uploading it. {ASK} to propose "
                "a new version that adds the upload action to that permission.")
    if code == "PURPOSE_NOT_PERMITTED":
        return (f"{_sentence(_permission(reason))} does not cover the purpose {purpose}. {ASK} to propose "
                "a new version that adds this purpose.")
    if code == "ROLE_NOT_PERMITTED":
        return (f"{_sentence(_permission(reason))} does not let the {role} role upload. {ASK} to propose "
                f"a new version that adds the {role} role.")
    if code == "ROLE_NOT_HELD":
        return f"You do not hold the {role} role now. {ASK} to grant it again, then upload the submission again."
    if code == "AGREEMENT_NOT_ACTIVE":
        return (f"{_sentence(_agreement(reason))} is not yet signed by every party. Upload the submission "
                "again once it is; its page lists who has still to sign.")
    if code in ("PERMISSION_NOT_IN_WINDOW", "AGREEMENT_EXPIRED", "AGREEMENT_NOT_YET_EFFECTIVE"):
        return (f"{_sentence(_permission(reason))} is not in force today. Upload within its term, or {ASK_MID_SENTENCE} to propose"
                f" a version whose term covers today.")
    return ""


def refusal_issues(
    reason: RefusalReason,
    *,
    explanation: str,
    fields_by_file: Mapping[str, set[str]],
    dataset: str,
    purpose: str,
    role: str,
) -> list[Issue]:
    """``not_permitted`` findings for a refused upload; ``explanation`` is the reason code's message."""
    if reason.code == "FIELDS_NOT_PERMITTED" and reason.fields:
        refused = set(reason.fields)
        issues = [
            Issue(
                file, RULE,
                f"{_sentence(_permission(reason))} does not cover {column}. Empty the {column} column in "
                f"every row of {file} (keep the column in the header) and upload the whole submission "
                f"again; or, if your organisation must share it, {ASK_MID_SENTENCE} to propose a "
                f"new version of the agreement that adds {column} to that permission.",
                column=column,
            )
            for file, filled in sorted(fields_by_file.items())
            for column in sorted(filled & refused)
        ]
        if issues:
            return issues
    advice = what_to_ask_for(reason, dataset=dataset, purpose=purpose, role=role)
    message = f"{explanation} {advice or f'{ASK}, quoting the reason {reason.code}.'}"
    return [Issue(MANIFEST_FILE, RULE, message, column="source", value=dataset)]
