"""A fake council zone on loopback: what tests, the benchmark and the browser test check instead of the
internet. Every name resolves (through the zone's own DNS stub) to 127.0.0.1, except one that resolves to
127.0.0.2 (outside a 127.0.0.1/32 scope, to be refused) and one dangling CNAME to a cloud name."""

from __future__ import annotations

from datetime import datetime, timedelta

from .certs import make_authority, make_certificate
from .dns_stub import DnsStub
from .servers import BannerListener, SiteContent, WebSite

IN_SCOPE_ADDRESS = "127.0.0.1"
OUT_OF_SCOPE_ADDRESS = "127.0.0.2"  # loopback too: a refused target never leaves the machine


class FakeCouncilZone:
    """``www``: HTTPS with an expired certificate; ``intranet``: HTTP exposing ``/.git/HEAD`` and a
    directory listing; ``legacy``: HTTPS with a self-signed certificate for another name; ``portal``:
    HTTPS, a valid certificate from a private authority and every security header; ``files``: an FTP
    banner; ``ssh``: an SSH banner; ``old``: a CNAME to an unclaimed cloud name; ``outside``: 127.0.0.2."""

    def __init__(self, domain: str, now: datetime) -> None:
        self.domain = domain
        authority = make_authority(now)
        year = timedelta(days=365)

        def host(label: str) -> str:
            return f"{label}.{domain}"

        self.sites = {
            "www": WebSite(SiteContent(f"{domain} council"), make_certificate(
                [host("www")], not_before=now - 2 * year, not_after=now - timedelta(days=20), issuer=authority)),
            "intranet": WebSite(SiteContent("Staff intranet", git_exposed=True, directory_listing=True)),
            "legacy": WebSite(SiteContent("Old payments site", server="Apache/2.2.15"), make_certificate(
                ["legacy-payments.example"], not_before=now - year, not_after=now + year)),
            "portal": WebSite(SiteContent("Resident portal", security_headers=True), make_certificate(
                [host("portal")], not_before=now - year, not_after=now + year, issuer=authority)),
        }
        self.banners = {
            "files": BannerListener("220 ProFTPD 1.3.5 Server (Council files)"),
            "ssh": BannerListener("SSH-2.0-OpenSSH_7.4"),
        }
        records: dict[str, tuple[str, str]] = {host(label): ("A", IN_SCOPE_ADDRESS)
                                               for label in (*self.sites, *self.banners)}
        records[host("old")] = ("CNAME", f"{domain.split('.')[0]}-old-site.azurewebsites.net")
        records[host("outside")] = ("A", OUT_OF_SCOPE_ADDRESS)
        self.dns = DnsStub(records)

    @property
    def resolver(self) -> str:
        return self.dns.resolver

    def start(self) -> FakeCouncilZone:
        self.dns.start()
        for site in self.sites.values():
            site.start()
        for listener in self.banners.values():
            listener.start()
        return self

    def stop(self) -> None:
        for site in self.sites.values():
            site.stop()
        for listener in self.banners.values():
            listener.stop()
        self.dns.stop()

    def __enter__(self) -> FakeCouncilZone:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def targets(self) -> list[str]:
        """The zone's targets, one per line of a targets file: ``host:port`` for each server, and the
        names with nothing listening (``old``, ``outside``) on the intranet's port."""
        lines = [f"{label}.{self.domain}:{site.port}" for label, site in self.sites.items()]
        lines += [f"{label}.{self.domain}:{listener.port}" for label, listener in self.banners.items()]
        lines += [f"old.{self.domain}:{self.sites['intranet'].port}",
                  f"outside.{self.domain}:{self.sites['intranet'].port}"]
        return lines

    def add_host(self, label: str) -> None:
        """A new name in the zone (the next run finds a new asset)."""
        self.dns.records[f"{label}.{self.domain}"] = ("A", IN_SCOPE_ADDRESS)
