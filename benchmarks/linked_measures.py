"""The insights on linked ids against the same insights on the generator's true ids, at any size of London.

    .venv/bin/python benchmarks/linked_measures.py                          # all London, scale 1.0, the demo's seed
    .venv/bin/python benchmarks/linked_measures.py --areas pilot --scale 0.1 --seed 11   # the test's set

Issue 13's "done when": on a hub loaded with all London, the CHAIN cohorts counted on linked ids within 2% of the
truth and every other linked measure within 5%. ``tests/insights/test_linked_against_truth.py`` checks the same
on a small pilot set in every CI run; this runs the whole pipeline at the size the issue names: generate,
load with the truth as ``person_link``, refresh the insights, link in full (``link_persons``, as
``boroughhub link --mode full`` does), refresh again, compare every London count of 50 or more.

Writes benchmarks/results/linked_measures.md and its section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

if __package__ in (None, ""):  # run as a script: make the `benchmarks` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.results_section import write_results_section  # noqa: E402
from boroughhub.insights.contract import load_generated  # noqa: E402
from boroughhub.insights.metrics import LONDON, Parameters, compute, refresh  # noqa: E402
from boroughhub.linkage.link import link_persons  # noqa: E402
from boroughhub.linkage.model_settings import REVIEW_LOWER, REVIEW_UPPER  # noqa: E402
from boroughhub.linkage.review import record_decision  # noqa: E402
from boroughhub.synthetic.generate import generate  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "linked_measures.md"
SECTION = "## Insights on linked ids against the truth"
DEMO_SEED = 20260401  # boroughhub.web.management.demo_steps.DEMO_SEED: the world `make demo` loads
HEADLINE = ("chain_total", "chain_flow", "chain_stock", "chain_returner")
HEADLINE_ALLOWED, OTHER_ALLOWED, SMALLEST = 0.02, 0.05, 50

Key = tuple[str, str, str, str]  # metric, variant, period, area


def counts(con: duckdb.DuckDBPyConnection) -> dict[Key, float]:
    """Every published count without a breakdown (suppressed and not-applicable cells left out)."""
    rows = con.execute(
        "SELECT metric, variant, period, area_code, value FROM main.metric_values "
        "WHERE breakdown = 'none' AND measure = 'count'"
    ).fetchall()
    return {(m, v, p, a): float(x) for m, v, p, a, x in rows if x not in ("[x]", "[z]", "[c]")}


@dataclass(frozen=True)
class Compared:
    key: Key
    truth: float
    linked: float
    allowed: float

    @property
    def off(self) -> float:
        return abs(self.linked - self.truth) / self.truth

    @property
    def within(self) -> bool:
        return abs(self.linked - self.truth) <= self.allowed * self.truth


def compare(on_truth: dict[Key, float], on_links: dict[Key, float],
            known_gaps: dict[str, float] | None = None) -> list[Compared]:
    """London counts of SMALLEST or more on the truth, each with its allowance: HEADLINE_ALLOWED for the CHAIN
    cohorts, OTHER_ALLOWED (or a written-down known gap) for every other measure."""
    gaps = known_gaps or {}
    return [
        Compared(key, truth, on_links.get(key, 0.0),
                 HEADLINE_ALLOWED if key[0] in HEADLINE else gaps.get(key[0], OTHER_ALLOWED))
        for key, truth in sorted(on_truth.items())
        if key[3] == LONDON and truth >= SMALLEST
    ]


def truth_table(con: duckdb.DuckDBPyConnection, data: Path) -> None:
    """``truth``: each person record's unique id (as linkage writes it) and its true person."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE truth AS SELECT source || ':' || supplier_code || ':' || record_key AS uid, "
        f"person_id AS true_person FROM read_csv('{data / 'truth' / 'person_records.csv'}', all_varchar = true)"
    )


# The model's person of each record, and every scored pair both ways round (l, r, p).
MODEL_AND_SCORED = """model AS (SELECT source || ':' || supplier_code || ':' || record_key AS uid, person_id FROM main.person_link),
        scored AS (
            SELECT unique_id_l AS l, unique_id_r AS r, match_probability AS p FROM main.linkage_scored_pairs
            UNION ALL SELECT unique_id_r, unique_id_l, match_probability FROM main.linkage_scored_pairs),"""
# Each CHAIN record's first contact and each H-CLIC record's applications.
FIRST_SEEN_AND_APPLIED = f"""WITH first_seen AS (
            SELECT 'chain:' || supplier_code || ':' || chain_person_id AS uid, min(contact_date) AS f
            FROM main.chain_contacts GROUP BY ALL),
        applied AS (
            SELECT 'hclic:' || p.supplier_code || ':' || p.person_ref AS uid, c.application_date AS a
            FROM main.hclic_people p JOIN main.hclic_cases c USING (supplier_code, case_ref)),
        {MODEL_AND_SCORED}"""


def any_of(probability: str) -> str:
    """SQL aggregate: the probability that at least one of the group's independent events happens, 1 − Π(1 − p)
    (p kept under 1, so a certain link still counts 1 without taking the log of 0)."""
    return f"1 - exp(sum(ln(1 - least({probability}, 1 - 1e-9))))"


def approached_before_linked(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int, int]]:
    """(year first seen, people, people linked): true people first seen by outreach who had an H-CLIC
    application (as any household member) in the year before, and of them those whose first CHAIN record the
    model put in one person with such an application: the links ``lk_prev_approached`` stands on."""
    return [(int(y), int(n), int(k)) for y, n, k in con.execute(f"""
        {FIRST_SEEN_AND_APPLIED}
        per_record AS (
            SELECT s.uid, s.f, bool_or(m1.person_id = m2.person_id) AS linked
            FROM first_seen s JOIN truth t1 ON t1.uid = s.uid JOIN truth t2 ON t2.true_person = t1.true_person
            JOIN applied a ON a.uid = t2.uid AND a.a < s.f AND a.a >= s.f - INTERVAL 365 DAY
            JOIN model m1 ON m1.uid = s.uid JOIN model m2 ON m2.uid = a.uid
            GROUP BY ALL)
        SELECT year(f), count(*), count(*) FILTER (linked) FROM per_record GROUP BY 1 ORDER BY 1
    """).fetchall()]


def approached_with_probable_links(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int, int, float]]:
    """(year first seen, on the truth, on the links, on the links and the probable links): CHAIN records first
    seen by outreach with an H-CLIC application (any household member) in the year before. "The links and the
    probable links" counts a record 1 where the model linked it to such an application, else 1 − Π(1 − p) over
    its scored pairs with such applications (p the match probability, below the threshold): the count a
    publication could give beside the linked count if it carried the linkage's uncertainty (decision 0204)."""
    return [(int(y), int(t), int(k), float(e)) for y, t, k, e in con.execute(f"""
        {FIRST_SEEN_AND_APPLIED}
        on_truth AS (
            SELECT DISTINCT s.uid FROM first_seen s JOIN truth t1 ON t1.uid = s.uid
            JOIN truth t2 ON t2.true_person = t1.true_person
            JOIN applied a ON a.uid = t2.uid AND a.a < s.f AND a.a >= s.f - INTERVAL 365 DAY),
        in_window AS (  -- the applications in a record's year before: linked to it, or scored against it
            SELECT s.uid, a.uid AS app, TRUE AS linked, NULL::DOUBLE AS p
            FROM first_seen s JOIN model m1 ON m1.uid = s.uid JOIN model m2 ON m2.person_id = m1.person_id
            JOIN applied a ON a.uid = m2.uid AND a.a < s.f AND a.a >= s.f - INTERVAL 365 DAY
            UNION ALL
            SELECT s.uid, a.uid, FALSE, sc.p
            FROM first_seen s JOIN scored sc ON sc.l = s.uid
            JOIN applied a ON a.uid = sc.r AND a.a < s.f AND a.a >= s.f - INTERVAL 365 DAY),
        candidates AS (SELECT uid, app, bool_or(linked) AS linked, max(p) AS p FROM in_window GROUP BY ALL),
        per_record AS (
            SELECT uid, bool_or(linked) AS linked, {any_of("CASE WHEN linked THEN 1 ELSE p END")} AS probable
            FROM candidates GROUP BY uid)
        SELECT year(s.f), count(t.uid), count(*) FILTER (r.linked), sum(coalesce(r.probable, 0))
        FROM first_seen s LEFT JOIN on_truth t ON t.uid = s.uid LEFT JOIN per_record r ON r.uid = s.uid
        GROUP BY 1 ORDER BY 1
    """).fetchall()]


def approached_by_period(con: duckdb.DuckDBPyConnection, lookback_days: int) -> dict[str, tuple[int, float]]:
    """Period → (``lk_prev_approached`` recounted on the links, the same with probable links), London, financial
    years and quarters, from the insights' own cohort (``ins_new60``, left on the connection by ``compute``): a
    cohort person counts 1 if linked to a case applied for in the ``lookback_days`` before first seen, else
    1 − Π(1 − p) over the H-CLIC records of other persons scored against any of theirs with such an application
    (p the pair's match probability, the largest where several of theirs were scored; decision 0204)."""
    rows = con.execute(f"""
        WITH {MODEL_AND_SCORED}
        applied AS (
            SELECT 'hclic:' || p.supplier_code || ':' || p.person_ref AS uid, c.application_date AS a
            FROM main.hclic_people p JOIN ins_cases c USING (supplier_code, case_ref)),
        cohort AS (SELECT DISTINCT period_type, period, person_id, f FROM ins_new60),
        linked AS (
            SELECT DISTINCT c.period, c.person_id FROM cohort c JOIN ins_case_persons cp USING (person_id)
            JOIN ins_cases k USING (supplier_code, case_ref)
            WHERE k.application_date BETWEEN c.f - {lookback_days} AND c.f - 1),
        candidates AS (  -- other persons' H-CLIC records scored against a cohort person's, with their applications
            SELECT m.person_id, sc.r, max(sc.p) AS p
            FROM model m JOIN scored sc ON sc.l = m.uid JOIN model o ON o.uid = sc.r
            WHERE o.person_id <> m.person_id AND sc.r LIKE 'hclic:%'
              AND m.person_id IN (SELECT person_id FROM cohort)
            GROUP BY ALL),
        probable AS (
            SELECT c.period, c.person_id, {any_of("x.p")} AS p
            FROM cohort c JOIN candidates x USING (person_id)
            WHERE EXISTS (SELECT 1 FROM applied a WHERE a.uid = x.r
                          AND a.a BETWEEN c.f - {lookback_days} AND c.f - 1)
            GROUP BY ALL)
        SELECT c.period, count(l.person_id),
               sum(CASE WHEN l.person_id IS NOT NULL THEN 1 ELSE coalesce(p.p, 0) END)
        FROM cohort c LEFT JOIN linked l USING (period, person_id) LEFT JOIN probable p USING (period, person_id)
        GROUP BY ALL
    """).fetchall()
    return {str(period): (int(linked), float(probable)) for period, linked, probable in rows}


def months_in_common(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int, float, float]]:
    """(months in common, pairs, mean match probability, share truly one person) of the scored pairs of a
    CHAIN record without a date of birth and an H-CLIC record of the same full name (decision 0202)."""
    return [(int(k), int(n), float(p), float(t)) for k, n, p, t in con.execute("""
        WITH records AS (SELECT * FROM identity.linkage_standardised_records),
        oriented AS (
            SELECT match_probability AS p, unique_id_l AS c, unique_id_r AS h FROM main.linkage_scored_pairs
            UNION ALL SELECT match_probability, unique_id_r, unique_id_l FROM main.linkage_scored_pairs),
        pairs AS (
            SELECT o.p, o.c, o.h, least(len(list_intersect(c.place_months, h.place_months)), 6) AS months
            FROM oriented o JOIN records c ON c.unique_id = o.c JOIN records h ON h.unique_id = o.h
            WHERE c.source = 'chain' AND h.source = 'hclic' AND c.dob IS NULL AND c.full_name = h.full_name)
        SELECT months, count(*), avg(p), avg((t1.true_person = t2.true_person)::INT)
        FROM pairs JOIN truth t1 ON t1.uid = c JOIN truth t2 ON t2.uid = h
        GROUP BY 1 ORDER BY 1
    """).fetchall()]


def review_with_truth(con: duckdb.DuckDBPyConnection, sources: tuple[str, str]) -> tuple[int, int]:
    """A reviewer who is always right: every pair in the review queue between records of the two sources
    decided "same" or "not_same" by the truth, as a data manager's team would on the review pages.
    Returns (pairs decided, of them "same")."""
    rows = con.execute("""
        SELECT q.unique_id_l, q.unique_id_r, t1.true_person = t2.true_person
        FROM main.linkage_review_queue q
        JOIN truth t1 ON t1.uid = q.unique_id_l JOIN truth t2 ON t2.uid = q.unique_id_r
        WHERE q.status = 'open' AND split_part(q.unique_id_l, ':', 1) IN (?, ?)
          AND split_part(q.unique_id_r, ':', 1) IN (?, ?)
          AND split_part(q.unique_id_l, ':', 1) <> split_part(q.unique_id_r, ':', 1)
    """, [*sources, *sources]).fetchall()
    now = datetime.now(UTC)
    for left, right, same in rows:
        record_decision(con, left, right, "same" if same else "not_same", "benchmark (the truth)", now)
    return len(rows), sum(1 for *_, same in rows if same)


def measure(data: Path, work: Path, review: tuple[str, str] | None = None
            ) -> tuple[list[Compared], dict[str, float], dict[str, list[Any]]]:
    """The comparison, the seconds each step took, and what the linked warehouse shows against the truth."""
    con = duckdb.connect(str(work / "warehouse.duckdb"))
    started = time.perf_counter()
    load_generated(con, data)
    seconds = {"load": time.perf_counter() - started}
    started = time.perf_counter()
    refresh(con, Parameters())
    seconds["refresh on the truth"] = time.perf_counter() - started
    on_truth = counts(con)
    started = time.perf_counter()
    run = link_persons(con, mode="full", progress=lambda message: print("  link:", message, flush=True))
    seconds["link (full)"] = time.perf_counter() - started
    print(run, flush=True)
    started = time.perf_counter()
    refresh(con, Parameters())
    seconds["refresh on linked ids"] = time.perf_counter() - started
    on_links = counts(con)
    resolved = compute(con, Parameters())  # the insights' working tables: the cohort the measure counts
    evidence: dict[str, list[Any]] = {"by period": [
        (period, on_truth[key], linked, probable)
        for period, (linked, probable) in sorted(approached_by_period(con, resolved.prevention_lookback_days).items())
        if (key := ("lk_prev_approached", "", period, LONDON)) in on_truth and on_truth[key] >= SMALLEST]}
    persons = con.execute("SELECT count(DISTINCT person_id), count(*) FROM main.person_link").fetchall()[0]
    seconds["persons"], seconds["records"] = float(persons[0]), float(persons[1])
    truth_table(con, data)
    evidence["approached"] = approached_before_linked(con)
    evidence["months"] = months_in_common(con)
    evidence["probable"] = approached_with_probable_links(con)
    if review is not None:
        decided, same = review_with_truth(con, review)
        started = time.perf_counter()
        link_persons(con, mode="incremental")
        seconds["link with the decisions (incremental)"] = time.perf_counter() - started
        refresh(con, Parameters())
        evidence["reviewed"] = [decided, same, compare(on_truth, counts(con))]
        evidence["approached after review"] = approached_before_linked(con)
    con.close()
    return compare(on_truth, on_links), seconds, evidence


def report(args: argparse.Namespace, compared: list[Compared], seconds: dict[str, float],
           evidence: dict[str, list[Any]]) -> str:
    headline = [c for c in compared if c.key[0] in HEADLINE]
    others = [c for c in compared if c.key[0] not in HEADLINE]
    outside = sorted((c for c in compared if not c.within), key=lambda c: -c.off)
    worst: dict[str, Compared] = {}
    for c in compared:
        if c.key[0] not in worst or c.off > worst[c.key[0]].off:
            worst[c.key[0]] = c
    command = (f"`.venv/bin/python benchmarks/linked_measures.py --areas {args.areas} --scale {args.scale} "
               f"--seed {args.seed}" + (f" --review {' '.join(args.review)}" if args.review else "") + "`")
    lines = [
        SECTION, "",
        f"Command: {command}. Measured {time.strftime('%d %B %Y %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores "
        f"(shared; load average {os.getloadavg()[0]:.1f} at the end). {seconds['records']:,.0f} person records "
        f"linked into {seconds['persons']:,.0f} people; load {seconds['load']:.0f} s, link {seconds['link (full)']:.0f} s, "
        f"refresh {seconds['refresh on the truth']:.0f} s and {seconds['refresh on linked ids']:.0f} s; peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB. London counts of {SMALLEST} or more "
        "(metric, variant, period), each on the generator's true ids and on the model's clusters.",
        "",
        "| Counts | Compared | Allowed | Within | Largest difference |",
        "|---|---:|---:|---:|---:|",
        f"| CHAIN cohorts (total, flow, stock, returners) | {len(headline)} | {HEADLINE_ALLOWED:.0%} | "
        f"{sum(c.within for c in headline)} | {max((c.off for c in headline), default=0):.2%} |",
        f"| Every other measure | {len(others)} | {OTHER_ALLOWED:.0%} | {sum(c.within for c in others)} | "
        f"{max((c.off for c in others), default=0):.2%} |",
        "",
    ]
    if outside:
        lines += ["Outside their allowance:", "", "| Metric | Variant | Period | Truth | Linked | Difference |",
                  "|---|---|---|---:|---:|---:|"]
        lines += [f"| {c.key[0]} | {c.key[1]} | {c.key[2]} | {c.truth:,.0f} | {c.linked:,.0f} | "
                  f"{(c.linked - c.truth) / c.truth:+.1%} |" for c in outside]
        lines.append("")
    lines += ["Each measure's largest difference over its variants and periods:", "",
              "| Metric | Counts compared | Worst (variant, period) | Truth | Linked | Difference |",
              "|---|---:|---|---:|---:|---:|"]
    for metric, c in sorted(worst.items(), key=lambda kv: -kv[1].off):
        n = sum(1 for x in compared if x.key[0] == metric)
        lines.append(f"| {metric} | {n} | {c.key[1]}, {c.key[2]} | {c.truth:,.0f} | {c.linked:,.0f} | "
                     f"{(c.linked - c.truth) / c.truth:+.1%} |")
    if evidence.get("approached"):
        lines += ["", "The links under the prevention measures: people first seen by outreach who had applied to a council "
                  "in the year before (on the true ids), and of them those whose CHAIN record the model linked to such "
                  "an application:", "", "| First seen | People | Linked | Missed |", "|---|---:|---:|---:|"]
        lines += [f"| {y} | {n:,} | {k:,} | {1 - k / n:.1%} |" for y, n, k in evidence["approached"]]
    if evidence.get("probable"):
        lines += ["", "CHAIN records first seen with an application in the year before, counted on the true ids, on the "
                  "links, and on the links with the probabilities of the scored pairs below the threshold (1 − Π(1 − p) "
                  "for a record not linked to such an application; decision 0204):", "",
                  "| First seen | On the truth | On the links | Difference | With probable links | Difference |",
                  "|---|---:|---:|---:|---:|---:|"]
        lines += [f"| {y} | {t:,} | {k:,} | {(k - t) / t:+.1%} | {e:,.0f} | {(e - t) / t:+.1%} |"
                  for y, t, k, e in evidence["probable"] if t]
    if evidence.get("by period"):
        rows = evidence["by period"]
        linked_within = sum(abs(k - t) <= OTHER_ALLOWED * t for _, t, k, _ in rows)
        probable_within = sum(abs(e - t) <= OTHER_ALLOWED * t for _, t, _, e in rows)
        lines += ["", f"`lk_prev_approached`, London, as the insights count it (cohort persons by financial year and "
                  "quarter), on the true ids, on the links (the published count) and with probable links (decision "
                  f"0204): within {OTHER_ALLOWED:.0%} of the truth on the links {linked_within} of {len(rows)}, with "
                  f"probable links {probable_within} of {len(rows)}:", "",
                  "| Period | On the truth | On the links | Difference | With probable links | Difference |",
                  "|---|---:|---:|---:|---:|---:|"]
        lines += [f"| {period} | {t:,.0f} | {k:,} | {(k - t) / t:+.1%} | {e:,.0f} | {(e - t) / t:+.1%} |"
                  for period, t, k, e in rows]
    if evidence.get("months"):
        lines += ["", "Scored pairs of a CHAIN record without a date of birth and an H-CLIC record of the same full name, by "
                  "months in one area in common (6: six or more; decision 0202):", "",
                  "| Months in common | Pairs | Mean match probability | Truly one person |", "|---:|---:|---:|---:|"]
        lines += [f"| {k} | {n:,} | {p:.2f} | {t:.2f} |" for k, n, p, t in evidence["months"]]
    if evidence.get("reviewed"):
        decided, same, after = evidence["reviewed"]
        a, b = args.review
        after_others = [c for c in after if c.key[0] not in HEADLINE]
        lines += ["", f"**After clerical review.** Every pair in the review queue (match probability "
                  f"{REVIEW_LOWER}–{REVIEW_UPPER}) between a {a} and a {b} record, {decided:,} pairs, decided by the "
                  f"truth ({same:,} the same person), then `link --mode incremental` "
                  f"({seconds['link with the decisions (incremental)']:.0f} s): CHAIN cohorts within 2%: "
                  f"{sum(c.within for c in after if c.key[0] in HEADLINE)} of "
                  f"{sum(1 for c in after if c.key[0] in HEADLINE)}; every other measure within its allowance: "
                  f"{sum(c.within for c in after_others)} of {len(after_others)}, largest difference "
                  f"{max((c.off for c in after_others), default=0):.2%}.", ""]
        worst_after: dict[str, Compared] = {}
        for c in after:
            if c.key[0] not in worst_after or c.off > worst_after[c.key[0]].off:
                worst_after[c.key[0]] = c
        lines += ["| Metric | Worst before review | Worst after review |", "|---|---:|---:|"]
        for metric, c in sorted(worst_after.items(), key=lambda kv: -kv[1].off)[:8]:
            before = worst[metric]
            lines.append(f"| {metric} | {(before.linked - before.truth) / before.truth:+.1%} ({before.key[2]}) | "
                         f"{(c.linked - c.truth) / c.truth:+.1%} ({c.key[2]}) |")
        lines += ["", "| First seen | People | Linked after review | Missed |", "|---|---:|---:|---:|"]
        lines += [f"| {y} | {n:,} | {k:,} | {1 - k / n:.1%} |" for y, n, k in evidence["approached after review"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--areas", default="all")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--data", type=Path, help="an extract set generated before with the same areas, scale, seed")
    parser.add_argument("--review", nargs=2, metavar=("SOURCE", "SOURCE"),
                        help="then decide every queued pair between the two sources by the truth (a reviewer who is "
                             "always right), relink incrementally and compare again")
    parser.add_argument("--no-results-section", action="store_true", help="write only --out, not RESULTS.md")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="linked-measures-"))
    data = args.data
    if data is None:
        data = work / "extracts"
        print(f"generating {args.areas} at scale {args.scale}, seed {args.seed} into {data}", flush=True)
        generate(data, areas=args.areas, scale=args.scale, seed=args.seed, workers=2)
    compared, seconds, evidence = measure(data, work, tuple(args.review) if args.review else None)
    text = report(args, compared, seconds, evidence)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    if not args.no_results_section:
        write_results_section(SECTION, text)


if __name__ == "__main__":
    main()
