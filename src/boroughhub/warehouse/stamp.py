"""The ``stamp`` obligation of a permitted upload, as the warehouse stores it on every row (spec §3.6).

``decide()`` returns the stamp with its permit (``Decision.obligations.stamp``: supplier, purpose,
agreement id and version). The warehouse does not import the agreements room's types: it reads the
stamp from whatever decision-like value the caller passes, as :func:`submit.is_permitted` reads the
outcome. The supplier is already every row's ``supplier_code`` (checked against the manifest before
anything is loaded), so the row keeps the other three.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowStamp:
    """What every row of one load carries besides its supplier: the purpose and the agreement version."""

    purpose: str
    agreement_id: str
    agreement_version: int

    def values(self) -> list[object]:
        """In the order of ``tables.STAMP_COLUMNS``."""
        return [self.purpose, self.agreement_id, self.agreement_version]


def stamp_of(decision: object) -> RowStamp | None:
    """The stamp a permit obliges the warehouse to store, or ``None`` if the decision carries none."""
    obligations = getattr(decision, "obligations", None)
    stamp = getattr(obligations, "stamp", None)
    if stamp is None:
        return None
    purpose, agreement_id = getattr(stamp, "purpose", None), getattr(stamp, "agreement_id", None)
    version = getattr(stamp, "version", None)
    if not isinstance(purpose, str) or not isinstance(agreement_id, str) or not isinstance(version, int):
        raise ValueError("The upload's stamp obligation is incomplete: nothing can be loaded under it.")
    return RowStamp(purpose, agreement_id, version)
