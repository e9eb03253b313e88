"""Judging a server's certificate and protocol: expired (or not yet valid), self-signed, not naming the
host, a weak key, an old protocol. ``now`` is given, so a test's certificates are judged at the test's time."""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa
from cryptography.x509.oid import NameOID

WEAK_PROTOCOLS = frozenset({"SSLv2", "SSLv3", "TLSv1", "TLSv1.1"})


@dataclass(frozen=True)
class CertificateFault:
    rule: str
    evidence: str


@dataclass(frozen=True)
class CertificateFacts:
    fingerprint: str  # SHA-256 of the DER, hex
    subject: str
    not_after: datetime
    faults: tuple[CertificateFault, ...]


def judge_certificate(der: bytes, host: str, protocol: str, now: datetime) -> CertificateFacts:
    cert = x509.load_der_x509_certificate(der)
    subject = cert.subject.rfc4514_string()
    not_after = cert.not_valid_after_utc
    faults: list[CertificateFault] = []
    if not_after < now:
        faults.append(CertificateFault("tls-expired", f"expired on {not_after:%d %B %Y %H:%M} UTC ({subject})"))
    elif cert.not_valid_before_utc > now:
        faults.append(CertificateFault("tls-expired", f"not valid until {cert.not_valid_before_utc:%d %B %Y} UTC"))
    if _self_signed(cert):
        faults.append(CertificateFault("tls-self-signed", f"issuer is the subject itself ({subject})"))
    names = _names_of(cert)
    if not _matches(host, names):
        faults.append(CertificateFault("tls-hostname-mismatch",
                                       f"{host} is not among the names {', '.join(names) or '(none)'}"))
    weak_key = _weak_key(cert)
    if weak_key:
        faults.append(CertificateFault("tls-weak", weak_key))
    if protocol in WEAK_PROTOCOLS:
        faults.append(CertificateFault("tls-weak", f"the server accepted {protocol}"))
    return CertificateFacts(hashlib.sha256(der).hexdigest(), subject, not_after, tuple(faults))


def _self_signed(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _names_of(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        common = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return [str(common[0].value).lower()] if common else []
    names = [name.lower() for name in san.get_values_for_type(x509.DNSName)]
    names += [str(address) for address in san.get_values_for_type(x509.IPAddress)]
    return names


def _matches(host: str, names: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        return str(address) in names
    host = host.lower().rstrip(".")
    for name in names:
        if name == host:
            return True
        # A wildcard stands for exactly one left-most label.
        if name.startswith("*.") and host.count(".") == name.count(".") and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def _weak_key(cert: x509.Certificate) -> str:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < 2048:
        return f"RSA key of {key.key_size} bits (2048 or more expected)"
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.key_size < 256:
        return f"EC key of {key.curve.key_size} bits (256 or more expected)"
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA key (no longer accepted by browsers)"
    return ""
