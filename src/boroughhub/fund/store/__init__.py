"""The fund's database side: rounds and applications (``applications``), assessment and moderation
(``assessment``), selection, decisions and awards (``decisions``), and the demo round (``demo``)."""

from __future__ import annotations

from .applications import (
    FundRefused,
    application_facts,
    next_reference,
    round_listing,
    save_application,
    submit_application,
)
from .assessment import declare_conflict, moderate, raise_flag, save_scores, scores_of, submitted_assessors
from .decisions import awarded_grants, decide_round, selection_for
from .demo import seed_demo, seed_open_round

__all__ = [
    "FundRefused", "application_facts", "awarded_grants", "declare_conflict", "decide_round", "moderate",
    "next_reference", "raise_flag", "round_listing", "save_application", "save_scores", "scores_of", "seed_demo",
    "seed_open_round", "selection_for", "submit_application", "submitted_assessors",
]
