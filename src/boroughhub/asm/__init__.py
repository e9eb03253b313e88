"""Attack surface mapping (issue 20): each council's scope and who authorised scanning it, an inventory of
its internet-facing assets with provenance, small safe checks that refuse anything outside the scope, a
findings register ranked by priority, what changed between runs, and the collaboration's comparison.

The plain parts (scope rules, checks, file readers, priorities, the comparison) import without Django;
the database side (``store``) is reached on first use (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from boroughhub.asm.checks import CheckOptions, CheckRun, Resolver, run_checks
from boroughhub.asm.imports import FORMATS, read_inventory_file
from boroughhub.asm.rules import RULES, priority
from boroughhub.asm.scope import Scope, parse_scope_entry, parse_target

if TYPE_CHECKING:
    from boroughhub.asm.management.demo import seed_demo
    from boroughhub.asm.store import record_run, scope_of

__all__ = [
    "FORMATS", "RULES", "CheckOptions", "CheckRun", "Resolver", "Scope", "parse_scope_entry", "parse_target",
    "priority", "read_inventory_file", "record_run", "run_checks", "scope_of", "seed_demo",
]


def __getattr__(name: str) -> Any:
    if name in ("record_run", "scope_of"):
        from boroughhub.asm import store

        return getattr(store, name)
    if name == "seed_demo":
        from boroughhub.asm.management.demo import seed_demo

        return seed_demo
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
