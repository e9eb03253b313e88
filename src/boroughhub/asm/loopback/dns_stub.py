"""A tiny authoritative DNS responder on loopback for a fake council zone: A and CNAME records from a
dict, NXDOMAIN for anything else. Tests, the benchmark and the demo resolve through it and nothing else."""

from __future__ import annotations

import socket
import threading

import dns.flags
import dns.message
import dns.rcode
import dns.rrset


class DnsStub:
    def __init__(self, records: dict[str, tuple[str, str]], host: str = "127.0.0.1") -> None:
        """``records``: name → ("A", address) or ("CNAME", other name)."""
        if not host.startswith("127."):
            raise ValueError("the DNS stub listens on loopback only")
        self.records = records
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind((host, 0))
        self.socket.settimeout(0.2)
        self.address: tuple[str, int] = self.socket.getsockname()
        self.queries = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="dns-stub", daemon=True)

    @property
    def resolver(self) -> str:
        return f"{self.address[0]}:{self.address[1]}"

    def start(self) -> DnsStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.socket.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self.socket.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                reply = self.answer(data)
            except Exception:  # noqa: BLE001 (a malformed query gets no answer, like a real server)
                continue
            self.queries += 1
            self.socket.sendto(reply, peer)

    def answer(self, data: bytes) -> bytes:
        query = dns.message.from_wire(data)
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        for _ in range(8):  # follow a CNAME chain, as a recursive resolver would
            record = self.records.get(name)
            if record is None:
                response.set_rcode(dns.rcode.NXDOMAIN)
                break
            kind, value = record
            response.answer.append(dns.rrset.from_text(name + ".", 60, "IN", kind,
                                                       value + "." if kind == "CNAME" else value))
            if kind != "CNAME":
                break
            name = value
        return response.to_wire()
