"""``write_outputs``: every output file of spec §8.1, written to a temporary directory and moved
into place only when all of them were written, so a failure leaves no partial output."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from boroughhub.evaluation import exports
from boroughhub.evaluation.results import Results

ALL_FORMATS = ("json", "csv", "xlsx", "html", "pdf")


def write_outputs(results: Results, out_dir: str | Path, formats: Iterable[str] = ALL_FORMATS,
                  step: Callable[[str], None] | None = None) -> list[Path]:
    """Write results.json, the CSVs, the charts and the report; return the paths written."""
    formats = set(formats)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".evaluation-", dir=out_dir.parent))
    try:
        _write_all(results, tmp, formats, step or (lambda _: None))
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for path in sorted(tmp.rglob("*")):
            if path.is_file():
                target = out_dir / path.relative_to(tmp)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                written.append(target)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write_all(results: Results, tmp: Path, formats: set[str], step: Callable[[str], None]) -> None:
    if "json" in formats:
        step("results.json")
        (tmp / "results.json").write_text(exports.to_json(results), encoding="utf-8")
    if "csv" in formats:
        step("CSV tables")
        for name, rows in exports.tables(results).items():
            (tmp / f"{name}.csv").write_text(exports.to_csv(rows), encoding="utf-8", newline="")
    if "xlsx" in formats:
        from boroughhub.evaluation.workbook import to_xlsx

        step("results.xlsx")
        (tmp / "results.xlsx").write_bytes(to_xlsx(results))
    if formats & {"html", "pdf"}:
        from boroughhub.evaluation import charts, report

        step("charts")
        drawn = charts.all_charts(results)
        (tmp / "charts").mkdir()
        for chart in drawn:
            (tmp / "charts" / f"{chart.id}.svg").write_text(chart.svg, encoding="utf-8")
            (tmp / "charts" / f"{chart.id}.vl.json").write_text(json.dumps(chart.spec, indent=1, sort_keys=True),
                                                                encoding="utf-8")
        step("report.html")
        html = report.render_html(results, drawn)
        if "html" in formats:
            (tmp / "report.html").write_text(html, encoding="utf-8")
        if "pdf" in formats:
            step("report.pdf")
            (tmp / "report.pdf").write_bytes(report.render_pdf(html))
