"""Published figures: ``metric_values`` after disclosure control, as the pages and downloads read them.

``insights refresh`` writes a Parquet snapshot of ``metric_values`` beside the warehouse
(``PUBLISHED_FILE``), so the web process never opens the warehouse itself: DuckDB lets one process
write a database file, and loads and linkage may be writing while people browse. Disclosure control
(metrics.md §8) runs here on whole (period type, area) slices, because secondary suppression needs
every cell of a block and its total; results are cached per snapshot.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb

from boroughhub.insights.disclosure import publish
from boroughhub.insights.params import LONDON, submissions_in_use, table_exists

PUBLISHED_FILE = "metric_values.parquet"
RUN_FILE = "metric_run.parquet"
SUPPLY_FILE = "metric_supply.parquet"  # which suppliers' extracts the figures rest on, and up to which date
SLICE_CACHE = "slices"  # disclosure-controlled slices, shared by the web workers
STAGED_PREFIX = ".next-"  # a snapshot written but not yet published (stage_snapshot)
COLUMNS = ("metric", "variant", "period_type", "period", "area_code", "breakdown", "breakdown_value",
           "measure", "value", "flags")
Row = dict[str, str]
T = TypeVar("T")
# Rows of a slice grouped by (metric, breakdown): what a figure looks up, without scanning the slice.
SliceIndex = dict[tuple[str, str], list[Row]]


@dataclass(frozen=True)
class Coverage:
    """What a snapshot covers, for the notes sheet and the page footer."""

    computed_at: str
    as_at: str
    history_start: str
    parameters: str


class PublishedFigures:
    """Reads one snapshot directory; ``slice`` returns disclosure-controlled (or unrounded) rows."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._cache: dict[tuple[object, ...], list[Row]] = {}
        self._indexes: dict[tuple[object, ...], SliceIndex] = {}
        self._derived: dict[tuple[object, ...], Any] = {}
        self._coverage: Coverage | None = None
        self._stamp: float | None = None

    @property
    def chart_cache(self) -> Path:
        return self.directory / "charts"

    @property
    def available(self) -> bool:
        return (self.directory / PUBLISHED_FILE).exists()

    def _check_snapshot(self) -> None:
        stamp = (self.directory / PUBLISHED_FILE).stat().st_mtime
        if stamp != self._stamp:
            self._cache.clear()
            self._indexes.clear()
            self._derived.clear()
            self._coverage = None
            self._stamp = stamp

    def _read(self, where: str, params: list[object]) -> list[Row]:
        path = str(self.directory / PUBLISHED_FILE)
        # Text in SQL, not in Python: a quarter's slice of one area is ~70,000 rows.
        columns = ", ".join(f"COALESCE(CAST({c} AS VARCHAR), '')" for c in COLUMNS)
        with duckdb.connect() as con:
            result = con.execute(f"SELECT {columns} FROM read_parquet(?) WHERE {where}", [path, *params]).fetchall()
        return [dict(zip(COLUMNS, row, strict=True)) for row in result]

    def slice(self, period_type: str, area_code: str, *, unrounded: bool, min_cell_size: int | None = None) -> list[Row]:
        """Every row of one period type and area (all metrics, breakdowns and periods)."""
        key = (period_type, area_code, unrounded, min_cell_size)
        with self._lock:
            self._check_snapshot()
            if key not in self._cache:
                self._cache[key] = self._published_slice(period_type, area_code, unrounded, min_cell_size)
            return self._cache[key]

    def _published_slice(self, period_type: str, area_code: str, unrounded: bool, min_cell_size: int | None) -> list[Row]:
        """Disclosure control of a whole slice costs seconds of CPU (a quarter's slice of London has ~70,000
        rows), so its result is kept beside the snapshot, and the other web workers read it instead."""
        name = json.dumps([self._stamp, period_type, area_code, unrounded, min_cell_size])
        path = self.directory / SLICE_CACHE / f"{hashlib.sha256(name.encode()).hexdigest()[:32]}.json"
        if path.exists():
            try:
                return [dict(zip(COLUMNS, row, strict=True)) for row in json.loads(path.read_text(encoding="utf-8"))]
            except (OSError, ValueError):
                pass  # unreadable: computed again below, and rewritten
        rows = self._read("period_type = ? AND area_code = ?", [period_type, area_code])
        published = publish(rows, unrounded=unrounded, min_cell_size=min_cell_size)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.partial")
        partial.write_text(json.dumps([[row[c] for c in COLUMNS] for row in published]), encoding="utf-8")
        partial.replace(path)
        return published

    def indexed(self, period_type: str, area_code: str, *, unrounded: bool, min_cell_size: int | None = None) -> SliceIndex:
        """``slice`` grouped by (metric, breakdown), cached like the slice."""
        key = ("index", period_type, area_code, unrounded, min_cell_size)
        rows = self.slice(period_type, area_code, unrounded=unrounded, min_cell_size=min_cell_size)
        with self._lock:
            if key not in self._indexes:
                index: SliceIndex = {}
                for row in rows:
                    index.setdefault((row["metric"], row["breakdown"]), []).append(row)
                self._indexes[key] = index
            return self._indexes[key]

    def derived(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()``, a value made from this snapshot's published rows (a chart, say), kept until the
        snapshot changes. ``key`` must say everything the value depends on, and take few values."""
        with self._lock:
            self._check_snapshot()
            if key in self._derived:
                return cast(T, self._derived[key])
        value = compute()  # outside the lock: computing reads slices, which take it
        with self._lock:
            return cast(T, self._derived.setdefault(key, value))

    def areas(self) -> list[str]:
        with self._lock:
            self._check_snapshot()
            if ("areas",) not in self._cache:
                rows = self._read("metric = 'chain_total' AND measure = 'count' AND breakdown = 'none'", [])
                self._cache[("areas",)] = [{"area_code": a} for a in sorted({r["area_code"] for r in rows})]
            return [r["area_code"] for r in self._cache[("areas",)]]

    def coverage(self) -> Coverage | None:
        with self._lock:
            if self.available:
                self._check_snapshot()
            if self._coverage is None:
                self._coverage = self._read_coverage()
            return self._coverage

    def _read_coverage(self) -> Coverage | None:
        path = self.directory / RUN_FILE
        if not path.exists():
            return None
        with duckdb.connect() as con:
            row = con.execute(
                "SELECT CAST(computed_at AS VARCHAR), CAST(as_at AS VARCHAR), CAST(history_start AS VARCHAR), "
                "CAST(parameters AS VARCHAR) FROM read_parquet(?)",
                [str(path)],
            ).fetchone()
        return Coverage(*[str(v) for v in row]) if row else None


def select(rows: Iterable[Row], **equal: str | Iterable[str]) -> list[Row]:
    """Rows whose columns equal the given values (a tuple or list means any of them)."""
    wanted = {k: ({v} if isinstance(v, str) else set(v)) for k, v in equal.items()}
    return [r for r in rows if all(r[k] in values for k, values in wanted.items())]


def write_snapshot(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """Copy ``main.metric_values`` and ``main.metric_run`` to Parquet, replacing the old snapshot atomically."""
    publish_snapshot(stage_snapshot(con, directory))


def stage_snapshot(con: duckdb.DuckDBPyConnection, directory: Path) -> Path:
    """The next snapshot, written to a directory of its own inside ``directory`` but not yet published:
    ``PublishedFigures(staged)`` reads it as the pages will, so its charts can be rendered beforehand."""
    directory.mkdir(parents=True, exist_ok=True)
    for abandoned in directory.glob(f"{STAGED_PREFIX}*"):
        if abandoned.stat().st_mtime < time.time() - 3600:  # left by a refresh that was killed
            shutil.rmtree(abandoned, ignore_errors=True)
    staged = Path(tempfile.mkdtemp(prefix=STAGED_PREFIX, dir=directory))
    for table, name in (("main.metric_values", PUBLISHED_FILE), ("main.metric_run", RUN_FILE)):
        con.execute(f"COPY (SELECT * FROM {table}) TO '{staged / name}' (FORMAT parquet)")
    con.execute(f"COPY ({supply_select(con)}) TO '{staged / SUPPLY_FILE}' (FORMAT parquet)")
    return staged


def supply_select(con: duckdb.DuckDBPyConnection) -> str:
    """The submissions the figures were computed from (metrics.md 1.1): source, supplier and the period
    each extract covers. No rows when the warehouse has no submissions table (figures loaded otherwise)."""
    if not table_exists(con, "main", "submissions"):
        return ("SELECT CAST(NULL AS VARCHAR) AS source, CAST(NULL AS VARCHAR) AS supplier_code, "
                "CAST(NULL AS DATE) AS extract_period_start, CAST(NULL AS DATE) AS extract_period_end LIMIT 0")
    return ("SELECT source, supplier_code, min(extract_period_start) AS extract_period_start, "
            "max(extract_period_end) AS extract_period_end "
            f"FROM main.submissions WHERE {submissions_in_use(con)} GROUP BY source, supplier_code")


def publish_snapshot(staged: Path, keep_charts: Collection[str] = ()) -> None:
    """Publish a staged snapshot: each file renamed over the old one (readers never see half a file).

    The published slices computed on the staged snapshot move with it: a slice is keyed by the Parquet
    file's modification time, which a rename keeps. The previous snapshot's slices and charts are
    dropped, except the charts named in ``keep_charts`` (rendered or found for the new snapshot: a chart
    is keyed by the table it draws, so it is valid for any snapshot with that table) and whatever a web
    worker wrote after publishing began.
    """
    directory = staged.parent
    publishing = time.time()
    (directory / SLICE_CACHE).mkdir(exist_ok=True)
    moved = set()
    for computed in (staged / SLICE_CACHE).glob("*.json"):
        computed.replace(directory / SLICE_CACHE / computed.name)
        moved.add(computed.name)
    for name in (PUBLISHED_FILE, RUN_FILE, SUPPLY_FILE):
        if (staged / name).exists():
            (staged / name).replace(directory / name)
    keep = moved | set(keep_charts)
    for stale in [*(directory / "charts").glob("*.svg"), *(directory / SLICE_CACHE).glob("*.json")]:
        try:
            if stale.name not in keep and stale.stat().st_mtime < publishing:
                stale.unlink()
        except FileNotFoundError:
            pass  # another refresh removed it
    shutil.rmtree(staged, ignore_errors=True)


def is_london(area_code: str) -> bool:
    return area_code == LONDON
