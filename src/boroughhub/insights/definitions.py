"""The metrics catalogue in words: every metric id's name and one-line definition (metrics.md), the names of
its variants and measures, for pages, export notes and page help.

Pages and XLSX downloads say these names, never the ids: an id is for the CSV, where it sits in a column
beside the name, and for the people who maintain the hub.
"""

from __future__ import annotations

NAMES: dict[str, str] = {
    "chain_total": "People seen sleeping rough",
    "chain_flow": "New people (flow)",
    "chain_stock": "People also seen the year before (stock)",
    "chain_returner": "People returning after a year or more (returners)",
    "chain_q_total": "People seen sleeping rough in the quarter",
    "chain_q_new": "New people in the quarter",
    "chain_q_lots": "People living on the streets",
    "chain_q_intermittent": "People sleeping rough intermittently",
    "chain_q_new_one_night": "New people seen on one night only in the quarter",
    "chain_q_new_multi_not_lots": "New people seen on more than one night, not living on the streets",
    "chain_q_new_lots": "New people also living on the streets",
    "nsno_one_night": "New people seen on one night only",
    "nsno_one_night_share": "Share of new people seen on one night only",
    "fw_r1": "R1: people sleeping rough in the month",
    "fw_r1_rate": "R1 per 100,000 residents",
    "fw_p1": "P1: new people sleeping rough",
    "fw_p2": "P2: people who recently left an institution",
    "fw_b1": "B1: people sleeping rough long-term",
    "fw_nr1": "NR1: people returning to rough sleeping",
    "fw_t1_n": "T1: people who moved into long-term accommodation",
    "fw_t1_median_days": "T1: median days from first seen to long-term accommodation",
    "fw_t1_mean_days": "T1: mean days from first seen to long-term accommodation",
    "fw_t1_band": "T1: people by time from first seen to long-term accommodation",
    "lk_prev_cohort": "New people (not seen in the five years before)",
    "lk_prev_approached": "New people who had approached a council in the year before",
    "lk_prev_outcome": "How the council cases of new people ended",
    "lk_prev_open_at_first_seen": "New people whose council case was still open on their first night out",
    "lk_prev_hclic_coverage": "London councils whose homelessness case data cover the period",
    "lk_brief_n": "New people followed for a year",
    "lk_brief_within_30": "New people accommodated within 30 days",
    "lk_brief_within_90": "New people accommodated within 90 days",
    "lk_brief_within_365": "New people accommodated within 365 days",
    "lk_brief_band": "New people by days from first night out to accommodation",
    "lk_brief_median_days": "Median days from first night out to accommodation",
    "lk_pathways": "Pathways of new people over the following year",
    "lk_nonrec_n": "People who moved into (or left) accommodation",
    "lk_nonrec_return_0_180": "Back on the streets within 180 days",
    "lk_nonrec_return_181_365": "Back on the streets after 181 to 365 days",
    "lk_nonrec_return_366_730": "Back on the streets after 366 to 730 days",
    "lk_nonrec_return_total": "Back on the streets within two years",
}

DEFINITIONS: dict[str, str] = {
    "chain_total": "People seen sleeping rough (bedded down) at least once in the financial year.",
    "chain_flow": "Of the people seen in the year, those never seen sleeping rough before it (new).",
    "chain_stock": "Of the people seen in the year, those also seen in the previous financial year.",
    "chain_returner": "Of the people seen in the year, those not seen in the previous year but seen before it.",
    "chain_q_total": "People seen sleeping rough at least once in the financial quarter.",
    "chain_q_new": "Of the people seen in the quarter, those never seen sleeping rough before it.",
    "chain_q_lots": "Of the people seen in the quarter, those living on the streets: 5 or more nights in the "
                    "quarter, the first and last at least 21 days apart.",
    "chain_q_intermittent": "Of the people seen in the quarter, those neither new nor living on the streets.",
    "chain_q_new_one_night": "New people seen on one night only in the quarter.",
    "chain_q_new_multi_not_lots": "New people seen on 2 or more nights, not living on the streets.",
    "chain_q_new_lots": "New people who are also living on the streets.",
    "nsno_one_night": "New people seen on one night only in the period (the No Second Night Out measure).",
    "nsno_one_night_share": "New people seen on one night only, as a share of the new people of the period.",
    "fw_r1": "People seen sleeping rough at least once in the month.",
    "fw_r1_rate": "R1 per 100,000 residents (ONS mid-year estimate), where an estimate is supplied.",
    "fw_p1": "Of R1, people not seen sleeping rough in the 60 months before their first night in the month.",
    "fw_p2": "Of R1, people seen within 85 days of leaving an institution (prison, hospital, care, asylum "
             "accommodation).",
    "fw_b1": "Of R1, people seen in at least 3 of the last 12 calendar months.",
    "fw_nr1": "Of R1, people seen in the 60 months before but not in the 90 days before their first night.",
    "fw_t1_n": "People who moved into long-term accommodation in the period after sleeping rough.",
    "fw_t1_median_days": "Median days from the first night of the current spell of rough sleeping to the move "
                         "into long-term accommodation; always a number of days, a year or more included.",
    "fw_t1_mean_days": "Mean days from the first night of the current spell to the move into long-term "
                       "accommodation.",
    "fw_t1_band": "People who moved into long-term accommodation, by days since the first night of the spell.",
    "lk_prev_cohort": "People new in the period: not seen sleeping rough in the 60 months before their first "
                      "night.",
    "lk_prev_approached": "Of the new people, those with a council homelessness application in the year before "
                          "their first night out. Found by linking each outreach record to the councils' case "
                          "records; an outreach record often has no date of birth, and such links are sometimes "
                          "missed, so the count is more likely under than over (5–10% under on synthetic London).",
    "lk_prev_outcome": "Of the new people who had approached a council, how their latest application ended.",
    "lk_prev_open_at_first_seen": "Of the new people who had approached a council, those whose case was still "
                                  "open on their first night out.",
    "lk_prev_hclic_coverage": "London councils whose homelessness case data (H-CLIC) cover the period and the "
                              "year before it.",
    "lk_brief_n": "New people of the period, each followed for 365 days after their first night out.",
    "lk_brief_within_30": "Of the new people, those who moved into accommodation within 30 days of their first "
                          "night out.",
    "lk_brief_within_90": "Of the new people, those who moved into accommodation within 90 days.",
    "lk_brief_within_365": "Of the new people, those who moved into accommodation within 365 days.",
    "lk_brief_band": "New people by days from their first night out to accommodation.",
    "lk_brief_median_days": "Median days from the first night out to accommodation; '>365' when half or more "
                            "of the people were not accommodated within the year of follow-up.",
    "lk_pathways": "Where new people went over the year after their first night out: first accommodation, "
                   "how it ended, and whether they were seen sleeping rough again.",
    "lk_nonrec_n": "People who left the streets for accommodation (or left accommodation) two years before.",
    "lk_nonrec_return_0_180": "Of those people, the ones seen sleeping rough again within 180 days.",
    "lk_nonrec_return_181_365": "Of those people, the ones seen sleeping rough again after 181 to 365 days.",
    "lk_nonrec_return_366_730": "Of those people, the ones seen sleeping rough again after 366 to 730 days.",
    "lk_nonrec_return_total": "Of those people, the ones seen sleeping rough again within two years.",
}

VARIANT_NAMES: dict[str, str] = {
    "": "",
    "any": "Any accommodation",
    "long_term": "Long-term accommodation",
    "after_move_in_long_term": "After moving into long-term accommodation",
    "after_move_in_any": "After moving into any accommodation",
    "after_move_out": "After leaving accommodation",
}

MEASURE_NAMES: dict[str, str] = {
    "count": "People",
    "numerator": "People counted",
    "denominator": "Out of",
    "share": "Per cent",
    "median_days": "Median days",
    "mean_days": "Mean days",
    "rate": "Per 100,000 residents",
}

BREAKDOWN_KIND_NAMES: dict[str, str] = {
    "none": "No breakdown",
    "age_band": "Age band",
    "gender": "Gender",
    "nationality_group": "Nationality group",
    "support_need": "Support need",
    "support_need_any": "Alcohol, drug or mental health need",
    "band": "Band",
    "outcome_group": "Outcome",
    "exit_group": "How the stay ended",
    "exit_to_long_term": "Left for long-term accommodation",
    "transition": "Pathway step",
    "support_need_combination": "Alcohol, drugs and mental health together",
    "institution_history": "Institutions ever lived in",
}

PERIOD_TYPE_NAMES: dict[str, str] = {
    "financial_year": "Financial year",
    "financial_quarter": "Financial quarter",
    "month": "Month",
}


def metric_name(metric: str) -> str:
    """The catalogue's name of ``metric`` (the id itself only for a metric the catalogue does not know)."""
    return NAMES.get(metric, metric.replace("_", " "))
