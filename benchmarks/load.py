"""Can 50 signed-in people browse the insights pages at once? The load checks of issues 9 and 7.

Issue 9: 50 concurrent signed-in users browsing insights pages for two minutes, no errors, p95 under
500 ms. Issue 7 (older): 20 users, p95 under 300 ms.

What it does, as a person would:

1. sets up the demo hub in a data directory (``boroughhub demo --no-serve``: the pilot boroughs'
   synthetic data at scale 0.25, agreements, submissions, linkage, insights), or reuses ``--data``;
2. serves it the way ``boroughhub demo`` does (gunicorn, 2 workers × 4 threads, SQLite), on a free
   loopback port, with ``BOROUGHHUB_TASKS=immediate``;
3. drives signed-in users with Locust (``FastHttpUser``, as a library, in a child process): each user
   signs in once (sign-in form, CSRF token, role), then browses insights pages, thinking 1–3 s
   (uniform) between pages: London, their own borough, the topic pages, breakdowns, every measure,
   pathways, and now and then a CSV or XLSX download of a figure;
4. baseline in the same run: one user browsing the same mix with no think time (no concurrency),
   so the ratio p95 under load ÷ p95 alone says what the load costs on this (shared) machine.

Only a 200 counts as success (redirects are not followed on pages, so a lost session shows as an
error); the accounts browse only what their agreement permits, so any 403 is an error too.

The runs (50 users, 20, then 50 again) follow each other on one server started just after
``insights refresh`` has run on the data, as the refresh job leaves a snapshot (the charts people open
first pre-rendered, the rest rendered on first view): the first run pays for those first views (the
worst case), the others show the steady state.

Run:  .venv/bin/python benchmarks/load.py [--data DIR] [--users 50 20 50] [--seconds 120]
Writes benchmarks/results/load.md. Takes about 10 minutes (2 of them setting up the demo).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "load.md"
PASSWORD = "load-check-2026"
LONDON = "E12000007"
# Issue 7 (20 users, p95 < 300 ms) and issue 9 (50 users, p95 < 500 ms).
TARGET_P95_MS = {20: 300.0, 50: 500.0}
THINK_SECONDS = (1.0, 3.0)
BASELINE_SECONDS = 30
SPAWN_RATE = 5  # users signed in per second (Argon2 makes each sign-in ~0.1 s of CPU)
REFRESHED_BY = "analyst@gla.example"  # the demo's insights job owner
PILOT = {"camden": "E09000007", "westminster": "E09000033", "lambeth": "E09000022", "hillingdon": "E09000017"}
TOPICS = ("overview", "cohorts", "prevention", "brief", "non-recurrent", "framework")
BREAKDOWNS = ("age_band", "gender", "nationality_group", "support_need")
PERIOD_TYPES = ("financial_year", "financial_quarter", "month")
# (page, figure) pairs offered for download.
DOWNLOADS = (("overview", "annual-cohorts"), ("cohorts", "total-seen"), ("brief", "brief"),
             ("prevention", "prevention"), ("framework", "framework-monthly"))


@dataclass(frozen=True)
class Account:
    """A demo account and what it browses: only what its agreement permits (so no 403 is expected)."""

    email: str
    areas: tuple[str, ...]
    downloads: bool = True  # the pilot agreement grants analysts ``export``
    unrounded: bool = False  # the hub's data manager may only view unrounded figures (dsa-hub-qa)


ACCOUNTS = (
    *(Account(f"analyst@{org}.example", (LONDON, code)) for org, code in PILOT.items()),
    Account("analyst@gla.example", (LONDON, *PILOT.values())),
    Account("analyst@provider-a.example", (LONDON,)),
    Account("analyst@provider-b.example", (LONDON,)),
    Account("data_manager@hub.example", (LONDON, *PILOT.values()), downloads=False, unrounded=True),
)


def next_page(rng: random.Random, account: Account) -> tuple[str, str]:
    """(name, path) of the next page a user opens, by the weights of a person browsing the insights."""
    area = rng.choice(account.areas)
    extra = "&figures=unrounded" if account.unrounded else ""
    kinds = ["london"] * 3 + ["area"] * 3 + ["topic"] * 4 + ["breakdown"] * 2 + ["all measures", "pathways"]
    if account.downloads:
        kinds.append("download")
    kind = rng.choice(kinds)
    if kind == "london":
        return kind, "/insights/" + extra.replace("&", "?", 1)
    if kind == "area":
        own = [a for a in account.areas if a != LONDON] or [LONDON]
        return kind, f"/insights/area/{rng.choice(own)}" + extra.replace("&", "?", 1)
    if kind == "topic":
        return kind, f"/insights/{rng.choice(TOPICS)}?area={area}{extra}"
    if kind == "breakdown":
        return kind, f"/insights/{rng.choice(TOPICS[:5])}?area={area}&breakdown={rng.choice(BREAKDOWNS)}{extra}"
    if kind == "all measures":
        return kind, f"/insights/all?area={area}&period_type={rng.choice(PERIOD_TYPES)}{extra}"
    if kind == "pathways":
        return kind, f"/insights/pathways?area={area}{extra}"
    slug, figure = rng.choice(DOWNLOADS)
    fmt = rng.choice(("csv", "xlsx"))
    return f"download {fmt}", f"/insights/download/{slug}/{figure}.{fmt}?area={area}"


# ----------------------------------------------------------------------------- the load (child process)


def drive(host: str, users: int, seconds: float, think: bool, seed: int, out: Path,
          stop_file: Path | None = None) -> None:
    """Run ``users`` Locust users against ``host`` for ``seconds`` after the last one has signed in, or
    until ``stop_file`` exists (benchmarks/load_after_refresh.py stops it when its windows are over).

    Runs in its own process: importing Locust monkey-patches the standard library for gevent.
    Writes every request (name, milliseconds, error, start time) and the process's CPU time to ``out``.
    """
    import resource

    import gevent
    import gevent.event
    from locust import FastHttpUser, between, constant, task
    from locust.env import Environment

    records: list[tuple[str, float, str, float]] = []
    accounts = iter(ACCOUNTS * users)
    ready = gevent.event.Event()
    signed_in = [0]

    class Browser(FastHttpUser):
        wait_time = between(*THINK_SECONDS) if think else constant(0)

        def on_start(self) -> None:
            self.account: Account = next(accounts)
            self.rng = random.Random(f"{seed}-{id(self)}")
            self.sign_in()
            signed_in[0] += 1
            if signed_in[0] >= users:
                ready.set()

        def sign_in(self) -> None:
            with self.client.get("/sign-in", name="sign in", catch_response=True) as form:
                match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text or "")
                if form.status_code != 200 or match is None:
                    form.failure(f"sign-in form: HTTP {form.status_code}")
                    return
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), "email": self.account.email,
                                           "password": PASSWORD})
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            # The password, then the role: each demo account holds one grant, so /choose-role goes straight on.
            steps = [("POST", "/sign-in", body, ("/choose-role",)), ("GET", "/choose-role", None, ("/home", "/"))]
            for method, path, data, expected in steps:
                with self.client.request(method, path, name="sign in", data=data, headers=headers if data else None,
                                         allow_redirects=False, catch_response=True) as response:
                    location = response.headers.get("location", "") if response.headers else ""
                    if response.status_code != 302 or location not in expected:
                        response.failure(f"{method} {path}: HTTP {response.status_code} to {location!r}")
                        return
                    response.success()

        @task
        def browse(self) -> None:
            name, path = next_page(self.rng, self.account)
            with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code} on {path}")

    environment = Environment(user_classes=[Browser], host=host, stop_timeout=30)

    def on_request(name: str, response_time: float, exception: Any, start_time: float = 0.0, **_: Any) -> None:
        records.append((name, float(response_time), "" if exception is None else str(exception)[:200], start_time))

    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    started = time.time()
    runner.start(users, spawn_rate=SPAWN_RATE if think else users)
    ready.wait(timeout=120)
    measured_from = time.time()
    while time.time() < measured_from + seconds and not (stop_file and stop_file.exists()):
        gevent.sleep(0.2)
    runner.quit()  # lets each user finish the page it is on (stop_timeout)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out.write_text(json.dumps({
        "records": records, "started": started, "measured_from": measured_from, "stopped": time.time(),
        "signed_in": signed_in[0], "cpu_seconds": usage.ru_utime + usage.ru_stime,
    }), encoding="utf-8")


# ----------------------------------------------------------------------------- the hub (parent process)


def hub_environment(data: Path) -> dict[str, str]:
    return {**os.environ, "BOROUGHHUB_ENV": "demo", "BOROUGHHUB_DATA_DIR": str(data),
            "BOROUGHHUB_DEMO_PASSWORD": PASSWORD, "BOROUGHHUB_TASKS": "immediate",
            "DJANGO_SETTINGS_MODULE": "boroughhub.settings"}


def set_up_demo(data: Path, log: Path) -> float:
    """``boroughhub demo --no-serve``: idempotent, so a reused directory takes seconds."""
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as handle:
        subprocess.run([sys.executable, "-m", "boroughhub.cli", "demo", "--no-serve"], env=hub_environment(data),
                       cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, check=True, timeout=900)
    return time.monotonic() - started


def refresh_insights(data: Path, log: Path) -> float:
    """``boroughhub insights refresh`` as the demo's job owner: a new snapshot, as after each linkage run."""
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as handle:
        subprocess.run([sys.executable, "-m", "boroughhub.cli", "insights", "refresh", "--user", REFRESHED_BY],
                       env=hub_environment(data), cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, check=True,
                       timeout=600)
    return time.monotonic() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(data: Path, log: Path) -> Iterator[tuple[str, int]]:
    """gunicorn as ``boroughhub demo`` starts it, on a free loopback port; stopped (whole group) on exit."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "boroughhub.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", "2", "--threads", "4", "--access-logfile", str(log),
               "--access-logformat", '%(m)s %(U)s%(q)s %(s)s %(D)s']
    with (log.parent / "gunicorn.log").open("w", encoding="utf-8") as errors:
        server = subprocess.Popen(command, env=hub_environment(data), cwd=ROOT, stdout=errors,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/sign-in", server)
        yield url, server.pid
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the hub did not answer {url} within {timeout:.0f} s")


def server_cpu_seconds(master_pid: int) -> float:
    """User + system CPU of the processes of gunicorn's group (master, workers, their chart helpers), from
    /proc (Linux). Processes that ended during the run are left out."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == master_pid:  # the process group gunicorn leads (start_new_session)
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def run_load(url: str, master_pid: int, users: int, seconds: float, think: bool, workdir: Path,
             charts: Path) -> dict[str, Any]:
    out = workdir / f"requests-{users}{'' if think else '-alone'}.json"
    charts_before = len(list(charts.glob("*.svg")))
    cpu_before = server_cpu_seconds(master_pid)
    command = [sys.executable, __file__, "drive", "--host", url, "--users", str(users), "--seconds", str(seconds),
               "--out", str(out), *([] if think else ["--no-think"])]
    subprocess.run(command, cwd=ROOT, check=True, timeout=seconds + 240)
    result = json.loads(out.read_text(encoding="utf-8"))
    result.update(users=users, seconds=seconds, think=think, server_cpu_seconds=server_cpu_seconds(master_pid) - cpu_before,
                  charts_rendered=len(list(charts.glob("*.svg"))) - charts_before, loadavg=os.getloadavg())
    return result


# ----------------------------------------------------------------------------- figures and the report


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (the value below which ``fraction`` of the requests fall)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] if ordered else float("nan")


def summarise(run: dict[str, Any]) -> dict[str, Any]:
    """Every insights request (pages and downloads) of the run, the first minutes included; sign-ins apart."""
    pages = [r for r in run["records"] if r[0] != "sign in"]
    times = [r[1] for r in pages]
    window = run["stopped"] - run["started"]
    by_name: dict[str, list[float]] = {}
    for name, ms, _error, _start in pages:
        by_name.setdefault(name, []).append(ms)
    errors = [r for r in run["records"] if r[2]]
    sign_ins = [r[1] for r in run["records"] if r[0] == "sign in"]
    return {
        "requests": len(pages), "rps": len(pages) / window if window else 0.0,
        "p50": percentile(times, 0.50), "p95": percentile(times, 0.95), "p99": percentile(times, 0.99),
        "max": max(times, default=float("nan")),
        "errors": len(errors), "error_kinds": sorted({r[2] for r in errors})[:5],
        "sign_in_p95": percentile(sign_ins, 0.95), "sign_ins": run["signed_in"],
        "by_name": {name: (len(v), percentile(v, 0.5), percentile(v, 0.95), percentile(v, 0.99))
                    for name, v in sorted(by_name.items())},
        "window": window,
    }


def ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:,.0f}"


def write_results(runs: list[dict[str, Any]], setup_seconds: float, reused: bool, command: str,
                  loadavg_before: tuple[float, ...], refreshed: tuple[float, int] | None = None) -> str:
    loaded, baseline = runs[:-1], runs[-1]
    base = summarise(baseline)
    import locust

    lines = [
        "# Load: signed-in users browsing the insights pages",
        "",
        f"Command: `{command}`",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores "
        f"(shared), Python {platform.python_version()}, Locust {locust.__version__}; load average "
        f"{loadavg_before[0]:.1f} before, {loaded[-1]['loadavg'][0]:.1f} at the end. Demo hub "
        f"({'reused' if reused else 'set up in'} {setup_seconds:.0f} s: pilot boroughs at scale 0.25) served as "
        "`boroughhub demo` serves it: gunicorn, 2 workers × 4 threads, SQLite. The load generator runs on the "
        "same two cores.",
        "",
        "| Run | Users | Measured | Insights requests | Requests/s | Errors | p50 ms | p95 ms | p99 ms "
        "| p95 ÷ baseline | Server CPU ms per request | Load generator CPU s | Charts rendered | Target | Met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    verdicts = []
    for number, run in enumerate(loaded):
        figures = summarise(run)
        target = TARGET_P95_MS.get(run["users"])
        met = target is not None and figures["p95"] < target and figures["errors"] == 0
        label = f"{run['users']} users" + (
            ", server just started" if number == 0 else
            ", again (charts mostly cached)" if any(r["users"] == run["users"] for r in loaded[:number]) else "")
        verdicts.append((label, target, met, figures))
        target_text = f"no errors, p95 < {target:.0f} ms" if target else ""
        lines.append(_row(label, run, figures, base, target_text, ("yes" if met else "**no**") if target else ""))
    lines.append(_row("**Baseline**: one user, no think time, after the runs above", baseline, base, base, "", ""))
    lines += ["", f"Per page, the last run ({verdicts[-1][0]}; requests, then p50 / p95 / p99 ms):", "",
              "| Page | Requests | p50 | p95 | p99 | Alone: p50 | Alone: p95 |", "|---|---:|---:|---:|---:|---:|---:|"]
    heavy = summarise(loaded[-1])
    for name, (count, p50, p95, p99) in heavy["by_name"].items():
        alone = base["by_name"].get(name, (0, float("nan"), float("nan"), float("nan")))
        lines.append(f"| {name} | {count:,} | {ms(p50)} | {ms(p95)} | {ms(p99)} | {ms(alone[1])} | {ms(alone[2])} |")
    lines += ["", "**Verdict.** " + " ".join(
        f"{label}: {'met' if met else 'not met'} (p95 {ms(f['p95'])} ms against {target:.0f} ms, "
        f"{f['errors']} errors)." for label, target, met, f in verdicts if target is not None)]
    lines += ["", *_notes(runs, refreshed)]
    return "\n".join(lines) + "\n"


def _row(label: str, run: dict[str, Any], figures: dict[str, Any], base: dict[str, Any], target: str, met: str) -> str:
    ratio = figures["p95"] / base["p95"] if base["p95"] else float("nan")
    return (f"| {label} | {run['users']} | {figures['window']:.0f} s | {figures['requests']:,} | {figures['rps']:.1f} "
            f"| {figures['errors']} | {ms(figures['p50'])} | {ms(figures['p95'])} | {ms(figures['p99'])} "
            f"| {ratio:.1f}× | {run['server_cpu_seconds'] * 1000 / max(1, len(run['records'])):.0f} "
            f"| {run['cpu_seconds']:.0f} | {run['charts_rendered']} | {target} | {met} |")


def _notes(runs: list[dict[str, Any]], refreshed: tuple[float, int] | None) -> list[str]:
    errors = sorted({kind for run in runs for kind in summarise(run)["error_kinds"]})
    sign_ins = ", ".join(f"{run['users']} users {ms(summarise(run)['sign_in_p95'])} ms" for run in runs[:-1])
    return [
        "How it browses: each user signs in once (the sign-in form and its CSRF token, the password, the role) as "
        f"one of {len(ACCOUNTS)} demo accounts in turn — the analysts of Camden, Westminster, Lambeth, Hillingdon, "
        "the GLA and both providers, and the hub's data manager (unrounded figures, all its agreement grants) — "
        "then opens a page, reads it for 1 to 3 s (uniform: how people click through figures), and opens the "
        "next: London's overview and its own borough's (3 in 14 each), a topic page (4), a topic with a breakdown "
        "(2), every measure for a period type (1), pathways (1), and a figure's CSV or XLSX (1, analysts). "
        f"Users sign in {SPAWN_RATE} a second, and each run lasts {runs[0]['seconds']:.0f} s from the moment the last one has; "
        "percentiles and requests per second are over every insights request from the first sign-in to the end "
        f"(Measured), the ramp-up included. Sign-ins are timed apart (p95: {sign_ins}). Only HTTP 200 counts as "
        "success, redirects not followed.",
        "",
        ("The runs follow each other on one server started for them just after `insights refresh` (as "
         f"`boroughhub demo` runs it: {refreshed[0]:.0f} s, leaving {refreshed[1]} charts in the cache, pre-rendered "
         "before the snapshot was published: every page's figures without a breakdown for each area, then "
         "breakdowns, London's first, within the refresh's time budget): the first run pays for the other "
         "charts' first views (the worst case), the later ones show the steady state. "
         if refreshed else
         "The runs follow each other on one server started for them, serving the snapshot as it was (every "
         "chart it had cached kept: `--keep-charts`). ")
        + "Users think 1 to 3 s between pages, uniformly.",
        "",
        "Charts rendered: chart SVGs written to the snapshot's chart cache during the run, each a first view "
        "of a figure that vl-convert renders (the runs share the cache, in the order shown). Server CPU per "
        "request: user + system seconds of gunicorn's processes (and their chart helpers) during the run, over "
        "every request of the run, sign-ins included: less sensitive than wall time to the other work on the "
        "machine. Load generator CPU: Locust's own process, on the same cores.",
        "",
        "Errors: " + ("; ".join(errors) if errors else "none.")
    ]


# ----------------------------------------------------------------------------- main


def main() -> None:
    if sys.argv[1:2] == ["drive"]:
        return _drive_main(sys.argv[2:])
    parser = argparse.ArgumentParser(description="Load check of the insights pages (issues 9 and 7).")
    parser.add_argument("--data", type=Path, help="demo data directory to set up or reuse (default: a temporary one)")
    parser.add_argument("--users", type=int, nargs="+", default=[50, 20, 50],
                        help="one run per number, in order, on the same server (default: 50 20 50)")
    parser.add_argument("--seconds", type=float, default=120.0, help="each load run, after every user has signed in")
    parser.add_argument("--baseline-seconds", type=float, default=BASELINE_SECONDS)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--skip-setup", action="store_true",
                        help="with --data, use it as it is (set up by this benchmark before, so with its password)")
    parser.add_argument("--keep-charts", action="store_true",
                        help="serve the snapshot as it is, every chart it has cached kept (default: refresh "
                             "the insights first, as after a linkage run)")
    args = parser.parse_args()

    loadavg_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="boroughhub-load-"))
    data = args.data or workdir / "data"
    reused = (data / "insights" / "metric_values.parquet").exists()
    try:
        print(f"{'Reusing' if reused else 'Setting up'} the demo hub in {data}…", flush=True)
        setup_seconds = 0.0 if args.skip_setup and reused else set_up_demo(data, workdir / "demo.log")
        charts = data / "insights" / "charts"
        refreshed = None
        if not args.keep_charts:
            # As just after a refresh, so that a reused directory measures the same: the refresh replaces the
            # snapshot, drops the previous one's charts and pre-renders those people open first.
            print("Refreshing the insights…", flush=True)
            seconds = refresh_insights(data, workdir / "refresh.log")
            refreshed = (seconds, len(list(charts.glob("*.svg"))))
        runs = []
        with served(data, workdir / "access.log") as (url, pid):
            print(f"Serving on {url}", flush=True)
            for users in args.users:
                print(f"{users} users for {args.seconds:.0f} s…", flush=True)
                runs.append(run_load(url, pid, users, args.seconds, True, workdir, charts))
                _print_run(runs[-1])
            print(f"Baseline: one user, no think time, for {args.baseline_seconds:.0f} s…", flush=True)
            runs.append(run_load(url, pid, 1, args.baseline_seconds, False, workdir, charts))
            _print_run(runs[-1])
        command = " ".join([".venv/bin/python benchmarks/load.py", *sys.argv[1:]])
        report = write_results(runs, setup_seconds, reused, command, loadavg_before, refreshed)
        args.out.write_text(report, encoding="utf-8")
        print(report)
        print(f"wrote {args.out}; raw requests in {workdir}")
    finally:
        if args.data is None:
            shutil.rmtree(data, ignore_errors=True)


def _print_run(run: dict[str, Any]) -> None:
    figures = summarise(run)
    print(f"  p50 {ms(figures['p50'])} ms, p95 {ms(figures['p95'])} ms, p99 {ms(figures['p99'])} ms, "
          f"{figures['rps']:.1f} req/s, {figures['errors']} errors, {run['charts_rendered']} charts rendered",
          flush=True)


def _drive_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--no-think", action="store_true")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--stop-file", type=Path, help="stop as soon as this file exists")
    args = parser.parse_args(argv)
    drive(args.host, args.users, args.seconds, not args.no_think, args.seed, args.out, args.stop_file)


if __name__ == "__main__":
    main()
