"""Run inside a browser-test server's environment: the demo agreements, the worked example's insights
snapshot (metrics.md §9), and small H-CLIC submission folders for Westminster (good and broken) and for
Southwark (good, for the accession test)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boroughhub.settings")
django.setup()

import duckdb  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from boroughhub.insights.metrics import Parameters, refresh  # noqa: E402
from boroughhub.insights.published import write_snapshot  # noqa: E402
from tests.insights import worked_example  # noqa: E402
from tests.sources.builders import valid_rows, write_submission  # noqa: E402


def westminster_hclic_rows() -> dict[str, list[dict[str, str]]]:
    """The builders' valid H-CLIC rows, as Westminster would send them under the pilot agreement."""
    document = json.loads((Path(__import__("boroughhub.agreements").agreements.__file__).parent
                           / "data" / "example-dsa-pl-rsi-v1.json").read_text())
    content = document.get("content", document)
    allowed = next(set(d["field_sets"]["upload"]) for d in content["datasets"] if d["dataset_id"] == "hclic")
    rows = valid_rows("hclic")
    for table_rows in rows.values():
        for row in table_rows:
            for column in list(row):
                if column not in allowed:
                    row[column] = ""
    return rows


def main(out: Path) -> None:
    call_command("agreements", "load-demo")
    call_command("residents", "seed-demo")  # who else is involved: its agreement, ASC CLD and residents
    call_command("getonline", "demo", "--lewisham-only")
    call_command("network", "demo-data")  # the network room's events, apprentices and guidance (issue 21)
    call_command("fund", "demo", "--open-round")  # an adult social care round open to apply to, two assessors
    con = duckdb.connect()
    worked_example.load(con)
    refresh(con, Parameters(as_at=worked_example.AS_AT, history_start=worked_example.HISTORY_START))
    write_snapshot(con, settings.DATA_DIR / "insights")
    rows = westminster_hclic_rows()
    write_submission(out / "good", "hclic", rows)
    broken = json.loads(json.dumps(rows))
    first = next(iter(broken["hclic_cases"]))
    first["application_date"] = "31/02/2024"  # not a real date
    write_submission(out / "broken", "hclic", broken)
    # Southwark (not in the pilot) sends the same extract as its own once it has joined by accession.
    southwark = json.loads(json.dumps(rows).replace("E09000033", "E09000028"))
    write_submission(out / "southwark", "hclic", southwark, supplier_code="E09000028")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
