"""Interview evidence (spec §3.13, §7): codebook, coded excerpts, theme counts and Cohen's kappa."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from statsmodels.stats.inter_rater import cohens_kappa

from boroughhub.evaluation.csvfiles import read_csv
from boroughhub.evaluation.spec import Interviews, SpecIssue, SpecReport

COLUMNS = ["excerpt_id", "interview_id", "coder", "code", "activity", "sentiment", "text"]
SENTIMENTS = ("positive", "negative", "mixed", "neutral")


@dataclass(frozen=True)
class InterviewInput:
    settings: Interviews
    rows: list[dict[str, str]]


@dataclass(frozen=True)
class Agreement:
    scope: str  # "overall" or a code id
    n_excerpts: int
    p_o: float
    p_e: float
    kappa: float | None
    label: str


@dataclass
class InterviewResults:
    n_interviews: int
    codes: list[tuple[str, str]]  # (id, label)
    activities: list[str]  # columns of the theme x activity matrix, "programme" last
    matrix: dict[str, dict[str, int]]  # code -> activity -> distinct excerpts
    coverage: dict[str, int]  # code -> distinct interviews
    sentiment_by_code: dict[str, dict[str, int]]
    sentiment_by_activity: dict[str, dict[str, int]]
    evidence: dict[str, list[dict[str, str]]]  # activity -> excerpts (code, excerpt id order)
    agreement: list[Agreement]
    warnings: list[SpecIssue] = field(default_factory=list)

    def top_themes(self, activity: str, k: int = 3) -> list[str]:
        counts = [(self.matrix[c][activity], c) for c, _ in self.codes if self.matrix[c].get(activity)]
        return [c for _, c in sorted(counts, key=lambda t: (-t[0], t[1]))[:k]]

    def excerpts(self, activity: str) -> int:
        return len({e["excerpt_id"] for e in self.evidence.get(activity, [])})


def read_interviews(settings: Interviews, base: Path, report: SpecReport, activities: set[str],
                    spec_file: str) -> InterviewInput | None:
    codes = {c.id for c in settings.codebook}
    interviews = {i.id for i in settings.interviews}
    for i, c in enumerate(settings.codebook):
        if c.parent is not None and c.parent not in codes:
            report.issues.append(SpecIssue("error", "unknown_reference", spec_file, f"interviews.codebook[{i}].parent",
                                       None, None, c.parent, f"code {c.parent!r} is not in the codebook"))
    rows = read_csv(base, settings.excerpts_file, COLUMNS, report, "interviews.excerpts_file",
                    missing_code="interview_column_missing")
    if rows is None:
        return None
    name = settings.excerpts_file
    seen: set[tuple[str, str, str]] = set()

    def err(code: str, row: int, column: str, message: str, value: str) -> None:
        report.issues.append(SpecIssue("error", code, name, None, row, column, value, message))

    for r, row in enumerate(rows, start=1):
        if row["code"] not in codes:
            err("interview_unknown_code", r, "code", f"code {row['code']!r} is not in the codebook", row["code"])
        if row["activity"] not in activities and row["activity"] != "programme":
            err("interview_unknown_activity", r, "activity", f"activity {row['activity']!r} is not defined",
                row["activity"])
        if row["interview_id"] not in interviews:
            err("interview_unknown_interview", r, "interview_id",
                f"interview {row['interview_id']!r} is not listed in the spec", row["interview_id"])
        if row["sentiment"] not in SENTIMENTS:
            err("schema_error", r, "sentiment", f"sentiment must be one of {', '.join(SENTIMENTS)}", row["sentiment"])
        key = (row["excerpt_id"], row["coder"], row["code"])
        if key in seen:
            err("interview_duplicate_row", r, "excerpt_id", f"excerpt {key[0]} has code {key[2]} twice for coder "
                f"{key[1]}", key[0])
        seen.add(key)
    return InterviewInput(settings, rows)


def landis_koch(kappa: float | None) -> str:
    if kappa is None:
        return "not defined"
    k = round(kappa, 2)
    if k < 0:
        return "poor"
    for upper, label in ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial")):
        if k <= upper:
            return label
    return "almost perfect"


def kappa_from_table(table: np.ndarray) -> Agreement:
    n = float(table.sum())
    p_o = float(np.trace(table)) / n
    p_e = float((table.sum(axis=1) * table.sum(axis=0)).sum()) / n**2
    kappa = None if abs(1 - p_e) < 1e-15 else float(cohens_kappa(table, return_results=False))
    return Agreement("", int(n), p_o, p_e, kappa, landis_koch(kappa))


def agreement(inp: InterviewInput, warnings: list[SpecIssue]) -> list[Agreement]:
    st = inp.settings
    if st.second_coder is None:
        return []
    primary: dict[str, set[str]] = defaultdict(set)
    second: dict[str, set[str]] = defaultdict(set)
    for row in inp.rows:
        if row["coder"] == st.primary_coder:
            primary[row["excerpt_id"]].add(row["code"])
        elif row["coder"] == st.second_coder:
            second[row["excerpt_id"]].add(row["code"])
    both = sorted(set(primary) & set(second))
    out: list[Agreement] = []
    if len(both) < 10:
        warnings.append(SpecIssue("warning", "kappa_few_excerpts", st.excerpts_file, None, None, None, len(both),
                              f"only {len(both)} excerpts are double-coded (fewer than 10)"))
    if not both:
        return out
    codes = sorted({c for e in both for c in primary[e] | second[e]})
    if all(len(primary[e]) == 1 and len(second[e]) == 1 for e in both):
        index = {c: i for i, c in enumerate(codes)}
        table = np.zeros((len(codes), len(codes)))
        for e in both:
            table[index[next(iter(primary[e]))], index[next(iter(second[e]))]] += 1
        overall = kappa_from_table(table)
        out.append(Agreement("overall", overall.n_excerpts, overall.p_o, overall.p_e, overall.kappa, overall.label))
    else:
        warnings.append(SpecIssue("warning", "kappa_multicode", st.excerpts_file, None, None, None, None,
                              "some double-coded excerpts carry several codes: only per-code kappas are reported"))
    for c in codes:
        table = np.zeros((2, 2))
        for e in both:
            table[0 if c in primary[e] else 1, 0 if c in second[e] else 1] += 1
        a = kappa_from_table(table)
        out.append(Agreement(c, a.n_excerpts, a.p_o, a.p_e, a.kappa, a.label))
    return out


def analyse_interviews(inp: InterviewInput, activity_order: list[str]) -> InterviewResults:
    st = inp.settings
    rows = [r for r in inp.rows if r["coder"] == st.primary_coder]
    meta = {i.id: i for i in st.interviews}
    columns = [*activity_order, "programme"]
    matrix: dict[str, dict[str, int]] = {}
    coverage: dict[str, int] = {}
    by_code: dict[str, dict[str, int]] = {}
    for c in st.codebook:
        coded = [r for r in rows if r["code"] == c.id]
        matrix[c.id] = {a: len({r["excerpt_id"] for r in coded if r["activity"] == a}) for a in columns}
        coverage[c.id] = len({r["interview_id"] for r in coded})
        sent = Counter(r["sentiment"] for r in coded)
        by_code[c.id] = {s: sent[s] for s in SENTIMENTS}
    by_activity = {a: {s: sum(1 for r in rows if r["activity"] == a and r["sentiment"] == s) for s in SENTIMENTS}
                   for a in columns}
    evidence: dict[str, list[dict[str, str]]] = {}
    for a in columns:
        chosen = sorted((r for r in rows if r["activity"] == a), key=lambda r: (r["code"], r["excerpt_id"]))
        evidence[a] = [{**r, "organisation_type": meta[r["interview_id"]].organisation_type,
                        "role": meta[r["interview_id"]].role} for r in chosen]
    warnings: list[SpecIssue] = []
    agree = agreement(inp, warnings)
    return InterviewResults(len(st.interviews), [(c.id, c.label) for c in st.codebook], columns, matrix, coverage,
                            by_code, by_activity, evidence, agree, warnings)
