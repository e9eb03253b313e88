"""What each finding means: its rule, how severe it is, how exposed it leaves the council, and how a
finding's priority is worked out (severity × exposure × the asset's criticality, doubled when its
vulnerability is on the bundled known-exploited list)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_WEIGHT = {"critical": 5, "high": 4, "medium": 3, "low": 2, "info": 1}
CRITICALITIES = ("high", "medium", "low")
CRITICALITY_WEIGHT = {"high": 3, "medium": 2, "low": 1}
STATUSES = ("open", "accepted", "false_positive", "resolved")
STATUS_LABELS = {"open": "Open", "accepted": "Accepted", "false_positive": "False positive", "resolved": "Resolved"}
KNOWN_EXPLOITED_FACTOR = 2


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    #: 3: anyone on the internet can use it now; 2: it helps an attacker; 1: worth knowing.
    exposure: int
    advice: str


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("git-exposed", "Source code repository exposed (/.git/)", "critical", 3,
         "Remove the .git folder from the web root or block it; rotate any secret committed to it."),
    Rule("tls-expired", "TLS certificate expired", "high", 3,
         "Renew the certificate; browsers already warn every visitor."),
    # Exposure 2: it takes an attacker claiming the cloud name first.
    Rule("dangling-cname", "Dangling CNAME to an unclaimed cloud name", "high", 2,
         "Remove the DNS record, or claim the cloud name again: anyone can claim it and serve pages as you."),
    Rule("risky-service", "Risky service reachable (remote desktop, file sharing, Telnet, FTP, database)", "high", 2,
         "Close the port to the internet or put it behind the VPN."),
    Rule("directory-listing", "Directory listing enabled", "medium", 3,
         "Turn directory listing off on the web server."),
    Rule("tls-self-signed", "TLS certificate self-signed", "medium", 2,
         "Use a certificate from a public certificate authority."),
    Rule("tls-hostname-mismatch", "TLS certificate does not match the host name", "medium", 2,
         "Issue a certificate that names this host."),
    Rule("tls-weak", "Weak TLS key or protocol", "medium", 2,
         "Use RSA keys of 2048 bits or more (or EC of 256) and TLS 1.2 or later only."),
    Rule("vulnerability", "Known vulnerability reported by a scanner", "high", 2,
         "Patch the product; if the vulnerability is known to be exploited, treat it as an incident."),
    Rule("http-no-https", "Web site served without TLS", "low", 2, "Serve it over HTTPS and redirect HTTP."),
    Rule("missing-security-headers", "Security headers missing", "low", 1,
         "Send Strict-Transport-Security, Content-Security-Policy and X-Content-Type-Options."),
    Rule("ssh-exposed", "SSH reachable from the internet", "low", 1, "Limit SSH to known addresses."),
    Rule("open-port", "Open port", "info", 1, "Check that this service is meant to be public."),
)}


@dataclass(frozen=True)
class KnownExploited:
    as_of: date
    cves: frozenset[str]


@cache
def known_exploited() -> KnownExploited:
    text = resources.files("boroughhub.asm").joinpath("data/known_exploited.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return KnownExploited(date.fromisoformat(data["as_of"]),
                          frozenset(v["cve"].upper() for v in data["vulnerabilities"]))


def priority(severity: str, exposure: int, criticality: str, cve: str = "") -> int:
    """Severity × exposure × criticality (1 to 45), doubled for a known-exploited vulnerability."""
    score = SEVERITY_WEIGHT[severity] * exposure * CRITICALITY_WEIGHT[criticality]
    if cve and cve.upper() in known_exploited().cves:
        score *= KNOWN_EXPLOITED_FACTOR
    return score


@cache
def cloud_suffixes() -> tuple[str, ...]:
    text = resources.files("boroughhub.asm").joinpath("data/cloud_suffixes.txt").read_text(encoding="utf-8")
    return tuple(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def is_cloud_name(name: str) -> bool:
    lowered = name.lower().rstrip(".")
    return any(lowered == s or lowered.endswith("." + s) for s in cloud_suffixes())
