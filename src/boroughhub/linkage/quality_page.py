"""What the linkage-quality page shows, gathered from the warehouse (figures only, no record values)."""

from __future__ import annotations

import logging
from typing import Any

import duckdb

from boroughhub.linkage.link_tables import load_model
from boroughhub.linkage.quality import label_estimates, linked_by_source_pair, model_change, person_sizes
from boroughhub.linkage.report import CHART_TITLES, render_svg
from boroughhub.linkage.review_pages import SOURCE_LABELS
from boroughhub.linkage.sample_page import sample_context
from boroughhub.linkage.train import parameter_rows


def _threshold(con: duckdb.DuckDBPyConnection) -> float | None:
    row = con.execute("SELECT threshold FROM linkage_run ORDER BY started_at DESC LIMIT 1").fetchone()
    return float(row[0]) if row else None


def quality_context(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    sizes = person_sizes(con)
    threshold = _threshold(con)
    precision, recall = label_estimates(con, threshold) if threshold is not None else label_estimates(con)
    pairs = [
        {"sources": f"{SOURCE_LABELS.get(p.source_a, p.source_a)} and {SOURCE_LABELS.get(p.source_b, p.source_b)}"
         if p.source_a != p.source_b else f"{SOURCE_LABELS.get(p.source_a, p.source_a)} with itself",
         "persons": p.persons, "records": p.records}
        for p in linked_by_source_pair(con)
    ]
    stored = load_model(con)
    chart = None
    if stored is not None and "match_weights" in stored.model.charts:
        try:
            chart = render_svg(stored.model.charts["match_weights"])
        except Exception:  # noqa: BLE001 - the parameter table says the same; the page must still show
            logging.getLogger(__name__).warning("match weights chart could not be rendered")
    return {
        "precision": precision, "recall": recall, "threshold": threshold,
        "sizes": sizes, "persons": sum(n for _, n in sizes), "source_pairs": pairs,
        "change": model_change(con), "weights_chart": chart,
        "weights_chart_title": CHART_TITLES["match_weights"],
        "parameters": parameter_rows(stored.model) if stored is not None else [],
        **sample_context(con),
    }
