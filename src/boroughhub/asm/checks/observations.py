"""What a run of the checks returns: the assets it saw, the findings it made and the targets it refused.
Plain values, so the command line prints them and the store records them the same way."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SeenAsset:
    kind: str  # "domain", "host", "ip", "service", "certificate", "web"
    name: str  # the host name, the address, "host:port/tcp", the certificate's SHA-256, the URL
    port: int | None = None
    protocol: str = ""
    product: str = ""


@dataclass(frozen=True)
class Observation:
    """One finding: which rule a target broke, on which asset, with the evidence that shows it."""

    target: str
    check: str  # "dns", "tcp", "http", "tls" or "exposure"
    rule: str  # an id of rules.RULES
    evidence: str
    asset: SeenAsset
    cve: str = ""


@dataclass(frozen=True)
class Refusal:
    target: str
    reason: str


@dataclass
class TargetResult:
    target: str
    checked: bool = True
    assets: list[SeenAsset] = field(default_factory=list)
    findings: list[Observation] = field(default_factory=list)
    refusal: str = ""
    note: str = ""  # e.g. "stopped after 20 s: ...", "does not resolve"
    address: str = ""  # the address connected to
    #: What each open port showed: {"port", "service", "banner"} or {"port", "scheme", "status", "title",
    #: "server", "tls_version", "certificate_subject", "certificate_expires"}.
    services: list[dict[str, str | int]] = field(default_factory=list)


@dataclass
class CheckRun:
    results: list[TargetResult]

    @property
    def refused(self) -> list[Refusal]:
        return [Refusal(r.target, r.refusal) for r in self.results if r.refusal]

    @property
    def findings(self) -> list[Observation]:
        return [f for r in self.results for f in r.findings]

    @property
    def assets(self) -> list[SeenAsset]:
        """What the checked targets showed (a target refused after resolving adds nothing to the inventory)."""
        return [a for r in self.results if r.checked for a in r.assets]
