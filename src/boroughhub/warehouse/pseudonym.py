"""Keyed-hash pseudonyms: HMAC-SHA256 with the hub's secret key (``BOROUGHHUB_HASH_KEY``).

Where a stable identifier must appear outside the identity schema (clerical review, exports, record
views), the hub shows a pseudonym instead of the supplier's record key. A keyed hash, unlike a plain
hash, cannot be reversed by hashing every possible key: that needs the secret as well.

Columns that carry pseudonyms: ``identity.<person table>.person_pseudonym`` =
``HMAC(key, "<source>|<supplier_code>|<primary key>")``.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac

import duckdb
import duckdb.func
import pyarrow as pa

PSEUDONYM_FUNCTION = "bh_pseudonym"


def _key_bytes(hash_key: str | bytes) -> bytes:
    key = hash_key.encode("utf-8") if isinstance(hash_key, str) else hash_key
    if len(key) < 16:
        raise ValueError("The hash key must be at least 16 bytes (set BOROUGHHUB_HASH_KEY).")
    return key


def pseudonymise(hash_key: str | bytes, value: str) -> str:
    """The keyed pseudonym of one value (hex HMAC-SHA256)."""
    return hmac.new(_key_bytes(hash_key), value.encode("utf-8"), hashlib.sha256).hexdigest()


def person_pseudonym(hash_key: str | bytes, source: str, supplier_code: str, record_key: str) -> str:
    return pseudonymise(hash_key, f"{source}|{supplier_code}|{record_key}")


def register_pseudonym_function(con: duckdb.DuckDBPyConnection, hash_key: str | bytes) -> None:
    """Make ``bh_pseudonym(text)`` available in SQL on ``con``, keyed with ``hash_key``."""
    key = _key_bytes(hash_key)

    def pseudonyms(values: pa.Array) -> pa.Array:
        return pa.array(
            [
                None if v is None else hmac.new(key, v.encode("utf-8"), hashlib.sha256).hexdigest()
                for v in values.to_pylist()
            ],
            type=pa.string(),
        )

    with contextlib.suppress(duckdb.Error):
        con.remove_function(PSEUDONYM_FUNCTION)
    con.create_function(
        PSEUDONYM_FUNCTION,
        pseudonyms,
        [duckdb.sqltype("VARCHAR")],
        duckdb.sqltype("VARCHAR"),
        type=duckdb.func.ARROW,
        null_handling=duckdb.func.SPECIAL,
    )
