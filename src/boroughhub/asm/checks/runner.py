"""Running the built-in checks over a list of targets: every target asks the council's scope first (and
every address a name resolves to asks it again), then DNS, TCP with a banner read, TLS, HTTP and the
exposure probes run, with at most ``concurrency`` targets at once, at most ``connections_per_second`` new
connections a second, and ``target_timeout`` seconds for all of one target's checks."""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from boroughhub.asm.rules import is_cloud_name
from boroughhub.asm.scope import Scope, Target

from .certificate import judge_certificate
from .observations import CheckRun, Observation, SeenAsset, TargetResult
from .resolve import Resolver, ResolverError
from .services import DEFAULT_PORTS, RISKY_PORTS, service_of_banner
from .wire import HttpResponse, http_get, tcp_banner, title_of, tls_context

SECURITY_HEADERS = ("strict-transport-security", "content-security-policy", "x-content-type-options")
DIRECTORY_LISTING_MARKS = ("<title>index of /", "directory listing for /")


@dataclass(frozen=True)
class CheckOptions:
    now: datetime
    resolver: Resolver
    ports: tuple[int, ...] = DEFAULT_PORTS
    concurrency: int = 100
    connections_per_second: float = 500.0
    connect_timeout: float = 3.0
    banner_wait: float = 0.5
    target_timeout: float = 20.0


class RateLimit:
    """At most ``rate`` starts a second, spread evenly (a token bucket of one)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


def run_checks(targets: Sequence[Target], scope: Scope, options: CheckOptions) -> CheckRun:
    return asyncio.run(check_all(targets, scope, options))


async def check_all(targets: Sequence[Target], scope: Scope, options: CheckOptions) -> CheckRun:
    limit = RateLimit(options.connections_per_second)
    gate = asyncio.Semaphore(options.concurrency)

    async def one(target: Target) -> TargetResult:
        refusal = scope.refusal_for_host(target.host)
        if refusal:
            return TargetResult(target.label, checked=False, refusal=refusal)
        async with gate:
            result = TargetResult(target.label)
            try:
                await asyncio.wait_for(_check_target(target, scope, options, limit, result), options.target_timeout)
            except TimeoutError:
                result.note = f"stopped after {options.target_timeout:g} s: the rest of this target was not checked"
            return result

    return CheckRun(list(await asyncio.gather(*(one(t) for t in targets))))


async def _check_target(target: Target, scope: Scope, options: CheckOptions, limit: RateLimit,
                        result: TargetResult) -> None:
    host = target.host
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is None:
        result.assets.append(SeenAsset("host", host))
        try:
            resolution = await options.resolver.resolve(host)
        except ResolverError as error:
            result.note = str(error)
            return
        for cname in resolution.cnames:
            result.assets.append(SeenAsset("domain", cname))
        dangling = [c for c in resolution.cnames if is_cloud_name(c)]
        if dangling and not resolution.addresses:
            result.findings.append(Observation(
                target.label, "dns", "dangling-cname",
                f"{host} is a CNAME for {dangling[-1]}, which does not resolve: anyone may claim it",
                SeenAsset("host", host)))
        allowed = [a for a in resolution.addresses if scope.refusal_for_address(a) is None]
        if not resolution.addresses:
            result.note = "does not resolve"
            return
        if not allowed:
            result.checked = False
            result.refusal = "resolved address outside scope: " + "; ".join(
                str(scope.refusal_for_address(a)) for a in resolution.addresses)
            return
        address = allowed[0]
    result.assets.append(SeenAsset("ip", str(address)))
    result.address = str(address)
    ports = (target.port,) if target.port else options.ports
    await asyncio.gather(*(_check_port(target, host, str(address), port, options, limit, result) for port in ports))
    if not any(a.kind == "service" for a in result.assets):
        result.note = f"no open port among the {len(ports)} tried"


async def _check_port(target: Target, host: str, address: str, port: int, options: CheckOptions,
                      limit: RateLimit, result: TargetResult) -> None:
    await limit.wait()
    banner = await tcp_banner(address, port, timeout=options.connect_timeout, banner_wait=options.banner_wait)
    if not banner.open:
        return
    service_name = f"{host}:{port}/tcp"
    if banner.text:
        product, risky = service_of_banner(banner.text)
        asset = SeenAsset("service", service_name, port, "tcp", product or banner.text[:60])
        result.assets.append(asset)
        result.services.append({"port": port, "service": product or "unknown", "banner": banner.text[:120]})
        _judge_service(target, port, product, risky, f"banner {banner.text[:120]!r}", asset, result)
        return
    await limit.wait()
    response = await http_get(address, port, host, "/", tls=tls_context(), timeout=options.connect_timeout)
    scheme = "https"
    if response is None:
        await limit.wait()
        response = await http_get(address, port, host, "/", tls=None, timeout=options.connect_timeout)
        scheme = "http"
    if response is None:
        asset = SeenAsset("service", service_name, port, "tcp", RISKY_PORTS.get(port, ""))
        result.assets.append(asset)
        result.services.append({"port": port, "service": RISKY_PORTS.get(port, "unknown"), "banner": ""})
        _judge_service(target, port, RISKY_PORTS.get(port, ""), port in RISKY_PORTS, "accepts connections",
                       asset, result)
        return
    await _judge_web(target, host, address, port, scheme, response, options, limit, result)


def _judge_service(target: Target, port: int, product: str, risky: bool, evidence: str, asset: SeenAsset,
                   result: TargetResult) -> None:
    label = product or RISKY_PORTS.get(port, "")
    if risky or port in RISKY_PORTS:
        rule = "risky-service"
    elif product == "SSH":
        rule = "ssh-exposed"
    else:
        rule = "open-port"
    result.findings.append(Observation(target.label, "tcp", rule,
                                       f"{label or 'a service'} on port {port}: {evidence}", asset))


async def _judge_web(target: Target, host: str, address: str, port: int, scheme: str, response: HttpResponse,
                     options: CheckOptions, limit: RateLimit, result: TargetResult) -> None:
    url = f"{scheme}://{host}:{port}/"
    server = response.headers.get("server", "")
    web = SeenAsset("web", url, port, scheme, server)
    result.assets.append(SeenAsset("service", f"{host}:{port}/tcp", port, "tcp", scheme.upper()))
    result.assets.append(web)
    title = title_of(response.body)
    shown: dict[str, str | int] = {"port": port, "scheme": scheme, "status": response.status, "title": title,
                                   "server": server}
    result.services.append(shown)
    if scheme == "https" and response.certificate:
        facts = judge_certificate(response.certificate, host, response.tls_version, options.now)
        shown.update(tls_version=response.tls_version, certificate_subject=facts.subject,
                     certificate_expires=facts.not_after.isoformat())
        certificate = SeenAsset("certificate", facts.fingerprint, port, response.tls_version, facts.subject[:200])
        result.assets.append(certificate)
        for fault in facts.faults:
            result.findings.append(Observation(target.label, "tls", fault.rule, f"{url}: {fault.evidence}", web))
    elif scheme == "http":
        result.findings.append(Observation(target.label, "http", "http-no-https",
                                           f"{url} answered {response.status} without TLS", web))
    wanted = SECURITY_HEADERS if scheme == "https" else SECURITY_HEADERS[1:]
    missing = [h for h in wanted if h not in response.headers]
    if missing:
        result.findings.append(Observation(
            target.label, "http", "missing-security-headers",
            f"{url} ({response.status}, title {title!r}, server {server!r}) sends no {', '.join(missing)}", web))
    if any(mark in response.body.lower() for mark in DIRECTORY_LISTING_MARKS):
        result.findings.append(Observation(target.label, "exposure", "directory-listing",
                                           f"{url} lists a directory's files (title {title!r})", web))
    await limit.wait()
    tls = tls_context() if scheme == "https" else None
    git = await http_get(address, port, host, "/.git/HEAD", tls=tls, timeout=options.connect_timeout)
    if git is not None and git.status == 200 and git.body.lstrip().startswith(("ref: ", "ref:")):
        result.findings.append(Observation(target.label, "exposure", "git-exposed",
                                           f"{url}.git/HEAD answered 200: {git.body.strip()[:80]!r}", web))
