"""What the figures' codes and markers mean, in words a borough user reads: the labels of breakdown values
and pathway steps, the key to the markers with the suppression threshold actually applied, and the run's
parameters as sentences (never raw JSON)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from boroughhub.insights.disclosure import suppression_threshold
from boroughhub.reference import code_list

SHORT = "[short]"
EXIT_TO_LONG_TERM = {"true": "Left for long-term accommodation", "false": "Left, not for long-term accommodation"}
_LISTS = {"age_band": "age_band", "gender": "gender", "nationality_group": "nationality_group",
          "support_need": "support_need_group", "support_need_any": "support_need_group",
          "outcome_group": "case_outcome_group", "exit_group": "pathway_node"}  # fmt: skip


SUPPORT_NEED_COMBINATION_LABELS = {
    "alcohol": "Alcohol only", "drugs": "Drugs only", "mental_health": "Mental health only",
    "alcohol+drugs": "Alcohol and drugs", "alcohol+mental_health": "Alcohol and mental health",
    "drugs+mental_health": "Drugs and mental health", "alcohol+drugs+mental_health": "All three",
    "none_of_alcohol_drugs_mental_health": "None of the three", "not_assessed": "Not assessed",
}  # fmt: skip
INSTITUTION_LABELS = {"prison": "Prison", "care": "Local authority care", "armed_forces": "Armed forces"}


def _labels(list_name: str) -> dict[str, str]:
    return {r["code"]: r["label"] for r in code_list(list_name)}


def pathway_step(node: str) -> str:
    """``1:hostel_or_short_term`` → ``Stage 1: Hostel or other short-term accommodation``."""
    stage, _, code = node.partition(":")
    return f"Stage {stage}: {_labels('pathway_node').get(code, code.replace('_', ' '))}"


def category_label(breakdown: str, value: str, metric: str = "") -> str:
    """The label of one breakdown value (a code of 7.2), as the code lists name it."""
    if breakdown in ("none", "") or not value:
        return ""
    if breakdown == "transition":
        source, _, target = value.partition(">")
        return f"{pathway_step(source)} to {pathway_step(target)}"
    if breakdown == "band":
        return _labels("t1_band" if metric.startswith("fw_t1") else "brief_band").get(value, value)
    if breakdown == "exit_to_long_term":
        return EXIT_TO_LONG_TERM.get(value, value)
    if breakdown == "support_need_combination":
        return SUPPORT_NEED_COMBINATION_LABELS.get(value, value)
    if breakdown == "institution_history":
        return INSTITUTION_LABELS.get(value, value)
    if breakdown == "gender" and value == "not_known":
        return "Not known"
    return _labels(_LISTS[breakdown]).get(value, value.replace("_", " ")) if breakdown in _LISTS else value


@dataclass(frozen=True)
class KeyEntry:
    marker: str
    meaning: str


def disclosure_key(*, unrounded: bool, min_cell_size: int | None, agreement: str, follow_up_days: int = 365
                   ) -> list[KeyEntry]:
    """The key to every marker a page or download may show, with the threshold that was applied.

    ``agreement`` names the agreement whose permission the figures were released under (``dsa-pl-rsi v1``)."""
    threshold = suppression_threshold(min_cell_size)
    if unrounded:
        suppressed = KeyEntry("[c]", "Not used: these figures are unrounded, for use inside the hub only.")
    else:
        under = f" under agreement {agreement}" if agreement else ""
        suppressed = KeyEntry("[c]", (
            f"Suppressed to protect individuals: counts below {threshold + 1} are suppressed{under}, and so is "
            "one more cell where it could be worked out from a total; other counts are rounded to the nearest 5 "
            "(10 for London); shares, medians and means of fewer than 20 people are suppressed too."))
    return [
        suppressed,
        KeyEntry("[x]", (
            "Not available: there is no figure for this cell. For the measures that follow people for "
            f"{follow_up_days} days (how quickly people are accommodated, pathways), the latest periods are [x] "
            "because the follow-up is not over yet.")),
        KeyEntry("[z]", "Not applicable, for example a rate per resident for Heathrow, which has no residents."),
        KeyEntry(SHORT, (
            "Short history: the data start less than this measure's look-back before the period, so some people "
            "counted as new, or not counted as stock or returners, may have been seen before the data begin.")),
        KeyEntry("[low]", (
            "Low coverage: not every London council's homelessness case data cover this period, so people who "
            "approached a council are undercounted.")),
    ]


PARAMETER_WORDS = {
    "history_start": "Data from",
    "as_at": "Data up to",
    "p1_lookback_months": "Look-back for new people (months)",
    "follow_up_days": "Follow-up after a first night out (days)",
    "prevention_lookback_days": "Look-back for an approach to a council (days)",
    "lots_min_nights": "Living on the streets: at least this many nights in the quarter",
    "lots_min_span_days": "Living on the streets: first and last night at least this many days apart",
    "p2_window_days": "Recently left an institution: within this many days",
    "b1_min_months": "Long-term: seen in at least this many months",
    "b1_window_months": "Long-term: of the last this many months",
    "nr1_gap_days": "Returning: not seen for at least this many days",
    "t1_lookback_months": "Time to long-term accommodation: look-back (months)",
    "nonrec_follow_up_days": "Returns to the streets: follow-up (days)",
}


def parameters_in_words(parameters: str) -> list[tuple[str, str]]:
    """The run's main parameters, named in words (the JSON the refresh recorded, read)."""
    try:
        values: Mapping[str, object] = json.loads(parameters) if parameters else {}
    except ValueError:
        return []
    return [(words, str(values[name])) for name, words in PARAMETER_WORDS.items() if name in values]
