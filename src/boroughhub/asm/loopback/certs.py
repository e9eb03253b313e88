"""Certificates made on the spot for the loopback fake zone: expired, self-signed, for the wrong name, or
with a weak key. Nothing is stored: each test (and the demo) makes its own, dated from the clock it is given."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Certificate:
    cert_pem: bytes
    key_pem: bytes

    def write(self, folder: Path, stem: str) -> tuple[Path, Path]:
        cert, key = folder / f"{stem}.crt", folder / f"{stem}.key"
        cert.write_bytes(self.cert_pem)
        key.write_bytes(self.key_pem)
        return cert, key


def make_certificate(names: list[str], *, not_before: datetime, not_after: datetime, rsa_bits: int = 0,
                     issuer: Certificate | None = None) -> Certificate:
    """A certificate for ``names`` (host names or addresses), self-signed unless ``issuer`` (a CA) signs it;
    an EC P-256 key unless ``rsa_bits`` asks for RSA (1024 makes a weak one)."""
    key = rsa.generate_private_key(65537, rsa_bits) if rsa_bits else ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    alternatives: list[x509.GeneralName] = []
    for name in names:
        try:
            alternatives.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternatives.append(x509.DNSName(name))
    if issuer is None:
        signing_key, issuer_name = key, subject
    else:
        signing_key = serialization.load_pem_private_key(issuer.key_pem, None)  # type: ignore[assignment]
        issuer_name = x509.load_pem_x509_certificate(issuer.cert_pem).subject
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.SubjectAlternativeName(alternatives), critical=False))
    cert = builder.sign(signing_key, hashes.SHA256())
    return Certificate(cert.public_bytes(serialization.Encoding.PEM),
                       key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()))


def make_authority(now: datetime) -> Certificate:
    """A private certificate authority, so a test can have a certificate that is not self-signed."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Loopback test authority")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=30)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256()))
    return Certificate(cert.public_bytes(serialization.Encoding.PEM),
                       key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()))
