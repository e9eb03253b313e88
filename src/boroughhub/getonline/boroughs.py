"""London's 33 local authorities as Get Online London reports them: ONS code and short name.

Read from the shipped area code list, so a hub's borough and the report's rows use the same codes as
the rest of the hub."""

from __future__ import annotations

from functools import cache

from boroughhub.reference import code_list


@cache
def boroughs() -> dict[str, str]:
    """ONS code -> short name ("E09000023" -> "Lewisham"), in code order."""
    return {row["code"]: row["label"] for row in code_list("areas") if row["area_type"] == "local_authority"}


def borough_code(text: str) -> str | None:
    """The ONS code for a code or a short name as people type it (any case), or None."""
    wanted = text.strip().lower()
    for code, label in boroughs().items():
        if wanted in (code.lower(), label.lower()):
            return code
    return None
