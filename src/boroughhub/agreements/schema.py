"""Validating an agreement version document: parse, normalise, JSON Schema, semantic rules (spec §7.1).

Every problem comes back as a :class:`FieldError` with a code, the JSON Pointer of the field a
person must change, and a message they can act on; **all** problems are returned, not the first.
The web form places each error next to its field by ``path``; the API returns
``ValidationReport.to_dict()`` with HTTP 422.

Entry points:

- :func:`validate_version_text` for uploaded bytes or text (does the §7.1 parse step too);
- :func:`validate_version_document` for an already parsed document (a form save, the CLI).

Both return, as ``report.document``, the normalised document (NFC strings, ``Z`` instants, sorted
set-valued arrays) that should be stored, so that the content hash is computed over the normalised form (spec §2.3).
A draft may be saved with errors; submission (T3) needs ``report.ok`` and, with
``for_submission=True``, also checks signatory designations.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any, Literal

from jsonschema import Draft202012Validator

from boroughhub.agreements.content_rules import ValidationContext
from boroughhub.agreements.hashing import normalise_content
from boroughhub.agreements.registers import SCHEMA_FILE, read_data_file
from boroughhub.agreements.semantic_rules import semantic_problems

__all__ = [
    "FieldError",
    "ValidationContext",
    "ValidationReport",
    "agreement_version_schema",
    "schema_errors",
    "validate_version_document",
    "validate_version_text",
]

MAX_DOCUMENT_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_SAFE_INTEGER = 2**53
MAX_ARRAY_ITEMS = 500  # enforced by the API layer (spec Appendix C)

#: Keys whose string values are instants (converted to UTC ``Z``; an offset is required).
INSTANT_KEYS = frozenset({
    "effective_from", "expires_at", "valid_from", "valid_until", "at", "signed_at", "mfa_at",
    "created_at", "revoked_at", "notice_given_at", "effective_at",
})


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one field. ``path`` is a JSON Pointer into the version document."""

    code: str
    path: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class ValidationReport:
    errors: tuple[FieldError, ...]
    warnings: tuple[FieldError, ...]
    document: Any = field(default=None, compare=False, repr=False)
    """The normalised document (None when the text could not be parsed)."""

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings must still be acknowledged at T3)."""
        return not self.errors

    def to_dict(self) -> dict[str, list[dict[str, str]]]:
        """The HTTP 422 body of spec §7.1."""
        return {"errors": [e.to_dict() for e in self.errors], "warnings": [w.to_dict() for w in self.warnings]}


def pointer(*parts: str | int) -> str:
    """A JSON Pointer (RFC 6901) from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


# --------------------------------------------------------------------------- 1 parse


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def _reject_float(text: str) -> Any:
    raise ValueError(f"not an integer: {text}")


def parse_version_text(text: str | bytes) -> tuple[Any, list[FieldError]]:
    """Spec §7.1 step 1: UTF-8 JSON, ≤ 1 MiB, ≤ 32 levels, no duplicate keys, integers only
    (within ±2^53), and at most 500 items per array."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > MAX_DOCUMENT_BYTES:
        return None, [FieldError("E-JSON-TOO-LARGE", "", "The document is larger than 1 MiB.")]
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [FieldError("E-JSON-ENCODING", "", "The document is not valid UTF-8.")]
    try:
        document = json.loads(decoded, object_pairs_hook=_reject_duplicates, parse_float=_reject_float,
                              parse_constant=_reject_float)
    except _DuplicateKey as duplicate:
        return None, [FieldError("E-JSON-DUPLICATE-KEY", "",
                                 f"The key {duplicate.key!r} appears twice in one object.")]
    except RecursionError:
        return None, [FieldError("E-JSON-TOO-DEEP", "", f"The document is nested more than {MAX_DEPTH} levels.")]
    except ValueError as error:
        return None, [FieldError("E-JSON-PARSE", "", f"The document is not valid JSON: {error}.")]
    problems: list[FieldError] = []
    _check_depth_and_integers(document, (), 1, problems)
    return (None if problems else document), problems


def _check_depth_and_integers(value: Any, path: tuple[str | int, ...], depth: int, out: list[FieldError]) -> None:
    if depth > MAX_DEPTH:
        out.append(FieldError("E-JSON-TOO-DEEP", pointer(*path), f"Nested more than {MAX_DEPTH} levels."))
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _check_depth_and_integers(item, (*path, key), depth + 1, out)
    elif isinstance(value, list):
        if len(value) > MAX_ARRAY_ITEMS:
            out.append(FieldError("E-JSON-TOO-MANY-ITEMS", pointer(*path),
                                  f"At most {MAX_ARRAY_ITEMS} items are allowed in a list."))
        for index, item in enumerate(value):
            _check_depth_and_integers(item, (*path, index), depth + 1, out)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE_INTEGER:
        out.append(FieldError("E-JSON-NUMBER", pointer(*path), "Numbers must be integers within ±2^53."))


# --------------------------------------------------------------------------- 2 normalise


def normalise_document(document: Any) -> tuple[Any, list[FieldError]]:
    """Spec §7.1 step 2 except sorting: NFC strings, no control characters but LF and tab, UTC
    ``Z`` instants. Returns the normalised copy and the problems.

    Set-valued arrays are sorted afterwards by :func:`sort_set_valued_arrays`, so that error
    paths such as ``/content/datasets/2/suppliers/1`` point into the document as the person wrote it.
    """
    problems: list[FieldError] = []
    return _normalise(document, (), problems), problems


def sort_set_valued_arrays(document: Any) -> Any:
    """The stored form: the content's set-valued arrays sorted (spec §2.3)."""
    if isinstance(document, dict) and isinstance(document.get("content"), dict):
        return {**document, "content": normalise_content(document["content"])}
    return document


def _normalise(value: Any, path: tuple[str | int, ...], out: list[FieldError]) -> Any:
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", k): _normalise(v, (*path, k), out) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(item, (*path, i), out) for i, item in enumerate(value)]
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value)
    if any((ord(c) < 0x20 and c not in "\n\t") or ord(c) == 0x7F for c in text):
        out.append(FieldError("E-CONTROL-CHAR", pointer(*path),
                              "Remove control characters; only line feeds and tabs are allowed."))
    key = next((p for p in reversed(path) if isinstance(p, str)), None)
    if key in INSTANT_KEYS:
        return _normalise_instant(text, path, out)
    return text


def _normalise_instant(text: str, path: tuple[str | int, ...], out: list[FieldError]) -> str:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text  # the schema's pattern reports it
    if parsed.tzinfo is None:
        out.append(FieldError("E-INSTANT-NO-OFFSET", pointer(*path),
                              f"{text} has no time zone; write it in UTC with Z, e.g. 2026-03-31T23:00:00Z."))
        return text
    utc = parsed.astimezone(UTC)
    digits = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        digits += f".{utc.microsecond:06d}".rstrip("0")
    return digits + "Z"


# --------------------------------------------------------------------------- 3 schema


@cache
def agreement_version_schema() -> dict[str, Any]:
    """The JSON Schema of spec Appendix C (served at ``/api/schema/agreement-version/1.0``)."""
    schema: dict[str, Any] = read_data_file(SCHEMA_FILE)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(agreement_version_schema())


def schema_errors(document: Any) -> list[FieldError]:
    """Appendix C violations as ``E-SCHEMA-<keyword>``, pointing at the field to fix.

    A missing property points at where it should be, and an unknown one at itself, so a form
    can put the message beside the right input.
    """
    problems: list[FieldError] = []
    for error in sorted(_validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path]):
        parts: list[str | int] = list(error.absolute_path)
        keyword = str(error.validator)
        message = error.message
        if keyword == "required" and isinstance(error.instance, dict):
            missing = [k for k in error.validator_value if k not in error.instance]
            for key in missing:
                problems.append(FieldError("E-SCHEMA-required", pointer(*parts, key), f"{key} is required."))
            continue
        if keyword == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            for key in error.instance:
                if key not in known:
                    problems.append(FieldError("E-SCHEMA-additionalProperties", pointer(*parts, key),
                                               f"{key} is not a known field here."))
            continue
        problems.append(FieldError(f"E-SCHEMA-{keyword}", pointer(*parts), message))
    return problems


# --------------------------------------------------------------------------- entry points


def validate_version_text(
    text: str | bytes, context: ValidationContext, *, for_submission: bool = False
) -> ValidationReport:
    """Parse, then :func:`validate_version_document`."""
    document, problems = parse_version_text(text)
    if document is None:
        return ValidationReport(errors=tuple(problems), warnings=())
    return validate_version_document(document, context, for_submission=for_submission)


def validate_version_document(
    document: Mapping[str, Any], context: ValidationContext, *, for_submission: bool = False
) -> ValidationReport:
    """Normalise, check against Appendix C, then apply the semantic rules of §7.1."""
    normalised, problems = normalise_document(document)
    problems.extend(schema_errors(normalised))
    errors, warnings = semantic_problems(normalised, context, for_submission=for_submission)
    problems.extend(FieldError(code, path, message) for code, path, message in errors)
    return ValidationReport(
        errors=tuple(problems),
        warnings=tuple(FieldError(code, path, message, "warning") for code, path, message in warnings),
        document=sort_set_valued_arrays(normalised),
    )
