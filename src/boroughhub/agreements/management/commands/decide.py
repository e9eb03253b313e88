"""``boroughhub decide --request FILE.json``: what would the hub decide? Audited like any decision.

The file holds the request fields of spec §3.1 with ``user`` as an email and ``time`` as an
ISO 8601 instant with an offset (a time without one is an INVALID_REQUEST, as in ``decide()``).
Prints the decision as JSON and exits 0 whatever it is.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from boroughhub.agreements.enforce import decide_and_audit


class Command(BaseCommand):
    help = "Decide one request (JSON file with user email, org, role, action, dataset, fields, purpose, time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--request", type=Path, required=True, help="the request as JSON ('-' for stdin)")

    def handle(self, *args: Any, **options: Any) -> None:
        from boroughhub.organisations import User

        path: Path = options["request"]
        try:
            text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
            data = json.loads(text)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the request: {error}") from error
        if not isinstance(data, dict):
            raise CommandError("The request must be a JSON object.")
        user = User.objects.filter(email=str(data.get("user", "")).lower()).first()
        when = data.get("time")
        try:
            at = datetime.fromisoformat(str(when).replace("Z", "+00:00")) if when else None
        except ValueError as error:
            raise CommandError(f"time is not an ISO 8601 instant: {when!r}") from error
        if at is None:
            raise CommandError("The request needs a time (ISO 8601 with an offset).")
        fields = data.get("fields") or []
        decision = decide_and_audit(
            user=user if user is not None else "", org_id=str(data.get("org", "")), role=str(data.get("role", "")),
            action=str(data.get("action", "")), dataset=str(data.get("dataset", "")),
            fields=set(fields) if isinstance(fields, list) else set(), purpose=str(data.get("purpose", "")),
            subject_refs=data.get("subject_refs"), at=at,
        )
        output = decision.to_dict()
        output["audit_seq"] = decision.audit_entry.seq
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))
