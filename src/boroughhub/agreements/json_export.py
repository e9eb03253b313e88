"""The authoritative machine-readable forms of a version (spec §5.1).

``GET …/versions/{n}`` returns the version document; ``GET …/versions/{n}/content`` returns the
exact bytes that were hashed (RFC 8785 canonical JSON), so anyone can check
``"sha256:" + sha256(body).hexdigest() == content_hash`` without a JCS library. The ODRL export
(``odrl.py``) is derived from these and never authoritative.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from boroughhub.agreements.hashing import canonical_json

MEDIA_TYPE = "application/json"
FORMAT = "boroughhub-dsa/1.0"


def export_version_json(document: Mapping[str, Any]) -> bytes:
    """The version document (content plus envelope) as UTF-8 JSON, keys in stored order."""
    if document.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} version document")
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def export_content_json(document: Mapping[str, Any]) -> bytes:
    """The content exactly as hashed: its SHA-256 is the version's ``content_hash``."""
    return canonical_json(document["content"])
