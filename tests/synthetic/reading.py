"""Reading a generated folder back for the tests: plain csv, independent of the generator's code."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass
class Submission:
    source: str
    supplier: str
    folder: Path
    manifest: list[dict[str, str]]
    headers: dict[str, list[str]]
    tables: dict[str, list[dict[str, str]]]

    @property
    def start(self) -> date:
        return date.fromisoformat(self.manifest[0]["extract_period_start"])

    @property
    def end(self) -> date:
        return date.fromisoformat(self.manifest[0]["extract_period_end"])


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def submissions(out_dir: Path) -> list[Submission]:
    found = []
    for manifest_path in sorted(out_dir.glob("*/*/manifest.csv")):
        folder = manifest_path.parent
        _, manifest = read_csv(manifest_path)
        headers, tables = {}, {}
        for row in manifest:
            table = row["file_name"].removesuffix(".csv")
            headers[table], tables[table] = read_csv(folder / row["file_name"])
        found.append(Submission(folder.name, folder.parent.name, folder, manifest, headers, tables))
    return found
