"""Name resolution for the checks through one named resolver (a council's, or a test's stub on loopback):
the checks never fall back to the machine's resolver when one is given, so no query leaves for elsewhere."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any

import dns.asyncquery
import dns.asyncresolver
import dns.exception
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.resolver

from boroughhub.asm.scope import IPAddress


@dataclass(frozen=True)
class Resolution:
    name: str
    addresses: tuple[IPAddress, ...]
    cnames: tuple[str, ...]  # the chain, in order
    nxdomain: bool


class ResolverError(RuntimeError):
    pass


def parse_resolver(text: str) -> tuple[str, int]:
    """``"127.0.0.1:5353"`` → (address, port); the address must be an IP address (no name to resolve first)."""
    host, _, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if host.lower() == "localhost":  # the one name taken without asking anyone
        host = "127.0.0.1"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ResolverError(f"--resolver {text!r}: give the resolver as ADDRESS:PORT, like 127.0.0.1:5353.") from None
    if not (port.isdigit() and 0 < int(port) < 65536):
        raise ResolverError(f"--resolver {text!r}: the port must be a number from 1 to 65535.")
    return host, int(port)


class Resolver:
    """Asks one DNS server over UDP (``server`` given), or the machine's configured servers (``None``)."""

    def __init__(self, server: tuple[str, int] | None, timeout: float = 2.0) -> None:
        self.server = server
        self.timeout = timeout

    async def resolve(self, name: str) -> Resolution:
        if self.server is None:
            return await self._system(name)
        query = dns.message.make_query(dns.name.from_text(name), dns.rdatatype.A)
        try:
            response = await dns.asyncquery.udp(query, self.server[0], port=self.server[1], timeout=self.timeout)
        except dns.exception.Timeout:
            raise ResolverError(f"the resolver {self.server[0]}:{self.server[1]} did not answer for {name}") from None
        return _resolution_of(name, response)

    async def _system(self, name: str) -> Resolution:
        """The machine's own resolution (hosts file included) for the addresses; the CNAME chain, which
        that does not tell, from the machine's configured DNS servers."""
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(loop.getaddrinfo(name, None, family=socket.AF_INET,
                                                            type=socket.SOCK_STREAM), self.timeout)
            addresses = tuple(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
        except (OSError, TimeoutError):
            addresses = ()
        cnames: tuple[str, ...] = ()
        nxdomain = not addresses
        resolver = dns.asyncresolver.Resolver()
        resolver.lifetime = self.timeout
        try:
            answer = await resolver.resolve(name, "A", raise_on_no_answer=False)
            cnames = _resolution_of(name, answer.response).cnames
        except dns.resolver.NXDOMAIN as error:
            # The NXDOMAIN answer still carries the CNAME that led to the missing name.
            responses: dict[Any, dns.message.Message] = error.kwargs.get("responses") or {}
            response = next(iter(responses.values()), None)
            cnames = _resolution_of(name, response).cnames if response is not None else ()
        except dns.exception.DNSException:
            pass
        return Resolution(name, addresses, cnames, nxdomain)


def _resolution_of(name: str, response: dns.message.Message) -> Resolution:
    cnames: list[str] = []
    addresses: list[IPAddress] = []
    for rrset in response.answer:
        for record in rrset:
            if rrset.rdtype == dns.rdatatype.CNAME:
                cnames.append(record.target.to_text(omit_final_dot=True).lower())
            elif rrset.rdtype == dns.rdatatype.A:
                addresses.append(ipaddress.ip_address(record.address))
    return Resolution(name, tuple(addresses), tuple(cnames), response.rcode() == dns.rcode.NXDOMAIN)
