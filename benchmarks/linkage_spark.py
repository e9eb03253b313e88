"""Linkage on Spark (local mode) against DuckDB in the same run, at growing sizes of London.

    PYTHONPATH=src:. .venv/bin/python benchmarks/linkage_spark.py
    PYTHONPATH=src:. .venv/bin/python benchmarks/linkage_spark.py \
        --datasets london_quarter_1 london_scaled_0.5_1 london_all_1 --spark-master 'local[2]'

One model is trained once, on DuckDB, on the first dataset; every dataset is then scored with it by
DuckDB (the baseline), by Spark as boroughhub runs it (DuckDB's similarity functions in Spark's Python
workers, docs/decisions/0205-spark-similarity-from-duckdb.md) and, to measure what those cost, by Spark with
Splink's own Java functions (``spark_jar``), each in a child process of its own, so wall time, CPU time (the
child and every process it waited for: Spark's JVM and Python workers) and peak memory are that
engine's alone. Standardising and clustering run on the driver whatever the engine: they are timed
apart, once per dataset. Parity: the pairs each engine keeps, their largest difference in match
probability, and the records whose cluster differs. Candidate pairs are counted exactly (Splink's
blocking analysis on DuckDB). Datasets: ``benchmarks/linkage_data.py`` (``london_quarter_SEED`` is all
London at scale 0.25, ``london_scaled_SCALE_SEED`` any scale, ``london_all_SEED`` scale 1).
Writes benchmarks/results/linkage_spark.md and its section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

if __package__ in (None, ""):  # run as a script: make the `benchmarks` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.linkage_data import CACHE, prepare  # noqa: E402
from benchmarks.results_section import write_results_section  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "linkage_spark.md"
SECTION = "## Linkage on Spark"
# Runs of older code kept under the table a run writes (the section is rewritten from its start to this line).
EARLIER = "### Earlier runs"
SPARK_ENGINES = ("spark", "spark_jar")
ENGINE_LABELS = {"duckdb": "duckdb", "spark": "spark (DuckDB's similarity)", "spark_jar": "spark (Splink's jar)"}
DEFAULT_DATASETS = ("london_quarter_1", "london_scaled_0.5_1", "london_all_1")
WORK = CACHE / "spark-bench"
# Pairs whose match probabilities differ by more than this are counted as scored differently (rounding is ~1e-16).
PROBABILITY_TOLERANCE = 1e-9


def _standardised_path(dataset: str) -> Path:
    return prepare(dataset) / "standardised.parquet"


# ---------- children: each prints one JSON line


def child_standardise(dataset: str) -> dict[str, Any]:
    import duckdb

    from boroughhub.linkage.standardise import standardise

    raw = pq.read_table(prepare(dataset) / "raw.parquet")
    started = time.perf_counter()
    con = duckdb.connect()
    con.register("raw_arrow", raw)
    con.execute("CREATE TABLE raw AS SELECT * FROM raw_arrow")
    standardise(con, "raw", "std")
    records = con.sql("SELECT * FROM std").to_arrow_table()
    seconds = time.perf_counter() - started
    pq.write_table(records, _standardised_path(dataset))
    return {"records": records.num_rows, "seconds": seconds}


def child_train(dataset: str) -> dict[str, Any]:
    from boroughhub.linkage.backend_duckdb import DuckDBBackend
    from boroughhub.linkage.train import train

    backend = DuckDBBackend()
    started = time.perf_counter()
    model = train(backend, pq.read_table(_standardised_path(dataset)))
    seconds = time.perf_counter() - started
    backend.close()
    (WORK / "model.json").write_text(json.dumps({"fields": model.fields, "model": model.model}), encoding="utf-8")
    return {"seconds": seconds}


def child_count(dataset: str) -> dict[str, Any]:
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from boroughhub.linkage.model_settings import prediction_blocking_rules

    fields = set(json.loads((WORK / "model.json").read_text(encoding="utf-8"))["fields"])
    found = count_comparisons_from_blocking_rules(
        DuckDBAPI().register(pq.read_table(_standardised_path(dataset))), blocking_rules=prediction_blocking_rules(fields),
        link_type="dedupe_only", record_sample_proportion=1.0)
    return {"rules": [(r["blocking_rule"], r["marginal_comparison_count"]) for r in found]}


def _stop_spark_and_wait(backend: Any) -> None:
    """Stop the session and wait for its JVM, so that its CPU and memory are counted in this process's children."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    backend.close()
    if gateway is not None and getattr(gateway, "proc", None) is not None:
        gateway.shutdown()
        gateway.proc.stdin.close()  # the JVM exits when its stdin closes
        gateway.proc.wait()


def _descendants_cpu_seconds() -> float:
    """CPU seconds of this process's live descendants and of the children each has reaped (Linux /proc).

    Spark's JVM stops its Python workers' daemon on shutdown, but the daemon does not wait for the workers it
    forked, so their CPU would reach no ``wait4``: counted here, just before the session stops, instead.
    """
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        pid = int(stat.parent.name)
        # After the command's closing parenthesis: state, ppid, ..., utime, stime, cutime, cstime (fields 14-17).
        parents[pid] = int(fields[1])
        cpu[pid] = sum(int(v) for v in fields[11:15]) / ticks
    found, frontier = 0.0, [os.getpid()]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent:
                found += cpu[pid]
                frontier.append(pid)
    return found


def child_score(engine: str, dataset: str, master: str, driver_memory: str) -> dict[str, Any]:
    import resource

    from boroughhub.linkage.cluster import cluster_records, household_pairs
    from boroughhub.linkage.model_settings import MATCH_THRESHOLD
    from boroughhub.linkage.predict import predict_pairs
    from boroughhub.linkage.train import TrainedModel

    stored = json.loads((WORK / "model.json").read_text(encoding="utf-8"))
    model = TrainedModel(fields=tuple(stored["fields"]), model=stored["model"])
    records = pq.read_table(_standardised_path(dataset))
    started = time.perf_counter()
    if engine in SPARK_ENGINES:
        from boroughhub.linkage.backend_spark import SparkBackend
        from boroughhub.linkage.spark_settings import SparkSettings

        backend: Any = SparkBackend.from_settings(SparkSettings(master=master, driver_memory=driver_memory),
                                                  similarity="splink_jar" if engine == "spark_jar" else "duckdb")
    else:
        from boroughhub.linkage.backend_duckdb import DuckDBBackend

        backend = DuckDBBackend()
    session_seconds = time.perf_counter() - started
    pairs = predict_pairs(backend, records, model)
    predict_seconds = time.perf_counter() - started - session_seconds
    descendants_cpu = 0.0
    if engine in SPARK_ENGINES:
        descendants_cpu = _descendants_cpu_seconds()
        _stop_spark_and_wait(backend)
    else:
        backend.close()
    ids = records.column("unique_id").to_pylist()
    clustered = time.perf_counter()
    clusters = cluster_records(ids, pairs, MATCH_THRESHOLD,
                               not_same=household_pairs(ids, records.column("household").to_pylist()))
    cluster_seconds = time.perf_counter() - clustered
    pq.write_table(pairs, WORK / f"pairs-{engine}-{dataset}.parquet")
    pq.write_table(pa.table({"unique_id": list(clusters), "cluster": list(clusters.values())}),
                   WORK / f"clusters-{engine}-{dataset}.parquet")
    own = resource.getrusage(resource.RUSAGE_SELF)
    waited = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"records": records.num_rows, "pairs_kept": pairs.num_rows, "session_seconds": session_seconds,
            "measured_cpu_seconds": own.ru_utime + own.ru_stime + descendants_cpu,
            "predict_seconds": predict_seconds, "cluster_seconds": cluster_seconds,
            "python_peak_mb": own.ru_maxrss / 1024, "jvm_peak_mb": waited.ru_maxrss / 1024}


def run_child(*args: str) -> dict[str, Any]:
    """One child: its JSON line, plus wall time, CPU time (its own and its waited-for children's) and max RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        return {"error": f"exit status {status}", "wall_seconds": wall}
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    # Both are lower bounds: wait4 misses processes nobody waited for (Spark's Python workers), the child's own
    # count misses what its descendants spent after it was taken (the JVM's shutdown).
    result.update(wall_seconds=wall, cpu_seconds=max(usage.ru_utime + usage.ru_stime,
                                                     result.get("measured_cpu_seconds", 0.0)))
    return result


# ---------- parity between the engines


def parity(dataset: str, engine: str = "spark") -> dict[str, Any]:
    """How far ``engine``'s pairs and clusters are from DuckDB's on ``dataset``."""
    duck = pq.read_table(WORK / f"pairs-duckdb-{dataset}.parquet")
    spark = pq.read_table(WORK / f"pairs-{engine}-{dataset}.parquet")
    keys = ["unique_id_l", "unique_id_r"]
    joined = duck.join(spark, keys=keys, join_type="full outer", left_suffix="_duckdb", right_suffix="_spark")
    only_one = pc.or_(pc.is_null(joined.column("match_probability_duckdb")),
                      pc.is_null(joined.column("match_probability_spark")))
    both = joined.filter(pc.invert(only_one))
    difference = pc.abs(pc.subtract(both.column("match_probability_duckdb"), both.column("match_probability_spark")))
    clusters = {}
    for name, which in (("duckdb", "duckdb"), ("spark", engine)):
        table = pq.read_table(WORK / f"clusters-{which}-{dataset}.parquet").to_pydict()
        clusters[name] = dict(zip(table["unique_id"], table["cluster"], strict=True))
    scored_apart = pc.greater(difference, PROBABILITY_TOLERANCE)
    return {"pairs_in_one_only": int(pc.sum(only_one).as_py() or 0),
            "pairs_scored_differently": int(pc.sum(scored_apart).as_py() or 0),
            "max_probability_difference": float(pc.max(difference).as_py() or 0.0),
            "records_clustered_differently": _records_clustered_differently(clusters["duckdb"], clusters["spark"])}


def _records_clustered_differently(a: dict[str, str], b: dict[str, str]) -> int:
    """Records whose cluster-mates differ between two partitions (cluster ids themselves may differ)."""
    from collections import defaultdict

    members_a: dict[str, set[str]] = defaultdict(set)
    members_b: dict[str, set[str]] = defaultdict(set)
    for uid, cluster in a.items():
        members_a[cluster].add(uid)
    for uid, cluster in b.items():
        members_b[cluster].add(uid)
    return sum(1 for uid in a if members_a[a[uid]] != members_b[b.get(uid, "")])


# ---------- the table


def _row(dataset: str, engine: str, r: dict[str, Any], base: dict[str, Any] | None) -> str:
    label = ENGINE_LABELS[engine]
    if "error" in r:
        return f"| {dataset} | {label} | failed ({r['error']}) after {r['wall_seconds']:.0f} s | | | | | | |"
    ratio = f"{r['wall_seconds'] / base['wall_seconds']:.1f}× / {r['cpu_seconds'] / base['cpu_seconds']:.1f}×" \
        if base and "error" not in base else ""
    jvm = f"{r['jvm_peak_mb']:,.0f}" if engine in SPARK_ENGINES else "–"
    return (f"| {dataset} | {label} | {r['pairs_kept']:,} | {r['session_seconds']:.1f} | {r['predict_seconds']:.1f} | "
            f"{r['wall_seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['python_peak_mb']:,.0f} / {jvm} | {ratio} |")


def write_table(args: argparse.Namespace, prepared: dict[str, dict[str, Any]], trained: dict[str, Any],
                scored: dict[tuple[str, str], dict[str, Any]], parities: dict[tuple[str, str], dict[str, Any]]) -> str:
    load = os.getloadavg()
    lines = [
        SECTION, "",
        f"Command: `PYTHONPATH=src:. .venv/bin/python benchmarks/linkage_spark.py --datasets {' '.join(args.datasets)} "
        f"--spark-master '{args.spark_master}' --driver-memory {args.driver_memory}"
        + ("" if list(args.engines) == ["duckdb", *SPARK_ENGINES] else f" --engines {' '.join(args.engines)}")
        + (" --reuse-model" if trained.get("reused") else "") + "`. Measured "
        f"{time.strftime('%d %B %Y %H:%M UTC', time.gmtime())} on {platform.machine()}, {os.cpu_count()} cores (shared; "
        f"load average {load[0]:.1f} at the end), Python {platform.python_version()}, Spark local mode. "
        + ("The model the previous run trained on DuckDB scores every dataset. " if trained.get("reused") else
           f"One model, trained once on DuckDB on {args.datasets[0]} ({trained.get('seconds', 0):.0f} s), scores every "
           "dataset on each engine. ")
        + "Wall and CPU seconds are the scoring child's, from start (Spark's session included) to pairs "
        "and clusters; CPU counts Spark's JVM and Python workers. Peak memory: the driver's Python process / "
        "Spark's JVM (max RSS of each). Ratio: Spark over DuckDB on the same dataset, wall / CPU.", "",
        "| Dataset | Records | Candidate pairs | Standardise (s, driver) | Cluster (s, driver) |",
        "|---|---:|---:|---:|---:|",
    ]
    for dataset in args.datasets:
        p = prepared[dataset]
        cluster = scored.get(("duckdb", dataset), {}).get("cluster_seconds")
        pairs = f"{p['candidate_pairs']:,}" if "candidate_pairs" in p else "not counted"
        lines.append(f"| {dataset} | {p['records']:,} | {pairs} | {p['seconds']:.1f} | "
                     f"{'' if cluster is None else f'{cluster:.1f}'} |")
    lines += ["", "| Dataset | Engine | Pairs kept (p ≥ 0.05) | Session start (s) | Scoring (s) | Wall (s) | CPU (s) | "
              "Peak MB (Python / JVM) | Spark ÷ DuckDB (wall / CPU) |", "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for dataset in args.datasets:
        for engine in args.engines:
            if (engine, dataset) in scored:
                lines.append(_row(dataset, engine, scored[(engine, dataset)],
                                  scored.get(("duckdb", dataset)) if engine in SPARK_ENGINES else None))
    costs = [_similarity_cost(dataset, scored) for dataset in args.datasets]
    if any(costs):
        lines += ["", "| Dataset | Spark with DuckDB's similarity functions less Spark with Splink's jar (wall / CPU seconds) |",
                  "|---|---|", *(cost for cost in costs if cost)]
    if parities:
        lines += ["", "| Dataset | Spark with | Pairs kept by one engine only | Pairs kept by both, scored differently | "
                  "Largest difference in match probability | Records clustered differently |",
                  "|---|---|---:|---:|---:|---:|"]
        for (dataset, engine), p in parities.items():
            lines.append(f"| {dataset} | {ENGINE_LABELS[engine].removeprefix('spark ')} | {p['pairs_in_one_only']:,} | "
                         f"{p.get('pairs_scored_differently', 0):,} | {p['max_probability_difference']:.2e} | "
                         f"{p['records_clustered_differently']:,} |")
    lines += ["", *args.notes] if args.notes else []
    return "\n".join(lines) + "\n"


def _similarity_cost(dataset: str, scored: dict[tuple[str, str], dict[str, Any]]) -> str:
    """A table row: what Spark with DuckDB's functions took over Spark with the jar's, or "" without both."""
    ours, jar = scored.get(("spark", dataset)), scored.get(("spark_jar", dataset))
    if not ours or not jar or "error" in ours or "error" in jar:
        return ""
    wall, cpu = ours["wall_seconds"] - jar["wall_seconds"], ours["cpu_seconds"] - jar["cpu_seconds"]
    return (f"| {dataset} | {wall:+.1f} / {cpu:+.1f} ({wall / jar['wall_seconds']:+.0%} / "
            f"{cpu / jar['cpu_seconds']:+.0%}) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--datasets", nargs="+", default=list(DEFAULT_DATASETS))
    parser.add_argument("--engines", nargs="+", default=["duckdb", *SPARK_ENGINES], choices=("duckdb", *SPARK_ENGINES),
                        help="spark_jar: Spark with Splink's own Java similarity functions, to measure what DuckDB's cost")
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--driver-memory", default="3g")
    parser.add_argument("--reuse-model", action="store_true",
                        help="score with the model the previous run trained (to add larger datasets to its table)")
    parser.add_argument("--no-count", action="store_true",
                        help="skip counting candidate pairs (Splink's blocking analysis: at 2x London, minutes)")
    parser.add_argument("--no-results-section", action="store_true", help="write only --out, not RESULTS.md")
    parser.add_argument("--note", dest="notes", action="append", default=[], help="a line written under the table")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        print(json.dumps(globals()[f"child_{kind}"](*rest)))
        return
    WORK.mkdir(parents=True, exist_ok=True)
    prepared: dict[str, dict[str, Any]] = {}
    for dataset in args.datasets:
        prepare(dataset)
        prepared[dataset] = run_child("standardise", dataset)
        print(dataset, prepared[dataset], flush=True)
    trained = {"reused": True} if args.reuse_model and (WORK / "model.json").exists() \
        else run_child("train", args.datasets[0])
    print("trained", trained, flush=True)
    scored: dict[tuple[str, str], dict[str, Any]] = {}
    parities: dict[tuple[str, str], dict[str, Any]] = {}
    for dataset in args.datasets:
        if not args.no_count:
            prepared[dataset]["candidate_pairs"] = sum(n for _, n in run_child("count", dataset).get("rules", []))
        for engine in args.engines:
            scored[(engine, dataset)] = run_child("score", engine, dataset, args.spark_master, args.driver_memory)
            print(engine, dataset, scored[(engine, dataset)], flush=True)
        for engine in SPARK_ENGINES:
            if all((e, dataset) in scored and "error" not in scored[(e, dataset)] for e in ("duckdb", engine)):
                parities[(dataset, engine)] = parity(dataset, engine)
                print("parity", dataset, engine, parities[(dataset, engine)], flush=True)
        text = write_table(args, prepared, trained, scored, parities)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")  # after every dataset: a long run keeps what it measured
    if not args.no_results_section:
        write_results_section(SECTION, text, keep_from=EARLIER)
    print(f"wrote {args.out}" + ("" if args.no_results_section else " and its section of benchmarks/RESULTS.md"))


if __name__ == "__main__":
    main()
