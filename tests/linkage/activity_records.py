"""Made-up activity (stays, area-months, areas) for the fixture population's records, per true person."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

from boroughhub.linkage.fixtures import truth


def with_activity(records: pa.Table, population: dict[str, pa.Table], areas: int,
                  stays_of: Callable[[int, str, str], list[str] | None]) -> pa.Table:
    """``records`` with activity made up per true person ``k`` (numbered in order): one of ``areas`` areas, an
    area-month in 2021 (a number as ``standardise`` writes it: unsigned 64-bit, the area in the high bits, so
    above Spark's largest signed integer for some areas; at most four areas) and the stays ``stays_of(k, unique_id, area)``."""
    person = truth(population)
    number = {p: i for i, p in enumerate(sorted(set(person.values())))}
    stays, months, area_lists = [], [], []
    for uid in records.column("unique_id").to_pylist():
        k = number[person[uid]]
        area = f"E0900{k % areas + 1:04d}"
        stays.append(stays_of(k, uid, area))
        months.append([(2 * (k % areas) + 1) * 2**61 + 2021 * 12 + k % 12])
        area_lists.append([area])
    for name, values, kind in (("stay_tokens", stays, pa.string()), ("place_months", months, pa.uint64()),
                               ("areas", area_lists, pa.string())):
        records = records.set_column(records.schema.get_field_index(name), name, pa.array(values, pa.list_(kind)))
    return records
