"""The Splink model: comparisons, blocking rules and thresholds for London's person records.

Written once as Splink *creators* (``SettingsCreator``), which Splink resolves into SQL for the
backend it runs on, so the same model runs on DuckDB and Spark. Custom levels use only plain
SQL (``=``, ``abs``, ``substr``, ``length``) that both dialects share.

Comparisons (each only when its fields exist in the input):

- names: null; exact full name (term-frequency adjusted); first and last swapped; both names
  Jaro-Winkler >= 0.92; same last name and first name >= 0.75 (Karl/Carl); same first name and last
  name >= 0.8; both >= 0.8; alias overlap (two name tokens shared, across first, last and
  other names); exact last name (TF); exact first name (TF); a name in common anywhere (swapped and
  one misspelt, a first name as surname); else.
- date of birth: null; a date estimated from an age (CHAIN) against any other, as an age: within a
  year, or not; exact (not 1 January); exact on 1 January (a common default); day and month swapped;
  one typo; same day and month, different year; 1 January default against a date in the same year;
  within a month; within a year; within five years; else.
- NI number: exact; same first eight characters (suffix letter differs); one typo; else.
- CHAIN reference (``chain_ref``: a CHAIN record's own id, or the ``chain_person_id`` InForm holds):
  exact; both CHAIN records (their ids always differ; EM learns how often CHAIN holds a duplicate); else.
- application (H-CLIC, against a CHAIN or InForm record only): applied from the street; alone; with others.
- gender, nationality: exact; else (weak evidence; EM learns how weak).
- activity (``areas`` present: see ``activity``): a stay started on the same day in the same area; in the
  same area at about the same time (a month either side; an H-CLIC application from two months before to a
  year after) in two months or more, or in one; in the same area at other times; else.
- home (``link-files`` with both postcode and address): same home with unrelated first names (a
  household member, see ``home_comparison``); same postcode and address; same postcode, similar
  address; same address; postcode one typo and similar address; same postcode, address alike; same
  postcode; similar address; postcode one typo; same outward code; else.
- postcode alone (``link-files`` only): exact; one typo; same outward code; else.
- address alone (``link-files`` only): exact; three, two, one words in common; else.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator

# Pairs at or above this match probability are the same person: the Fellegi-Sunter decision
# "more likely the same than not", which maximised F1 on our benchmarks (see docs/linkage.md).
MATCH_THRESHOLD = 0.5
# Pairs in [REVIEW_LOWER, REVIEW_UPPER) go to the clerical review queue: the band either side of
# the threshold where a person's judgement changes most outcomes.
REVIEW_LOWER = 0.2
REVIEW_UPPER = 0.8
# Pairs below this are not kept at all.
PAIRS_KEPT_FROM = 0.05
# Share of one person's record pairs that hold two different NI numbers (not a typo): see the NI comparison.
NI_DIFFERS_M = 0.01
# Share of people met by outreach or in hostels whose homelessness application was made with a partner,
# family or other adults, not from the street: see the application comparison.
APPLIED_WITH_OTHERS_M = 0.1


class ArraysShareAnElement(cll.ArrayIntersectLevel):
    """Splink's ``ArrayIntersectLevel(column, 1)``, written as the engines' own "do the arrays overlap" test:
    DuckDB's ``list_has_any`` stops at the first shared element where ``array_length(list_intersect(..)) >= 1``
    builds the whole intersection (half the cost on the area-months of 1.1 million pairs, decision 0200)."""

    def __init__(self, col_name: str) -> None:
        super().__init__(col_name, min_intersection=1)

    def create_sql(self, sql_dialect: Any) -> str:
        return _overlap_sql(self, sql_dialect) or str(super().create_sql(sql_dialect))


class ArraysShareTwoElements(cll.ArrayIntersectLevel):
    """Splink's ``ArrayIntersectLevel(column, 2)`` behind the engines' own overlap test: the intersection is
    built only for the pairs that share an element (most candidate pairs share none), and the overlap test is
    the same expression as the next level's, which DuckDB computes once for both (decision 0202)."""

    def __init__(self, col_name: str) -> None:
        super().__init__(col_name, min_intersection=2)

    def create_sql(self, sql_dialect: Any) -> str:
        count = str(super().create_sql(sql_dialect))
        overlap = _overlap_sql(self, sql_dialect)
        return f"{overlap} AND {count}" if overlap else count


# The engines' own "do the two arrays share an element" functions (others: Splink's intersection size).
OVERLAP_FUNCTIONS = {"duckdb": "list_has_any", "spark": "arrays_overlap"}


def _overlap_sql(level: cll.ArrayIntersectLevel, sql_dialect: Any) -> str | None:
    function = OVERLAP_FUNCTIONS.get(sql_dialect.sqlglot_dialect)
    if function is None:
        return None
    level.col_expression.sql_dialect = sql_dialect
    return f"{function}({level.col_expression.name_l}, {level.col_expression.name_r})"


def name_comparison() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="name",
        comparison_description="first and last name, swapped names and aliases",
        comparison_levels=[
            cll.And(cll.NullLevel("first_name"), cll.NullLevel("last_name")),
            cll.ExactMatchLevel("full_name").configure(tf_adjustment_column="full_name"),
            cll.ColumnsReversedLevel("first_name", "last_name", symmetrical=True),
            cll.And(cll.JaroWinklerLevel("first_name", 0.92), cll.JaroWinklerLevel("last_name", 0.92)),
            cll.And(cll.ExactMatchLevel("last_name"), cll.JaroWinklerLevel("first_name", 0.75)).configure(
                label_for_charts="same last name, similar first name"
            ),
            cll.And(cll.ExactMatchLevel("first_name"), cll.JaroWinklerLevel("last_name", 0.8)).configure(
                label_for_charts="same first name, similar last name"
            ),
            cll.And(cll.JaroWinklerLevel("first_name", 0.8), cll.JaroWinklerLevel("last_name", 0.8)),
            cll.ArrayIntersectLevel("name_tokens", min_intersection=2),
            cll.ExactMatchLevel("last_name").configure(tf_adjustment_column="last_name"),
            # A record without a surname (CHAIN often has only a first name) says nothing against the other's;
            # two surnames that differ say two people, as often as not a stranger born on the same day.
            cll.And(cll.ExactMatchLevel("first_name"), _level("last_name_l IS NULL OR last_name_r IS NULL",
                                                               "a last name missing")).configure(
                tf_adjustment_column="first_name", label_for_charts="same first name, a last name missing"),
            cll.ExactMatchLevel("first_name").configure(tf_adjustment_column="first_name",
                                                        label_for_charts="same first name, last names differ"),
            # One name written anywhere in the other record (a first name recorded as a surname, an alias).
            ArraysShareAnElement("name_tokens").configure(label_for_charts="a name in common"),
            cll.ElseLevel(),
        ],
    )


def _level(sql: str, label: str) -> cll.CustomLevel:
    return cll.CustomLevel(sql, label_for_charts=label)


def date_of_birth_comparison() -> ComparisonCreator:
    jan1_l = "(dob_m_l = 1 AND dob_d_l = 1)"
    jan1_r = "(dob_m_r = 1 AND dob_d_r = 1)"
    year_l, year_r = "coalesce(dob_y_l, dob_estimated_y_l)", "coalesce(dob_y_r, dob_estimated_y_r)"
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="date of birth with its typical errors",
        comparison_levels=[
            _level(f"{year_l} IS NULL OR {year_r} IS NULL", "missing").configure(is_null_level=True),
            # A date estimated from a stated age (CHAIN flags it) is no date, but its year still tells a
            # 25-year-old from a 60-year-old of the same name: compared as an age, within a year either side
            # (the stated age and the day it was stated both round) or not.
            _level(f"(dob_l IS NULL OR dob_r IS NULL) AND abs({year_l} - {year_r}) <= 1",
                   "estimated age agrees (within a year)"),
            _level("dob_l IS NULL OR dob_r IS NULL", "estimated age differs"),
            _level(f"dob_l = dob_r AND NOT {jan1_l}", "exact"),
            _level("dob_l = dob_r", "exact, 1 January"),
            _level("dob_y_l = dob_y_r AND dob_d_l = dob_m_r AND dob_m_l = dob_d_r", "day and month swapped"),
            cll.DamerauLevenshteinLevel("dob", 1),
            _level("dob_m_l = dob_m_r AND dob_d_l = dob_d_r", "year differs"),
            _level(f"dob_y_l = dob_y_r AND ({jan1_l} OR {jan1_r})", "1 January default, same year"),
            # A slipped day (the 13th for the 3rd) stays within a month; a brother born in the same
            # year mostly does not, so the two get weights of their own.
            _level("abs(dob_days_l - dob_days_r) <= 31", "within a month"),
            _level("abs(dob_days_l - dob_days_r) <= 366", "within a year"),
            _level("abs(dob_days_l - dob_days_r) <= 1827", "within five years"),
            cll.ElseLevel(),
        ],
    )


def ni_number_comparison() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="ni_number",
        comparison_levels=[
            cll.NullLevel("ni_number"),
            cll.ExactMatchLevel("ni_number"),
            _level("substr(ni_number_l, 1, 8) = substr(ni_number_r, 1, 8)", "same first eight characters"),
            cll.DamerauLevenshteinLevel("ni_number", 1),
            # A National Insurance number is issued once for life, so two different numbers (beyond a
            # keying slip, the levels above) are strong evidence of two people. Fixed rather than
            # learnt: EM's session blocked on names, where same-name strangers outnumber matches,
            # put it at 0.95 on synthetic London and the median of two sessions halved the evidence
            # (decision 0190). 1 in 100: the same person's records carrying another person's number.
            cll.ElseLevel().configure(m_probability=NI_DIFFERS_M, fix_m_probability=True),
        ],
    )


def chain_ref_comparison() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="chain_ref",
        comparison_levels=[
            _level("chain_ref_l IS NULL OR chain_ref_r IS NULL", "missing").configure(is_null_level=True),
            cll.ExactMatchLevel("chain_ref"),
            # Two CHAIN records are two CHAIN ids: one person only where CHAIN holds a duplicate. A
            # level of its own lets EM learn how often that is, rather than counting it as no evidence.
            _level("source_l = 'chain' AND source_r = 'chain'", "both CHAIN records"),
            cll.ElseLevel(),
        ],
    )


def postcode_comparison() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            cll.NullLevel("postcode"),
            cll.ExactMatchLevel("postcode").configure(tf_adjustment_column="postcode"),
            cll.DamerauLevenshteinLevel("postcode", 1),
            _level(
                "length(postcode_l) > 4 AND substr(postcode_l, 1, length(postcode_l) - 3)"
                " = substr(postcode_r, 1, length(postcode_r) - 3)",
                "same outward code",
            ),
            cll.ElseLevel(),
        ],
    )


def address_comparison() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.NullLevel("address"),
            cll.ExactMatchLevel("address"),
            cll.ArrayIntersectLevel("address_tokens", min_intersection=3),
            cll.ArrayIntersectLevel("address_tokens", min_intersection=2),
            cll.ArrayIntersectLevel("address_tokens", min_intersection=1),
            cll.ElseLevel(),
        ],
    )


def home_comparison() -> ComparisonCreator:
    """Postcode and address as one piece of evidence, when a file has both.

    People who live together share both, so scoring them as two independent comparisons counts
    one fact twice: enough, on data with households, to link a mother and her son who share
    only a surname and a home. One comparison scores the home once.
    """
    outward = (
        "length(postcode_l) > 4 AND substr(postcode_l, 1, length(postcode_l) - 3)"
        " = substr(postcode_r, 1, length(postcode_r) - 3)"
    )
    return cl.CustomComparison(
        output_column_name="home",
        comparison_description="postcode and address together",
        comparison_levels=[
            _level(
                "(postcode_l IS NULL OR postcode_r IS NULL) AND (address_l IS NULL OR address_r IS NULL)",
                "postcode and address missing",
            ).configure(is_null_level=True),
            # Living together is strong evidence of being one person only if the first names agree
            # (Jaro-Winkler 0.88 and up: a typo, not a sister's name like Sultana and Sunita):
            # a household shares its home (and its surname), so two records at one home whose first
            # names are unrelated are more often two of its members. EM learns how often.
            cll.And(
                cll.Or(
                    cll.ExactMatchLevel("address"),
                    cll.And(
                        cll.ExactMatchLevel("postcode"),
                        cll.Or(cll.ArrayIntersectLevel("address_tokens", 3), _level(
                            "address_l IS NULL OR address_r IS NULL", "address missing")),
                    ),
                ),
                # given_name is first_name under another name: Splink leaves a comparison out of an EM
                # session blocked on a column it reads, and this one must be trained when blocked on
                # first and last name. Shared name tokens cover swapped names and aliases.
                cll.Not(cll.JaroWinklerLevel("given_name", 0.88)),
                cll.Not(cll.ArrayIntersectLevel("name_tokens", 2)),
            ).configure(label_for_charts="same home, first names unrelated"),
            cll.And(cll.ExactMatchLevel("postcode"), cll.ExactMatchLevel("address")).configure(
                label_for_charts="same postcode and address"
            ),
            cll.And(cll.ExactMatchLevel("postcode"), cll.ArrayIntersectLevel("address_tokens", 3)).configure(
                label_for_charts="same postcode, similar address"
            ),
            cll.ExactMatchLevel("address").configure(label_for_charts="same address, postcode differs or missing"),
            cll.And(cll.DamerauLevenshteinLevel("postcode", 1), cll.ArrayIntersectLevel("address_tokens", 3)).configure(
                label_for_charts="postcode one typo, similar address"
            ),
            cll.And(
                cll.ExactMatchLevel("postcode"),
                cll.Or(cll.JaroWinklerLevel("address", 0.9), cll.ArrayIntersectLevel("address_tokens", 2)),
            ).configure(label_for_charts="same postcode, address alike (typos, words run together)"),
            cll.ExactMatchLevel("postcode").configure(label_for_charts="same postcode, address differs or missing"),
            cll.ArrayIntersectLevel("address_tokens", 3).configure(label_for_charts="similar address, postcode differs"),
            cll.DamerauLevenshteinLevel("postcode", 1).configure(label_for_charts="postcode one typo"),
            _level(outward, "same outward code"),
            cll.ElseLevel(),
        ],
    )


def activity_comparison() -> ComparisonCreator:
    """Where and when the two records were active (boroughhub.linkage.activity): a shared stay, the
    same area at about the same time (over two months or more, or in one), the same area at other times, or
    never the same area. One month in common is often only the edge of two windows (an outreach contact two
    months before an application); months in common are the services meeting the person again and again
    (docs/decisions/0202-linkage-months-in-common.md)."""
    return cl.CustomComparison(
        output_column_name="activity",
        comparison_description="areas and times the services met the person",
        comparison_levels=[
            _level("areas_l IS NULL OR areas_r IS NULL", "no activity recorded").configure(is_null_level=True),
            ArraysShareAnElement("stay_tokens").configure(
                label_for_charts="a stay that started on the same day in the same area"),
            # Counting the months in common costs more than asking whether there is one (decision 0202), so the
            # count is taken only for the pairs that share a month; the overlap test is computed once for both.
            ArraysShareTwoElements("place_months").configure(
                label_for_charts="in the same area at about the same time, in two months or more"),
            ArraysShareAnElement("place_months").configure(
                label_for_charts="in the same area at about the same time, in one month"),
            ArraysShareAnElement("areas").configure(
                label_for_charts="in the same area at other times"),
            cll.ElseLevel(),
        ],
    )


def application_comparison() -> ComparisonCreator:
    """How the H-CLIC household applied, for a CHAIN or InForm record against an H-CLIC record
    (``application``): from the street, a single adult alone, or with others (a couple, a family)."""
    street_and_hclic = ("(source_l IN ('chain', 'inform') AND application_r IS NOT NULL) "
                       "OR (source_r IN ('chain', 'inform') AND application_l IS NOT NULL)")
    applied = "coalesce(application_l, application_r)"
    return cl.CustomComparison(
        output_column_name="application",
        comparison_description="how the H-CLIC household applied, against a CHAIN or InForm record",
        comparison_levels=[
            _level(f"NOT ({street_and_hclic})", "not a CHAIN or InForm record and an H-CLIC record").configure(is_null_level=True),
            _level(f"{applied} = 'street'", "applied from the street"),
            _level(f"{applied} = 'alone'", "applied as a single adult"),
            # Fixed rather than learnt: where no person met by outreach ever applied with others (a
            # generator, a small borough), EM learns "never" and the level would forbid such links
            # outright; in life some people sleeping rough apply as a couple or with family.
            cll.ElseLevel().configure(m_probability=APPLIED_WITH_OTHERS_M, fix_m_probability=True,
                                      label_for_charts="applied with others"),
        ],
    )


def comparisons_for(fields: set[str]) -> list[ComparisonCreator]:
    """The comparisons for the optional fields present (names and date of birth always)."""
    comparisons = [name_comparison(), date_of_birth_comparison()]
    if "ni_number" in fields:
        comparisons.append(ni_number_comparison())
    if "chain_ref" in fields:
        comparisons.append(chain_ref_comparison())
    if {"postcode", "address"} <= fields:
        comparisons.append(home_comparison())
    elif "postcode" in fields:
        comparisons.append(postcode_comparison())
    elif "address" in fields:
        comparisons.append(address_comparison())
    if "areas" in fields:
        comparisons.append(activity_comparison())
    if "application" in fields:
        comparisons.append(application_comparison())
    if "gender" in fields:
        comparisons.append(cl.ExactMatch("gender"))
    if "nationality" in fields:
        comparisons.append(cl.ExactMatch("nationality"))
    return comparisons


# Guards on the broad name rules (docs/decisions/0150-blocking-for-all-london.md). Same-name strangers
# grow with the square of a block, so at all-London scale a name rule alone yields tens of millions of
# pairs that no model could link: their dates of birth are years apart and nothing else agrees. A
# guard is a filter on the rule's equi-join, so the join stays a hash join and the pairs it drops are
# never scored. Written in DuckDB's SQL; Splink translates them for Spark.
DOB_MISSING = "(l.dob IS NULL OR r.dob IS NULL)"
AREAS_SHARED = "array_length(array_intersect(l.areas, r.areas)) >= 1"
AREAS_UNKNOWN = "(l.areas IS NULL OR r.areas IS NULL)"
# Every date-of-birth level short of "within five years" or "else": one typo changes the year (so day
# and month agree) or the day or month (so the year agrees).
DOB_NEAR = (
    "(l.dob_y = r.dob_y OR (l.dob_m = r.dob_m AND l.dob_d = r.dob_d)"
    " OR (l.dob_d = r.dob_m AND l.dob_m = r.dob_d) OR abs(l.dob_days - r.dob_days) <= 366)"
)
DOB_WITHIN_FIVE_YEARS = f"({DOB_NEAR} OR abs(l.dob_days - r.dob_days) <= 1827)"
SAME_FIRST_INITIAL = "substr(l.first_name, 1, 1) = substr(r.first_name, 1, 1)"
SAME_LAST_INITIAL = "substr(l.last_name, 1, 1) = substr(r.last_name, 1, 1)"
# Years of birth one keystroke apart differ in one of their last two digits.
YEAR_ONE_DIGIT_APART = "(abs(l.dob_y - r.dob_y) < 10 OR l.dob_y % 10 = r.dob_y % 10)"


def _home_agrees(fields: set[str]) -> list[str]:
    """Home evidence that can outweigh a wrong date of birth (files with postcode or address)."""
    found = []
    if "postcode" in fields:
        found.append("l.postcode = r.postcode")
    if "address" in fields:
        found.append("array_length(array_intersect(l.address_tokens, r.address_tokens)) >= 2")
    return found


def _guarded(rule: str, *alternatives: str) -> CustomRule:
    return CustomRule(f"({rule}) AND ({' OR '.join(alternatives)})", sql_dialect="duckdb")


def in_one_area(rule: BlockingRuleCreator, fields: set[str]) -> BlockingRuleCreator:
    """``rule``, and where records carry their areas, only for two records active in one area (or a record
    without areas): a guard for rules that agree on little more than one name and part of a date of birth."""
    if "areas" not in fields:
        return rule
    sql = rule.get_blocking_rule("duckdb").blocking_rule_sql
    return _guarded(sql, AREAS_UNKNOWN, AREAS_SHARED)


def prediction_blocking_rules(fields: set[str]) -> list[BlockingRuleCreator]:
    """Blocking rules: each is an equi-join, so cost grows with block sizes, never quadratically.

    Together they catch a true pair if it agrees on (canonical) full name; or on date of birth and
    an initial (also swapped) or a name anywhere; or on swapped names; or on one name and part of the other; or on
    one name and part of the date of birth; or, a record without any name, on date of birth; or on any shared
    identifier. The broad name rules are guarded: the dates of birth must be near (or, for full names, missing
    or within five years), or the home agree.
    """
    home = _home_agrees(fields)
    # A missing date of birth lets a pair in on names alone; where records carry their areas, only if they
    # were active in one (at all London, same-name strangers in other boroughs are most of such pairs).
    dob_missing = f"({DOB_MISSING} AND {AREAS_SHARED})" if "areas" in fields else DOB_MISSING
    rules: list[BlockingRuleCreator] = [
        _guarded("l.first_name = r.first_name AND l.last_name = r.last_name",
                 DOB_MISSING, DOB_WITHIN_FIVE_YEARS, *home),
        block_on("dob", "substr(first_name, 1, 1)"),
        # The same date of birth and a name in common anywhere (names swapped and misspelt, a first name only).
        # Exploded, so the join is on date of birth and a name together (a filter of every same-day pair on
        # their names cost more than all the other rules at all London; decision 0200).
        block_on("dob", "name_tokens", arrays_to_explode=["name_tokens"]),
        block_on("dob", "substr(last_name, 1, 1)"),
        CustomRule("l.dob = r.dob AND substr(l.first_name, 1, 1) = substr(r.last_name, 1, 1)"),
        CustomRule("l.dob = r.dob AND substr(l.last_name, 1, 1) = substr(r.first_name, 1, 1)"),
        _guarded("l.first_name = r.last_name AND l.last_name = r.first_name",
                 DOB_MISSING, DOB_WITHIN_FIVE_YEARS, *home),
        # Same surname and birth year, first names unrelated: strangers, unless an initial or the home agrees.
        _guarded("l.last_name = r.last_name AND l.dob_y = r.dob_y", SAME_FIRST_INITIAL, *home),
        # Same day and month of birth, another year: a year typo, or a stranger's birthday.
        _guarded("l.last_name = r.last_name AND l.dob_m = r.dob_m AND l.dob_d = r.dob_d",
                 SAME_FIRST_INITIAL, YEAR_ONE_DIGIT_APART, *home),
        # Without a date of birth (a CHAIN record often has none) only the names can bring a pair in.
        _guarded(f"l.last_name = r.last_name AND {SAME_FIRST_INITIAL}", DOB_NEAR, dob_missing, *home),
        _guarded("l.first_name = r.first_name AND substr(l.last_name, 1, 3) = substr(r.last_name, 1, 3)",
                 DOB_NEAR, dob_missing, *home),
        # ... or its last three letters, a date of birth missing: one slip early in a surname (maartins,
        # keelly) keeps the ending (with dates of birth, the rules on the date and an initial find them).
        _guarded("l.first_name = r.first_name AND right(l.last_name, 3) = right(r.last_name, 3)",
                 dob_missing, *home),
        # The same first name and one part of the date of birth: at all London, where records carry their
        # areas, only records active in one area (or without areas) (decision 0200: a quarter of all
        # London's candidate pairs, nearly all strangers in other boroughs).
        in_one_area(block_on("first_name", "dob_y", "substr(last_name, 1, 1)"), fields),
        in_one_area(_guarded("l.first_name = r.first_name AND l.dob_m = r.dob_m AND l.dob_d = r.dob_d",
                             SAME_LAST_INITIAL, YEAR_ONE_DIGIT_APART, *home), fields),
    ]
    # A record with a date of birth and no name at all (someone outreach met who would not give one): only the
    # date can bring it in. One rule per side, so each join starts from the few nameless records.
    for side, other in (("l", "r"), ("r", "l")):
        nameless = f"{side}.first_name IS NULL AND {side}.last_name IS NULL AND {other}.dob = {side}.dob"
        rules.append(CustomRule(f"{nameless} AND {AREAS_SHARED}" if "areas" in fields else nameless,
                                sql_dialect="duckdb"))
    if "ni_number" in fields:
        rules.append(block_on("ni_number"))
    if "chain_ref" in fields:
        rules.append(block_on("chain_ref"))
    if "areas" in fields:
        # A stay that started on the same day in the same area, whatever the names say: few people
        # arrive anywhere on one day, so the blocks stay small.
        rules.append(block_on("stay_tokens", arrays_to_explode=["stay_tokens"]))
    if "postcode" in fields:
        rules.append(block_on("postcode", "substr(first_name, 1, 1)"))
        rules.append(block_on("postcode", "substr(last_name, 1, 1)"))
        rules.append(block_on("postcode", "dob"))
    if "address" in fields:
        rules.append(block_on("address"))
        if "postcode" in fields:
            rules.append(block_on("postcode", "substr(address, 1, 6)"))
    return rules


def training_blocking_rules(fields: set[str]) -> list[BlockingRuleCreator]:
    """EM sessions; Splink takes each parameter's median over the sessions that estimate it.

    Blocked on names (trains everything else), on date of birth (trains names), and, where present,
    on NI number and on the CHAIN reference: pairs sharing an identifier are nearly all matches, so
    those sessions steady the date-of-birth estimates that same-name strangers otherwise distort.
    """
    rules = [block_on("first_name", "last_name"), block_on("dob")]
    if "ni_number" in fields:
        rules.append(block_on("ni_number"))
    if "chain_ref" in fields:
        rules.append(block_on("chain_ref"))
    return rules


def deterministic_rules(fields: set[str]) -> list[str | BlockingRuleCreator]:
    """Near-certain matches, used only to estimate the prior probability of a match."""
    rules: list[str | BlockingRuleCreator] = [block_on("first_name", "last_name", "dob")]
    if "ni_number" in fields:
        rules.append(block_on("ni_number", "dob"))
    return rules


def settings_creator(fields: set[str]) -> SettingsCreator:
    comparisons: list[ComparisonCreator | dict[str, Any]] = [*comparisons_for(fields)]
    rules: list[BlockingRuleCreator | dict[str, Any]] = [*prediction_blocking_rules(fields)]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        additional_columns_to_retain=["source"],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def settings_for_dialect(fields: set[str], dialect: str) -> dict[str, Any]:
    """The resolved settings dictionary for one backend's SQL dialect ('duckdb' or 'spark')."""
    # Splink leaves Settings.as_dict untyped.
    settings: dict[str, Any] = settings_creator(fields).get_settings(dialect).as_dict()  # type: ignore[no-untyped-call]
    return settings
