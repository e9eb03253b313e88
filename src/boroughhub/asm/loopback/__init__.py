"""A fake council zone on loopback (DNS stub, web sites with made-up certificates, banner listeners) for the
tests, the benchmark and the browser test: the checks run against it, never against the internet."""

from __future__ import annotations

from .certs import Certificate, make_authority, make_certificate
from .dns_stub import DnsStub
from .servers import BannerListener, SiteContent, WebSite, closed_port
from .zone import IN_SCOPE_ADDRESS, OUT_OF_SCOPE_ADDRESS, FakeCouncilZone

__all__ = [
    "IN_SCOPE_ADDRESS", "OUT_OF_SCOPE_ADDRESS", "BannerListener", "Certificate", "DnsStub", "FakeCouncilZone",
    "SiteContent", "WebSite", "closed_port", "make_authority", "make_certificate",
]
