"""The import-linter contract type that says "rooms talk to each other through their public front".

A room is a capability package (``boroughhub.agreements``); its front is its ``__init__``. Any module
outside a room may import the room itself, never a module inside it: ``from boroughhub.agreements
import decide_and_audit`` is kept, ``from boroughhub.agreements.enforce import decide_and_audit`` is
broken. The rooms are one list in pyproject.toml, so adding a room is one line. Importers that are
not in any room (the project's own wiring: ``boroughhub.urls``, ``boroughhub.cli``) may be listed in
``wiring``. Used by ``make lint`` (``lint-imports`` puts the working directory on the path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils
from importlinter.domain.imports import Module


@dataclass(frozen=True)
class DeepImport:
    importer: str
    imported: str
    line_numbers: tuple[int, ...]


class PublicFrontsContract(Contract):
    """Modules outside a room import only the room's front (its package), never a module inside it.

    Options: ``rooms`` (packages), ``wiring`` (modules outside every room that may import deeply,
    optional), ``ignore_imports`` (``importer -> imported`` expressions, optional).
    """

    type_name = "public_fronts"

    rooms = fields.ListField(subfield=fields.ModuleField())
    wiring = fields.ListField(subfield=fields.ModuleField(), required=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        # import-linter replaces each field by its parsed value when the contract is built.
        wiring = {module.name for module in cast(list[Module], self.wiring or [])}
        deep: list[DeepImport] = []
        for room in sorted(module.name for module in cast(list[Module], self.rooms)):
            if room not in graph.modules:
                raise ValueError(f"The room {room} does not exist: remove it from the public_fronts contract.")
            inside = graph.find_descendants(room) | {room}
            for module in sorted(inside - {room}):
                for importer in sorted(graph.find_modules_that_directly_import(module) - inside - wiring):
                    lines = tuple(d["line_number"] for d in graph.get_import_details(importer=importer, imported=module))
                    deep.append(DeepImport(importer, module, lines))
        return ContractCheck(kept=not deep, warnings=list(removal.warnings),
                             ignored_import_count=removal.ignored_import_count, metadata={"deep": deep})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Import the room's front (its package) instead of a module inside it:", bold=False)
        output.new_line()
        for found in check.metadata["deep"]:
            lines = ", ".join(map(str, found.line_numbers))
            output.print_error(f"- {found.importer} -> {found.imported} (l.{lines})", bold=False)
        output.new_line()
