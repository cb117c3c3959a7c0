"""The twin CA and its per-address server certificates."""

from __future__ import annotations

import ipaddress
import pathlib
import socket
import ssl

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from scada_twin.certs import CertificateAuthority
from wsman_support import TwinPlant, cert_dir, make_plant, plant  # noqa: F401


def load(path: pathlib.Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_server_certificate_names_the_address_and_chains_to_the_ca(tmp_path: pathlib.Path) -> None:
    ca = CertificateAuthority(tmp_path)
    paths = ca.server_certificate("127.0.0.21", ("po-a",))
    cert = load(paths.cert)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.21")]
    assert san.get_values_for_type(x509.DNSName) == ["po-a"]
    assert ExtendedKeyUsageOID.SERVER_AUTH in \
        cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    cert.verify_directly_issued_by(load(ca.cert_path))
    assert paths.key.stat().st_mode & 0o077 == 0


def test_files_are_reused_while_valid(tmp_path: pathlib.Path) -> None:
    first = CertificateAuthority(tmp_path)
    server = first.server_certificate("127.0.0.21").cert.read_bytes()
    second = CertificateAuthority(tmp_path)
    assert second.cert_path.read_bytes() == first.cert_path.read_bytes()
    assert second.server_certificate("127.0.0.21").cert.read_bytes() == server
    assert second.server_certificate("127.0.0.21", ("renamed",)).cert.read_bytes() != server


def test_a_stock_tls_client_validates_the_listener(plant: TwinPlant) -> None:
    host = plant.hosts["po-a"].spec
    context = ssl.create_default_context(cafile=plant.ca)
    with socket.create_connection((host.address, host.https_port), timeout=5) as raw, \
            context.wrap_socket(raw, server_hostname=host.address) as tls:
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
    other = ssl.create_default_context(cafile=plant.ca)
    with pytest.raises(ssl.SSLCertVerificationError), \
            socket.create_connection((host.address, host.https_port), timeout=5) as raw:
        other.wrap_socket(raw, server_hostname="127.0.0.99")
