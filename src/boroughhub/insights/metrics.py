"""Public front of the rough sleeping metrics (metrics.md): parameters, refresh, the catalogue of ids.

The work is done by SQL builders in small modules, one idea each: ``records`` (persons, 3.2),
``events`` (derived event tables, 1.2–1.6), ``cohorts`` (section 4), ``framework`` (section 5),
``linked`` (6.1–6.3), ``pathways`` (6.4), ``output`` (section 7). ``refresh`` runs them.
"""

from __future__ import annotations

from boroughhub.insights.catalog import CATALOG, METRIC_IDS, MetricSpec
from boroughhub.insights.output import OUTPUT_COLUMNS
from boroughhub.insights.params import LONDON, Parameters, ResolvedParameters, resolve
from boroughhub.insights.refresh import build_statements, compute, refresh

__all__ = [
    "CATALOG",
    "LONDON",
    "METRIC_IDS",
    "OUTPUT_COLUMNS",
    "MetricSpec",
    "Parameters",
    "ResolvedParameters",
    "build_statements",
    "compute",
    "refresh",
    "resolve",
]
