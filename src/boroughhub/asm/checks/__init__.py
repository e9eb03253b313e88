"""The built-in checks (DNS, TCP with banners, HTTP(S), TLS, exposure probes), run under a council's scope."""

from __future__ import annotations

from .observations import CheckRun, Observation, Refusal, SeenAsset, TargetResult
from .resolve import Resolver, ResolverError, parse_resolver
from .runner import CheckOptions, check_all, run_checks
from .services import DEFAULT_PORTS, RISKY_PORTS, parse_ports

__all__ = [
    "DEFAULT_PORTS", "RISKY_PORTS", "CheckOptions", "CheckRun", "Observation", "Refusal", "Resolver",
    "ResolverError", "SeenAsset", "TargetResult", "check_all", "parse_ports", "parse_resolver", "run_checks",
]
