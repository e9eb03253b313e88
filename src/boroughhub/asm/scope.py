"""A council's scope: what its security lead has been authorised to have checked, and the one rule every
active check asks before it sends a packet (``Scope.refusal_for_host`` / ``refusal_for_address``).

Plain data: the store builds a ``Scope`` from the database, the tests build one by hand.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import date

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_ASN = re.compile(r"^AS(\d{1,10})$", re.IGNORECASE)

KINDS = ("domain", "netblock", "asn")


class ScopeError(ValueError):
    """An entry that is not a domain, a netblock or an autonomous system: the message says what to write."""


@dataclass(frozen=True)
class ScopeEntry:
    kind: str  # "domain", "netblock" or "asn"
    value: str  # normalised: lower-case domain, network in CIDR form, "AS64500"


def normalise_domain(text: str) -> str | None:
    """``text`` as a lower-case host name without a trailing dot, or None if it is not one."""
    name = text.strip().lower().rstrip(".")
    if not name or len(name) > 253:
        return None
    return name if all(_LABEL.match(label) for label in name.split(".")) else None


def parse_scope_entry(text: str) -> ScopeEntry:
    """``"barnet.gov.uk"``, ``"192.0.2.0/24"``, ``"192.0.2.7"`` (a /32) or ``"AS64500"``."""
    raw = text.strip()
    asn = _ASN.match(raw)
    if asn:
        return ScopeEntry("asn", f"AS{int(asn.group(1))}")
    try:
        network = ipaddress.ip_network(raw, strict=False)
    except ValueError:
        pass
    else:
        return ScopeEntry("netblock", str(network))
    domain = normalise_domain(raw)
    if domain is None:
        raise ScopeError(f"{raw!r} is not a domain (like barnet.gov.uk), a netblock (like 192.0.2.0/24) "
                         f"or an autonomous system (like AS64500).")
    return ScopeEntry("domain", domain)


@dataclass(frozen=True)
class Authorisation:
    """Who authorised scanning, when, and the document that records it (issue 20 item 1)."""

    authorised_by: str
    authorised_on: date
    reference: str


@dataclass(frozen=True)
class Scope:
    council_id: str
    entries: tuple[ScopeEntry, ...] = ()
    exclusions: tuple[ScopeEntry, ...] = ()
    authorisation: Authorisation | None = None
    _networks: tuple[IPNetwork, ...] = field(init=False, repr=False, compare=False)
    _excluded_networks: tuple[IPNetwork, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_networks", _networks_of(self.entries))
        object.__setattr__(self, "_excluded_networks", _networks_of(self.exclusions))

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(e.value for e in self.entries if e.kind == "domain")

    def refusal_for_host(self, host: str) -> str | None:
        """Why ``host`` (a name or an address) may not be checked, or None if it may."""
        if self.authorisation is None:
            return "scope not authorised: record who authorised scanning before any check runs"
        address = _address(host)
        if address is not None:
            return self.refusal_for_address(address)
        name = normalise_domain(host)
        if name is None:
            return f"not a host name or address: {host!r}"
        if any(_under(name, e.value) for e in self.exclusions if e.kind == "domain"):
            return f"excluded from the council's scope: {name}"
        if not any(_under(name, domain) for domain in self.domains):
            return f"outside the council's scope: {name} is under none of its domains"
        return None

    def refusal_for_address(self, address: IPAddress) -> str | None:
        """Why an address may not be connected to, or None if it may: it must be in a netblock, not excluded."""
        if self.authorisation is None:
            return "scope not authorised: record who authorised scanning before any check runs"
        if any(address in network for network in self._excluded_networks):
            return f"excluded from the council's scope: {address}"
        if not any(address in network for network in self._networks):
            return f"outside the council's scope: {address} is in none of its netblocks"
        return None


def _networks_of(entries: tuple[ScopeEntry, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(e.value) for e in entries if e.kind == "netblock")


def _address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _under(name: str, domain: str) -> bool:
    return name == domain or name.endswith("." + domain)


@dataclass(frozen=True)
class Target:
    host: str
    port: int | None  # None: the hub's list of ports

    @property
    def label(self) -> str:
        if self.port is None:
            return self.host
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_target(text: str) -> Target:
    """``host``, ``host:port``, ``address:port`` or ``[v6address]:port``; raises ``ScopeError`` otherwise."""
    raw = text.strip()
    host, port = raw, None
    if raw.startswith("["):
        close = raw.find("]")
        host, rest = raw[1:close], raw[close + 1:]
        port = rest[1:] if rest.startswith(":") else None
    elif raw.count(":") == 1:
        host, port = raw.split(":")
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        raise ScopeError(f"{raw!r}: the port must be a number from 1 to 65535.")
    if _address(host) is None and normalise_domain(host) is None:
        raise ScopeError(f"{raw!r} is not a host name, an address or host:port.")
    return Target(host.lower().rstrip("."), int(port) if port else None)
