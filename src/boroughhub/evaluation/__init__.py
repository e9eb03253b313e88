"""Programme evaluation, the Green Book way: the public front other rooms use.

The runs (``RunStatus``) come with the package; ``run_store`` (where this hub keeps its runs, from
Django's settings) is imported on first use (PEP 562), so the front imports without Django settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from boroughhub.evaluation.runs import RunStatus

if TYPE_CHECKING:
    from boroughhub.evaluation.store import run_store

__all__ = ["RunStatus", "run_store"]


def __getattr__(name: str) -> Any:
    if name == "run_store":
        from boroughhub.evaluation.store import run_store

        return run_store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
