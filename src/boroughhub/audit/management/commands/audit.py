"""``boroughhub audit verify|anchor``: check the hash chain, publish its head (spec §4.3)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from boroughhub import audit
from boroughhub.audit import store


def default_anchor_file() -> Path:
    return Path(getattr(settings, "AUDIT_ANCHOR_FILE", settings.DATA_DIR / "audit-anchors.jsonl"))


def read_anchors(path: Path) -> list[audit.Anchor]:
    anchors = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            anchors.append(audit.Anchor(int(data["seq"]), str(data["entry_hash"]), data.get("occurred_at", "")))
        except (ValueError, KeyError, TypeError) as error:
            raise CommandError(f"{path}, line {number}: not an anchor ({error})") from error
    return anchors


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (exit 1 on the first failure), or publish its head."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="walk the chain and report the first failure")
        verify.add_argument("--from-seq", type=int, default=None)
        verify.add_argument("--to-seq", type=int, default=None)
        verify.add_argument("--anchors", type=Path, default=None,
                            help="anchor file (JSON lines); defaults to the hub's own anchor file if present")
        verify.add_argument("--json", action="store_true", help="print the result as JSON")
        anchor = sub.add_parser("anchor", help="append the head (seq, hash) to the anchor file")
        anchor.add_argument("--file", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify(options)
        else:
            self.anchor(options["file"] or default_anchor_file())

    def verify(self, options: dict[str, Any]) -> None:
        anchor_file = options["anchors"]
        if anchor_file is None and default_anchor_file().exists():
            anchor_file = default_anchor_file()
        anchors = read_anchors(anchor_file) if anchor_file is not None else []
        result = store.verify_stored_chain(options["from_seq"], options["to_seq"], anchors)
        audit.record_event(
            "verify", "ok" if result.ok else "error", user="system",
            payload={**result.to_dict(), "from_seq": options["from_seq"], "to_seq": options["to_seq"],
                     "anchors": len(anchors)},
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict()))
        elif result.ok:
            self.stdout.write(f"OK: {result.message}; head {result.head_seq} {result.head_hash}")
        else:
            self.stderr.write(f"{result.failure} at entry {result.failed_seq}: {result.message}")
        if not result.ok:
            raise SystemExit(1)

    def anchor(self, path: Path) -> None:
        head = store.head_anchor()
        if head is None:
            raise CommandError("The audit log is empty: nothing to anchor.")
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"seq": head.seq, "entry_hash": head.entry_hash, "occurred_at": head.occurred_at})
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        audit.record_event("anchor", "ok", user="system",
                           payload={"seq": head.seq, "entry_hash": head.entry_hash, "destination": str(path)})
        self.stdout.write(f"Anchored entry {head.seq} {head.entry_hash} in {path}")
