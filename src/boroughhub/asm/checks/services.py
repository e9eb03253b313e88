"""What an open port is: the service a banner or port number says it is, and which services are risky."""

from __future__ import annotations

#: The short list of ports worth raising when open to the internet (issue 20 item 3).
RISKY_PORTS: dict[int, str] = {
    3389: "remote desktop (RDP)", 445: "Windows file sharing (SMB)", 139: "NetBIOS", 23: "Telnet",
    21: "FTP", 1433: "Microsoft SQL Server", 3306: "MySQL", 5432: "PostgreSQL", 27017: "MongoDB",
    6379: "Redis", 5900: "VNC", 9200: "Elasticsearch", 11211: "Memcached",
}
WEB_PORTS = (80, 443)
DEFAULT_PORTS: tuple[int, ...] = (*WEB_PORTS, 22, *sorted(RISKY_PORTS))

#: A banner's opening → the service it announces, and whether that service is risky on the internet.
BANNERS: tuple[tuple[str, str, bool], ...] = (
    ("SSH-", "SSH", False),
    ("220", "FTP", True),  # SMTP also greets with 220; an "ESMTP" banner is matched first below
    ("* OK", "IMAP", False),
    ("+OK", "POP3", False),
    ("RFB ", "VNC", True),
    ("-ERR", "Redis", True),
)


def service_of_banner(banner: str) -> tuple[str, bool]:
    """(service, risky) for a banner; ("", False) when it names nothing known."""
    upper = banner.upper()
    if upper.startswith("220") and ("SMTP" in upper or "MAIL" in upper):
        return "SMTP", False
    if "\xff" in banner or upper.startswith("LOGIN:"):
        return "Telnet", True
    for opening, service, risky in BANNERS:
        if banner.startswith(opening):
            return service, risky
    if "MYSQL" in upper or "MARIADB" in upper:
        return "MySQL", True
    return "", False


def parse_ports(text: str) -> tuple[int, ...]:
    """``"22,80,8000-8003"`` → the ports; raises ValueError with what to write instead."""
    ports: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise ValueError(f"--ports: {part!r} is not a port or a range like 8000-8010.")
        first, last = int(low), int(high or low)
        if not (0 < first <= last < 65536) or last - first > 1024:
            raise ValueError(f"--ports: {part!r} must be ports from 1 to 65535, at most 1,024 in a range.")
        ports.extend(range(first, last + 1))
    if not ports:
        raise ValueError("--ports: give at least one port, like 22,80,443.")
    return tuple(dict.fromkeys(ports))
