"""How long do the attack surface checks take on 1,000 hosts? Target: within 2 minutes on 2 cores.

The hosts are names in a fake zone on loopback (``h0000.bench.test`` … ``h0999.bench.test``), each
resolved through the zone's DNS stub and pointing, in turn, at one of its servers: HTTPS with an
expired certificate, HTTP exposing ``/.git/HEAD``, HTTPS with a self-signed certificate for the wrong
name, HTTPS done right, an FTP banner, an SSH banner. The zone runs in a child process, so its servers
do not share the checks' interpreter. Every packet stays on 127.0.0.0/8.

The checks run with the command line's defaults (100 targets at once, at most 200 new connections a
second, 20 s a target): DNS, TCP with a banner read, TLS, HTTP and the ``/.git/HEAD`` probe. The
baseline, in the same run against the same servers, is a plain sequential TCP connect to each target.
Then the whole command, `boroughhub asm check --json`, recording the register in a throw-away SQLite hub.

Run:  .venv/bin/python benchmarks/asm_checks.py  [--hosts 1000]
Writes benchmarks/results/asm_checks.md (then `python benchmarks/collect.py` updates RESULTS.md).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "asm_checks.md"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def serve_zone(hosts: int, ready: Any, stop: Any) -> None:
    from boroughhub.asm.loopback import FakeCouncilZone

    zone = FakeCouncilZone("bench.test", NOW).start()
    ports = [site.port for site in zone.sites.values()] + [b.port for b in zone.banners.values()]
    targets = []
    for i in range(hosts):
        name = f"h{i:04d}.bench.test"
        zone.dns.records[name] = ("A", "127.0.0.1")
        targets.append(f"{name}:{ports[i % len(ports)]}")
    ready.put((zone.resolver, targets))
    stop.wait()
    zone.stop()


def setup_django() -> None:
    os.environ["BOROUGHHUB_DATA_DIR"] = tempfile.mkdtemp(prefix="boroughhub-bench-asm-")
    os.environ.setdefault("BOROUGHHUB_ENV", "dev")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boroughhub.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def whole_command(resolver: str, targets: list[str]) -> tuple[float, int]:
    """``boroughhub asm check --json`` end to end: the checks, recording the register, the JSON."""
    import io

    from django.core.management import call_command

    from boroughhub.organisations import Organisation, RoleGrant, User

    lead = "security_lead@barnet.example"
    user = User.objects.create_user(lead, "a-long-benchmark-password")
    RoleGrant.objects.create(user=user, organisation=Organisation.objects.get(pk="barnet"), role="security_lead")
    call_command("asm", "scope", "--council", "barnet", "--add", "bench.test", "--add", "127.0.0.1/32",
                 "--authorised-by", "Benchmark", "--reference", "BENCH", "--as", lead, stdout=io.StringIO())
    listed = Path(os.environ["BOROUGHHUB_DATA_DIR"]) / "targets.txt"
    listed.write_text("\n".join(targets), encoding="utf-8")
    out = io.StringIO()
    started = time.perf_counter()
    call_command("asm", "check", "--council", "barnet", "--targets", str(listed), "--as", lead, "--json",
                 "--resolver", resolver, stdout=out)
    seconds = time.perf_counter() - started
    return seconds, len(json.loads(out.getvalue())["findings"])


def baseline(targets: list[str]) -> float:
    started = time.perf_counter()
    for target in targets:
        port = int(target.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=1000)
    args = parser.parse_args()
    from boroughhub.asm.checks import CheckOptions, Resolver, parse_resolver, run_checks
    from boroughhub.asm.scope import Authorisation, Scope, parse_scope_entry, parse_target

    context = multiprocessing.get_context("spawn")
    ready, stop = context.Queue(), context.Event()
    child = context.Process(target=serve_zone, args=(args.hosts, ready, stop), daemon=True)
    child.start()
    resolver, targets = ready.get(timeout=60)
    scope = Scope("bench", (parse_scope_entry("bench.test"), parse_scope_entry("127.0.0.1/32")), (),
                  Authorisation("Benchmark", NOW.date(), "BENCH"))
    try:
        plain = baseline(targets)
        started = time.perf_counter()
        run = run_checks([parse_target(t) for t in targets], scope, CheckOptions(
            now=NOW, resolver=Resolver(parse_resolver(resolver)), connections_per_second=200.0,
            target_timeout=20.0))
        checks = time.perf_counter() - started
        started = time.perf_counter()
        run_checks([parse_target(t) for t in targets], scope, CheckOptions(
            now=NOW, resolver=Resolver(parse_resolver(resolver)), connections_per_second=100_000.0,
            target_timeout=20.0))
        unthrottled = time.perf_counter() - started
        setup_django()
        command, recorded = whole_command(resolver, targets)
    finally:
        stop.set()
        child.join(10)
    rules = Counter(f.rule for f in run.findings)
    timed_out = sum(1 for r in run.results if r.note.startswith("stopped"))
    lines = [
        "# Attack surface checks on 1,000 loopback hosts (`benchmarks/asm_checks.py`)",
        "",
        f"Command: `.venv/bin/python benchmarks/asm_checks.py --hosts {args.hosts}` ({os.cpu_count()} cores). "
        "Target: within 120 s.",
        "",
        "| what | hosts | seconds | hosts a second |",
        "|---|---:|---:|---:|",
        f"| baseline: a plain sequential TCP connect to each | {len(targets)} | {plain:.2f} | {len(targets) / plain:,.0f} |",
        f"| the checks (DNS, TCP + banner, TLS, HTTP, /.git/HEAD), 200 connections/s | {len(targets)} | {checks:.2f} "
        f"| {len(targets) / checks:,.0f} |",
        f"| the same checks without the rate limit (what the CPU allows) | {len(targets)} | {unthrottled:.2f} "
        f"| {len(targets) / unthrottled:,.0f} |",
        f"| `boroughhub asm check --json` end to end: the checks, recording {recorded:,} findings and the "
        f"inventory (SQLite), the JSON | {len(targets)} | {command:.2f} | {len(targets) / command:,.0f} |",
        "",
        f"Ratio checks / baseline: {checks / plain:.1f}×. Within target (the whole command): {'yes' if command <= 120 else 'NO'}. "
        f"Targets stopped by the per-target timeout: {timed_out}. The rate limit, not the CPU, sets the pace: "
        f"{sum(1 for _ in run.results)} targets need about three connections each.",
        "",
        "Findings: " + ", ".join(f"{rule} {count}" for rule, count in sorted(rules.items())) + " (the zone's "
        "certificates name www/legacy/portal, not the h0000… names, hence the host name mismatches).",
        "",
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
