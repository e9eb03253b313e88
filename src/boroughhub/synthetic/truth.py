"""The ground truth: who every person really is, and which person each source record belongs to.

``truth/person_records.csv`` has one row per person record (rows of ``chain_people``,
``inform_clients`` and ``hclic_people``): ``source,supplier_code,table,record_key,person_id``.
``truth/persons.csv`` has each person's true attributes, for measuring linkage and metrics.
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import TracebackType

from boroughhub.synthetic.people import Person
from boroughhub.synthetic.submission import cell

PERSON_RECORD_COLUMNS = ("source", "supplier_code", "table", "record_key", "person_id")
PERSON_COLUMNS = (
    "person_id", "kind", "first_name", "last_name", "other_names", "date_of_birth", "gender", "nationality",
    "ethnicity", "ni_number", "immigration_status", "name_population", "twin_of", "support_need_alcohol",
    "support_need_drugs", "support_need_mental_health", "support_need_physical_health",
)


class TruthWriter:
    """Writes ``person_records.csv`` and ``persons.csv`` into ``folder`` (normally ``out_dir/truth``)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._records_file = (folder / "person_records.csv").open("w", encoding="utf-8", newline="")
        self._persons_file = (folder / "persons.csv").open("w", encoding="utf-8", newline="")
        self._records = csv.writer(self._records_file, lineterminator="\n")
        self._persons = csv.writer(self._persons_file, lineterminator="\n")
        self._records.writerow(PERSON_RECORD_COLUMNS)
        self._persons.writerow(PERSON_COLUMNS)
        self.record_count = 0
        self.person_count = 0

    def record(self, source: str, supplier_code: str, table: str, record_key: str, person_id: str) -> None:
        self._records.writerow((source, supplier_code, table, record_key, person_id))
        self.record_count += 1

    def person(self, person: Person) -> None:
        street = person.kind == "street"
        self._persons.writerow((
            person.person_id, person.kind, person.first_name, person.last_name, "|".join(person.aliases),
            person.date_of_birth.isoformat(), person.gender, person.nationality, person.ethnicity,
            person.ni_number or "", person.immigration_status, person.population, person.twin_of or "",
            *(cell(need) if street else "" for need in person.needs),
        ))
        self.person_count += 1

    def append_part(self, part: Path) -> None:
        """Appends the rows of another truth folder (a worker's), in order, without its headers."""
        for name, handle in (("person_records.csv", self._records_file), ("persons.csv", self._persons_file)):
            with (part / name).open(encoding="utf-8", newline="") as source:
                next(source)
                lines = 0
                for line in source:
                    handle.write(line)
                    lines += 1
            if name == "persons.csv":
                self.person_count += lines
            else:
                self.record_count += lines

    def close(self) -> None:
        self._records_file.close()
        self._persons_file.close()

    def __enter__(self) -> TruthWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
