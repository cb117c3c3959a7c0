"""The twin's own PKI: one CA, and one HTTPS server certificate per host address.

Clients validate the twin's HTTPS listeners exactly as they would a plant server's: against a
CA they were told to trust (``ca_cert_path``), with the host's IP address in subjectAltName.
Files are kept in ``directory`` and reused while valid, so a client configured with the CA of
an earlier run keeps working.
"""

from __future__ import annotations

import dataclasses
import datetime
import ipaddress
import os
import pathlib

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_VALIDITY = datetime.timedelta(days=825)
_MIN_REMAINING = datetime.timedelta(days=30)


@dataclasses.dataclass(frozen=True)
class CertPaths:
    cert: pathlib.Path
    key: pathlib.Path


class CertificateAuthority:
    """Loads or creates the twin CA in ``directory`` and issues server certificates."""

    def __init__(self, directory: str | pathlib.Path, name: str = "SCADA twin CA") -> None:
        self.directory = pathlib.Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.paths = CertPaths(self.directory / "ca.pem", self.directory / "ca.key")
        loaded = _load(self.paths)
        if loaded is None:
            loaded = _create_ca(name)
            _store(self.paths, *loaded)
        self._cert, self._key = loaded

    @property
    def cert_path(self) -> pathlib.Path:
        return self.paths.cert

    def server_certificate(self, address: str, dns_names: tuple[str, ...] = ()) -> CertPaths:
        """Certificate and key files for a listener on ``address`` (IP in subjectAltName)."""
        paths = CertPaths(self.directory / f"host-{address}.pem",
                          self.directory / f"host-{address}.key")
        loaded = _load(paths)
        if loaded is None or not self._covers(*loaded, address, dns_names):
            _store(paths, *self._issue(address, dns_names))
        return paths

    def _covers(self, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey, address: str,
                dns_names: tuple[str, ...]) -> bool:
        """Whether an existing pair was issued by this CA for exactly these names."""
        if cert.public_key() != key.public_key():
            return False
        try:
            cert.verify_directly_issued_by(self._cert)
        except (ValueError, TypeError, InvalidSignature):
            return False
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        return (set(map(str, san.get_values_for_type(x509.IPAddress))) == {address}
                and set(san.get_values_for_type(x509.DNSName)) == set(dns_names))

    def _issue(self, address: str, dns_names: tuple[str, ...]
               ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        key = ec.generate_private_key(ec.SECP256R1())
        names: list[x509.GeneralName] = [x509.IPAddress(ipaddress.ip_address(address))]
        names += [x509.DNSName(n) for n in dns_names]
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, address)])
        builder = (
            _base_builder(subject, self._cert.subject, key)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(digital_signature=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                self._key.public_key()), critical=False)
        )
        return builder.sign(self._key, hashes.SHA256()), key


def _create_ca(name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (
        _base_builder(subject, subject, key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
    )
    return builder.sign(key, hashes.SHA256()), key


def _base_builder(subject: x509.Name, issuer: x509.Name,
                  key: ec.EllipticCurvePrivateKey) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
    )


def _key_usage(digital_signature: bool = False, key_cert_sign: bool = False,
               crl_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=digital_signature, content_commitment=False,
                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                         key_cert_sign=key_cert_sign, crl_sign=crl_sign, encipher_only=False,
                         decipher_only=False)


def _load(paths: CertPaths) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    """An existing pair that is still valid for a while, else None."""
    try:
        cert = x509.load_pem_x509_certificate(paths.cert.read_bytes())
        key = serialization.load_pem_private_key(paths.key.read_bytes(), password=None)
    except (OSError, ValueError):
        return None
    now = datetime.datetime.now(datetime.timezone.utc)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or \
            cert.not_valid_after_utc - now < _MIN_REMAINING:
        return None
    return cert, key


def _store(paths: CertPaths, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> None:
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    fd = os.open(paths.key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key_pem)
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
