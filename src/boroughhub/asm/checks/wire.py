"""The small network steps the checks are made of: a TCP connect with a banner read, an HTTP(S) GET, and
the TLS handshake's certificate and protocol. Each is bounded by a timeout and reads at most a few KB."""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
import warnings
from dataclasses import dataclass

BANNER_BYTES = 256
BODY_BYTES = 65536
USER_AGENT = "boroughhub-asm (authorised attack surface check)"


@dataclass(frozen=True)
class Banner:
    open: bool
    text: str  # what the service said first, printable only ("" if it waits for the client)


async def tcp_banner(address: str, port: int, *, timeout: float, banner_wait: float) -> Banner:
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(address, port), timeout)
    except (OSError, TimeoutError):
        return Banner(False, "")
    try:
        data = await asyncio.wait_for(reader.read(BANNER_BYTES), banner_wait)
    except (OSError, TimeoutError):
        data = b""
    finally:
        await _close(writer)
    # A TLS record (an alert from a server that wanted a handshake) is not a greeting: only text is, or
    # Telnet's option negotiation (0xff).
    if data and not (32 <= data[0] < 127 or data[0] == 0xFF):
        return Banner(True, "")
    return Banner(True, printable(data))


def printable(data: bytes) -> str:
    text = data.decode("latin-1")
    return "".join(c if c.isprintable() else " " for c in text).strip()


def tls_context() -> ssl.SSLContext:
    """A client context that completes the handshake whatever the certificate is like: the checks judge the
    certificate themselves (expired, self-signed, wrong name) instead of stopping at the first fault."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    # Offer old protocols too, so a server that still accepts them is seen doing so (Python warns that
    # they are deprecated: here that is the point).
    with contextlib.suppress(ValueError, ssl.SSLError), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.set_ciphers("ALL:@SECLEVEL=0")
    return context


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: dict[str, str]  # lower-case names
    body: str
    tls_version: str = ""
    certificate: bytes = b""  # DER


async def http_get(address: str, port: int, host: str, path: str, *, tls: ssl.SSLContext | None,
                   timeout: float) -> HttpResponse | None:
    """GET ``path`` with ``Host: host``; None if the port does not speak HTTP (or TLS, with ``tls``)."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(
            address, port, ssl=tls, server_hostname=(host if tls and not _is_address(host) else None)), timeout)
    except (OSError, TimeoutError, ssl.SSLError):
        return None
    try:
        tls_version, certificate = "", b""
        ssl_object = writer.get_extra_info("ssl_object")
        if ssl_object is not None:
            tls_version = ssl_object.version() or ""
            certificate = ssl_object.getpeercert(binary_form=True) or b""
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {USER_AGENT}\r\n"
                   f"Accept: */*\r\nConnection: close\r\n\r\n")
        writer.write(request.encode("ascii"))
        await asyncio.wait_for(writer.drain(), timeout)
        raw = await asyncio.wait_for(_read_up_to(reader, BODY_BYTES), timeout)
    except (OSError, TimeoutError, ssl.SSLError, UnicodeEncodeError):
        return None
    finally:
        await _close(writer)
    return _parse_response(raw, tls_version, certificate)


async def _read_up_to(reader: asyncio.StreamReader, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = await reader.read(limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


_STATUS = re.compile(rb"^HTTP/\d(?:\.\d)? (\d{3})")


def _parse_response(raw: bytes, tls_version: str, certificate: bytes) -> HttpResponse | None:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = _STATUS.match(lines[0]) if lines else None
    if status is None:
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if sep:
            headers[name.decode("latin-1").strip().lower()] = value.decode("latin-1").strip()
    return HttpResponse(int(status.group(1)), headers, body.decode("utf-8", "replace"), tls_version, certificate)


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def title_of(body: str) -> str:
    match = _TITLE.search(body)
    return " ".join(match.group(1).split())[:200] if match else ""


def _is_address(host: str) -> bool:
    return host.replace(".", "").isdigit() or ":" in host


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError, TimeoutError, ssl.SSLError):
        await asyncio.wait_for(writer.wait_closed(), 1.0)
