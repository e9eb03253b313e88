"""Servers on loopback for the fake zone: a web site (HTTP, or HTTPS with a given certificate) that may
expose ``/.git/HEAD`` or list a directory, and a listener that greets with a banner (FTP, SSH)."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import ssl
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .certs import Certificate


@dataclass
class SiteContent:
    """What a fake site serves; change it between runs and the next run sees the change."""

    title: str
    git_exposed: bool = False
    directory_listing: bool = False
    security_headers: bool = False
    server: str = "nginx/1.18.0"
    extra_headers: dict[str, str] = field(default_factory=dict)


class _SiteHandler(BaseHTTPRequestHandler):
    server: _SiteServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        content = self.server.content
        if self.path == "/.git/HEAD" and content.git_exposed:
            self._send(200, "text/plain", "ref: refs/heads/main\n")
        elif self.path == "/":
            if content.directory_listing:
                body = ("<html><head><title>Index of /</title></head><body><h1>Index of /</h1>"
                        "<a href='backup.zip'>backup.zip</a></body></html>")
            else:
                body = f"<html><head><title>{content.title}</title></head><body>{content.title}</body></html>"
            self._send(200, "text/html", body)
        else:
            self._send(404, "text/html", "<html><head><title>Not found</title></head></html>")

    def _send(self, status: int, kind: str, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        content = self.server.content
        if content.security_headers:
            self.send_header("Strict-Transport-Security", "max-age=31536000")
            self.send_header("Content-Security-Policy", "default-src 'self'")
            self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in content.extra_headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def version_string(self) -> str:
        return self.server.content.server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the standard library's name)
        return


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512

    def __init__(self, content: SiteContent, tls: ssl.SSLContext | None) -> None:
        super().__init__(("127.0.0.1", 0), _SiteHandler)
        self.content = content
        self.tls = tls

    def finish_request(self, request: Any, client_address: Any) -> None:
        # The handshake happens in the request's own thread, so one silent client holds up nobody else.
        if self.tls is not None:
            request.settimeout(5)
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (OSError, ssl.SSLError):
                return
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a probe that hangs up early is expected


def server_tls(certificate: Certificate) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with contextlib.suppress(ssl.SSLError):
        context.set_ciphers("DEFAULT:@SECLEVEL=0")  # so a test's weak (1024-bit) key still loads
    with tempfile.TemporaryDirectory() as folder:
        cert, key = certificate.write(Path(folder), "site")
        context.load_cert_chain(cert, key)
    return context


class WebSite:
    def __init__(self, content: SiteContent, certificate: Certificate | None = None) -> None:
        self.content = content
        self.server = _SiteServer(content, server_tls(certificate) if certificate else None)
        self.port: int = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)

    def start(self) -> WebSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _BannerHandler(socketserver.BaseRequestHandler):
    server: _BannerServer

    def handle(self) -> None:
        with contextlib.suppress(OSError):
            self.request.sendall(self.server.banner.encode() + b"\r\n")
            self.request.settimeout(1)
            self.request.recv(64)


class _BannerServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512

    def __init__(self, banner: str) -> None:
        super().__init__(("127.0.0.1", 0), _BannerHandler)
        self.banner = banner


class BannerListener:
    """A TCP listener that greets every connection with ``banner`` (``"220 ProFTPD 1.3.5 Server"``)."""

    def __init__(self, banner: str) -> None:
        self.server = _BannerServer(banner)
        self.port: int = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)

    def start(self) -> BannerListener:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
