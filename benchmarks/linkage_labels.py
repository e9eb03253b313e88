"""Labels: is the stratified estimate honest, and does learning m from labels help?

    PYTHONPATH=src:. .venv/bin/python benchmarks/linkage_labels.py --dataset london_102 --dataset corruption_201

For each dataset: EM trains the model and scores every blocked pair (kept from 0.05), as a run does. The
truth gives each scored pair's real label, so the real pairwise precision and recall of the scored pairs
at the threshold are known. Then, for each of ``--seeds`` seeds, a sample of 20 pairs per band is drawn
and labelled from the truth through the same code the pages use (``draw_sample``, ``record_decision``,
``estimate_from_sample``). Reported: the mean error of the estimates, how often the 95% range holds the
truth, and its mean width. Baseline in the same run: the queue's estimate (decision 60), from the same
number of labels drawn from the review band only.

Training: for the first three seeds, ``learn_from_labels`` on the sample's labels, the pairs re-scored and
clustered, pairwise F1 of the persons against EM's model alone; time of learning against EM training
(ratio). Writes benchmarks/results/linkage_labels.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.linkage import _standardised  # noqa: E402
from benchmarks.linkage_data import prepare  # noqa: E402
from boroughhub.linkage.accuracy import measure  # noqa: E402
from boroughhub.linkage.backend_duckdb import DuckDBBackend  # noqa: E402
from boroughhub.linkage.cluster import cluster_records  # noqa: E402
from boroughhub.linkage.label_sample import draw_sample, ensure_sample_tables, load_sample  # noqa: E402
from boroughhub.linkage.label_training import learn_from_labels, training_labels  # noqa: E402
from boroughhub.linkage.model_settings import MATCH_THRESHOLD, REVIEW_LOWER, REVIEW_UPPER  # noqa: E402
from boroughhub.linkage.predict import predict_pairs  # noqa: E402
from boroughhub.linkage.review import record_decision  # noqa: E402
from boroughhub.linkage.sample_estimate import estimate_from_sample  # noqa: E402
from boroughhub.linkage.train import train  # noqa: E402

AT = datetime(2026, 12, 7, 9, 0)
HERE = Path(__file__).resolve().parent


def _pair_rows(pairs: pa.Table, truth: dict[str, str]) -> list[tuple[str, str, float, bool]]:
    return [(left, right, p, truth[left] == truth[right]) for left, right, p in zip(
        pairs.column("unique_id_l").to_pylist(), pairs.column("unique_id_r").to_pylist(),
        pairs.column("match_probability").to_pylist(), strict=True)]


def _precision_recall(rows: list[tuple[str, str, float, bool]]) -> tuple[float, float]:
    linked_same = sum(1 for *_, p, same in rows if p >= MATCH_THRESHOLD and same)
    linked = sum(1 for *_, p, _ in rows if p >= MATCH_THRESHOLD)
    same = sum(1 for *_, same in rows if same)
    return linked_same / linked, linked_same / same


def _queue_estimate(rows: list[tuple[str, str, float, bool]], labels: int, rng: random.Random) -> tuple[float, float]:
    """Decision 60's figures: labelled pairs from the review band only, unweighted."""
    band = [r for r in rows if REVIEW_LOWER <= r[2] < REVIEW_UPPER]
    chosen = rng.sample(band, min(labels, len(band)))
    linked = [same for *_, p, same in chosen if p >= MATCH_THRESHOLD]
    judged_same = [p >= MATCH_THRESHOLD for *_, p, same in chosen if same]
    return (sum(linked) / len(linked) if linked else float("nan"),
            sum(judged_same) / len(judged_same) if judged_same else float("nan"))


def _warehouse(pairs: pa.Table) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_sample_tables(con)
    con.execute("INSERT INTO linkage_run VALUES ('run-1', ?, ?, 'full', 'duckdb', 1, ?, ?, 0, 0, 0, 0, 0)",
                [AT, AT, MATCH_THRESHOLD, REVIEW_LOWER])
    con.register("bench_pairs", pairs)
    con.execute("INSERT INTO linkage_scored_pairs SELECT unique_id_l, unique_id_r, match_probability, match_weight, "
                "'run-1' FROM bench_pairs")
    con.unregister("bench_pairs")
    return con


def _f1(records: pa.Table, pairs: pa.Table, truth: dict[str, str]) -> float:
    ids = records.column("unique_id").to_pylist()
    return measure(cluster_records(ids, pairs, MATCH_THRESHOLD), truth).f1


def run(dataset: str, seeds: int) -> list[str]:
    folder = prepare(dataset)
    raw = pq.read_table(folder / "raw.parquet")
    columns = pq.read_table(folder / "truth.parquet").to_pydict()
    truth = dict(zip(columns["unique_id"], columns["person"], strict=True))
    records = _standardised(raw)
    backend = DuckDBBackend(memory_limit="4GB")
    try:
        started = time.perf_counter()
        model = train(backend, records)
        em_seconds = time.perf_counter() - started
        pairs = predict_pairs(backend, records, model)
        rows = _pair_rows(pairs, truth)
        true_p, true_r = _precision_recall(rows)
        em_f1 = _f1(records, pairs, truth)
        errors: dict[str, list[float]] = {"sp": [], "sr": [], "qp": [], "qr": []}
        covered = {"p": 0, "r": 0}
        widths: dict[str, list[float]] = {"p": [], "r": []}
        learnt: list[tuple[float, float]] = []  # (F1, seconds)
        disagreements: list[tuple[float, float]] = []
        labelled = 0
        for seed in range(1, seeds + 1):
            con = _warehouse(pairs)
            sample = load_sample(con, draw_sample(con, seed, "benchmark", AT))
            assert sample is not None
            for pair in sample.pairs:
                same = truth[pair.unique_id_l] == truth[pair.unique_id_r]
                record_decision(con, pair.unique_id_l, pair.unique_id_r, "same" if same else "not_same", "truth", AT)
            sample = load_sample(con)
            assert sample is not None
            labelled = len(sample.pairs)
            estimate = estimate_from_sample(sample.band_labels())
            for key, value, lower, upper, real in (
                ("p", estimate.precision.value, estimate.precision.lower, estimate.precision.upper, true_p),
                ("r", estimate.recall.value, estimate.recall.lower, estimate.recall.upper, true_r),
            ):
                assert value is not None and lower is not None and upper is not None
                errors["s" + key].append(abs(value - real))
                covered[key] += lower <= real <= upper
                widths[key].append(upper - lower)
            queue_p, queue_r = _queue_estimate(rows, labelled, random.Random(seed))
            errors["qp"].append(abs(queue_p - true_p))
            errors["qr"].append(abs(queue_r - true_r))
            if seed <= 3:
                started = time.perf_counter()
                relearnt = learn_from_labels(records, model, training_labels(con), MATCH_THRESHOLD)
                seconds = time.perf_counter() - started
                assert relearnt is not None
                used = relearnt.model["boroughhub_labels"]
                disagreements.append((used["disagreement_em"], used["disagreement"]))
                learnt.append((_f1(records, predict_pairs(backend, records, relearnt), truth), seconds))
            con.close()
    finally:
        backend.close()
    mean = statistics.fmean
    return [
        f"| {dataset} | {records.num_rows:,} | {pairs.num_rows:,} | {labelled} | {true_p:.3f} / {true_r:.3f} "
        f"| {mean(errors['sp']):.3f} / {mean(errors['sr']):.3f} | {covered['p']}/{seeds} / {covered['r']}/{seeds} "
        f"| {mean(widths['p']):.3f} / {mean(widths['r']):.3f} | {mean(errors['qp']):.3f} / {mean(errors['qr']):.3f} |",
        f"| {dataset} | {em_f1:.4f} | {' '.join(f'{f:.4f}' for f, _ in learnt)} "
        f"| {' '.join(f'{a:.1%}→{b:.1%}' for a, b in disagreements)} | {em_seconds:.1f} "
        f"| {mean(s for _, s in learnt):.1f} | {mean(s for _, s in learnt) / em_seconds:.2f} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", action="append")
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    datasets = args.dataset or ["london_102", "corruption_201"]
    estimates, training = [], []
    for dataset in datasets:
        estimate_row, training_row = run(dataset, args.seeds)
        estimates.append(estimate_row)
        training.append(training_row)
        print(estimate_row, training_row, flush=True)
    command = "PYTHONPATH=src:. .venv/bin/python benchmarks/linkage_labels.py " + " ".join(f"--dataset {d}" for d in datasets)
    text = f"""# Labels: the stratified estimate and training from labels

`{command}`, {args.seeds} seeds. Truth: pairwise precision / recall of the scored pairs (match probability
0.05 or more) at the threshold 0.5. Stratified: 20 pairs per band drawn and labelled from the truth through
the pages' code; error is the mean absolute difference from the truth; coverage, how many seeds' 95% ranges
hold the truth. Baseline in the same run: decision 60's estimate from as many labels drawn from the review
band (0.2 to 0.8) only.

| Dataset | Records | Scored pairs | Labels | Truth (P / R) | Stratified error (P / R) | 95% range holds truth (P / R) | Range width (P / R) | Review-band-only error (P / R) |
|---|---:|---:|---:|---|---|---|---|---|
{chr(10).join(estimates)}

Training from the labels (seeds 1 to 3): pairwise F1 of the persons with EM's m and with m learnt from each
seed's labels; labelled pairs (band-weighted) the model decides the other way, EM's m → learnt m; time of
learning from the labels against EM training in the same run (ratio).

| Dataset | F1, EM | F1, learnt (seeds 1, 2, 3) | Disagreement with labels | EM training (s) | Learning from labels (s) | Ratio |
|---|---:|---|---|---:|---:|---:|
{chr(10).join(training)}
"""
    (HERE / "results" / "linkage_labels.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
