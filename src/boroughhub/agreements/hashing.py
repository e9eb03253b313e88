"""The content hash that binds signatures to one exact text and rule set (spec §2.3).

``content_hash = "sha256:" + hex(SHA-256(UTF-8(JCS(content))))`` with JCS the JSON
Canonicalization Scheme of RFC 8785. Agreement content holds no floating-point numbers (the
schema forbids them), so JCS reduces to: object keys sorted by their UTF-16 code units, no
whitespace, and ECMAScript string escaping, which ``json.dumps(ensure_ascii=False)`` produces.
Floats are rejected rather than serialised, because their JCS form is easy to get subtly wrong.

Hash exactly what is stored: normalisation (NFC, sorted set-valued arrays, ``Z`` instants) is
:func:`normalise_content`'s job and happens once, before the first hash, when a version is saved.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from typing import Any

HASH_PREFIX = "sha256:"

#: Set-valued arrays that are stored sorted (spec §2.3), by their key inside content objects.
#: Field-set members (the values of ``field_sets``) are sorted too.
_SET_VALUED_KEYS = frozenset({
    "assignees", "actions", "purposes", "roles", "suppliers", "controllers",
    "criminal_offence", "direct_identifiers",
})


def canonical_json(value: Any) -> bytes:
    """RFC 8785 canonical UTF-8 bytes of a JSON value without floats."""
    return _serialise(value).encode("utf-8")


def _serialise(value: Any) -> str:
    if isinstance(value, Mapping):
        keys = sorted(value, key=lambda k: str(k).encode("utf-16-be"))
        members = (json.dumps(str(k), ensure_ascii=False) + ":" + _serialise(value[k]) for k in keys)
        return "{" + ",".join(members) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_serialise(item) for item in value) + "]"
    if isinstance(value, float):
        raise ValueError("agreement content must not contain floating-point numbers")
    if value is None or isinstance(value, bool | int | str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def content_hash(content: Mapping[str, Any]) -> str:
    """``sha256:<64 lowercase hex>`` of the canonical JSON of ``content``."""
    return HASH_PREFIX + hashlib.sha256(canonical_json(content)).hexdigest()


def normalise_content(content: Any, _key: str | None = None, _in_field_sets: bool = False) -> Any:
    """A copy of ``content`` with strings in NFC and set-valued arrays sorted (spec §2.3).

    Only arrays of strings are sorted: ``purposes`` is set-valued inside a permission but an
    ordered list of purpose objects at the top of the content. Instants are converted to ``Z``
    by validation (``schema``), which knows which strings are instants.
    """
    if isinstance(content, Mapping):
        return {
            unicodedata.normalize("NFC", str(k)): normalise_content(v, str(k), _key == "field_sets")
            for k, v in content.items()
        }
    if isinstance(content, list | tuple):
        items = [normalise_content(item) for item in content]
        set_valued = _in_field_sets or _key in _SET_VALUED_KEYS
        if set_valued and all(isinstance(item, str) for item in items):
            return sorted(items)
        return items
    if isinstance(content, str):
        return unicodedata.normalize("NFC", content)
    return content
