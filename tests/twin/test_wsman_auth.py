"""NTLM, Negotiate and Basic at the connection level, with pyspnego as the client."""

from __future__ import annotations

import base64
import os
import pathlib

import pytest
import spnego
from pypsrp.encryption import WinRMEncryption
from spnego.channel_bindings import GssChannelBindings

from scada_twin.costs import CostModel
from scada_twin.faults import FaultPlan
from scada_twin.host import Host
from scada_twin.spec import parse
from scada_twin.timeline import Timeline
from scada_twin.wsman import encryption
from scada_twin.wsman.auth import AuthDecision, AuthPolicy, ConnectionAuth, NtlmAccounts

PASSWORD = "Pl@nt:Secret1"
BINDINGS = GssChannelBindings(application_data=b"tls-server-end-point:" + b"\x01" * 32)


@pytest.fixture
def host() -> Host:
    spec = parse({"hosts": [{"name": "po-a", "address": "127.0.0.21",
                             "accounts": [{"user": "ansible", "password": PASSWORD}]}]})
    return Host(spec.hosts[0], CostModel(time_scale=0.01), Timeline(), FaultPlan())


def policy(host: Host, tmp_path: pathlib.Path, https: bool = False) -> AuthPolicy:
    return AuthPolicy(host, NtlmAccounts(host, tmp_path), https=https, allow_basic_http=False,
                      channel_bindings=BINDINGS if https else None)


def exchange(auth: ConnectionAuth, client: spnego.ContextProxy, scheme: str = "Negotiate"
             ) -> AuthDecision:
    """Run the legs of a handshake the way requests_ntlm/pypsrp do over one connection."""
    decision = auth.check(f"{scheme} {base64.b64encode(client.step()).decode()}")
    while not decision.accepted and decision.headers and \
            decision.headers[0][1].startswith(scheme + " "):
        token = base64.b64decode(decision.headers[0][1].split(" ", 1)[1])
        out = client.step(token)
        if out is None:
            break
        decision = auth.check(f"{scheme} {base64.b64encode(out).decode()}")
    for name, value in decision.headers:  # a final SPNEGO token rides on the 200
        if value.startswith(scheme + " ") and not client.complete:
            client.step(base64.b64decode(value.split(" ", 1)[1]))
    return decision


def ntlm_client(user: str = "ansible", password: str = PASSWORD, protocol: str = "ntlm",
                bindings: GssChannelBindings | None = None) -> spnego.ContextProxy:
    return spnego.client(user, password, hostname="po-a", service="HTTP", protocol=protocol,
                         channel_bindings=bindings, options=spnego.NegotiateOptions.use_ntlm
                         if protocol == "ntlm" else spnego.NegotiateOptions.use_negotiate)


@pytest.mark.parametrize("protocol", ["ntlm", "negotiate"])
def test_handshake_then_sealed_messages_both_ways(host: Host, tmp_path: pathlib.Path,
                                                  protocol: str) -> None:
    auth = ConnectionAuth(policy(host, tmp_path), "127.0.0.1")
    client = ntlm_client(protocol=protocol)
    decision = exchange(auth, client)
    assert decision.accepted and decision.user == "ansible"
    assert client.complete
    assert auth.check(None).user == "ansible"  # the connection stays authenticated

    sealer = WinRMEncryption(client, WinRMEncryption.SPNEGO)  # pypsrp's framing
    media_type, body = sealer.wrap_message(b"<request/>")
    content_type = f'{media_type};protocol="{sealer.protocol}";boundary="Encrypted Boundary"'
    assert encryption.unwrap(decision.context, content_type, body) == b"<request/>"
    reply_type, reply = encryption.wrap(decision.context, b"<answer/>")
    assert reply_type.startswith("multipart/encrypted;")
    assert sealer.unwrap_message(reply, "Encrypted Boundary") == b"<answer/>"


def test_tampered_message_does_not_decrypt(host: Host, tmp_path: pathlib.Path) -> None:
    auth = ConnectionAuth(policy(host, tmp_path), "127.0.0.1")
    client = ntlm_client()
    decision = exchange(auth, client)
    media_type, body = WinRMEncryption(client, WinRMEncryption.SPNEGO).wrap_message(b"<r/>")
    content_type = f'{media_type};protocol="{WinRMEncryption.SPNEGO}";boundary="Encrypted Boundary"'
    tampered = body[:-30] + bytes([body[-30] ^ 1]) + body[-29:]
    with pytest.raises(encryption.EncryptionError):
        encryption.unwrap(decision.context, content_type, tampered)


@pytest.mark.parametrize("user,ok", [("ansible", True), (".\\ansible", True),
                                     ("PO-A\\ansible", True), ("OTHER\\ansible", False),
                                     ("nobody", False)])
def test_local_account_names(host: Host, tmp_path: pathlib.Path, user: str, ok: bool) -> None:
    decision = exchange(ConnectionAuth(policy(host, tmp_path), "127.0.0.1"), ntlm_client(user))
    assert decision.accepted is ok
    assert len(host.timeline.events(kind="wsman.auth_succeeded" if ok
                                     else "wsman.auth_failed")) == 1


@pytest.mark.parametrize("bindings,ok", [(BINDINGS, True), (None, True),
                                         (GssChannelBindings(application_data=b"x"), False)])
def test_channel_binding_is_checked_when_sent(host: Host, tmp_path: pathlib.Path,
                                              bindings: GssChannelBindings | None,
                                              ok: bool) -> None:
    auth = ConnectionAuth(policy(host, tmp_path, https=True), "127.0.0.1")
    assert exchange(auth, ntlm_client(bindings=bindings)).accepted is ok


def test_basic_is_per_request_and_https_only(host: Host, tmp_path: pathlib.Path) -> None:
    good = "Basic " + base64.b64encode(f"ansible:{PASSWORD}".encode()).decode()
    bad = "Basic " + base64.b64encode(b"ansible:wrong").decode()
    https = ConnectionAuth(policy(host, tmp_path, https=True), "127.0.0.1")
    assert https.check(good).user == "ansible"
    assert not https.check(bad).accepted
    assert not https.check(None).accepted  # Basic does not authenticate the connection
    refused = ConnectionAuth(policy(host, tmp_path), "127.0.0.1").check(good)
    assert not refused.accepted and "refused" in refused.message
    assert ("WWW-Authenticate", 'Basic realm="WSMAN"') not in refused.headers


def test_user_file_holds_hashes_and_env_is_restored(host: Host, tmp_path: pathlib.Path) -> None:
    before = os.environ.get("NTLM_USER_FILE")
    auth = ConnectionAuth(policy(host, tmp_path), "127.0.0.1")
    assert exchange(auth, ntlm_client()).accepted
    assert os.environ.get("NTLM_USER_FILE") == before
    text = (tmp_path / "ntlm-po-a.users").read_text()
    assert PASSWORD not in text and "ansible:0:" in text


@pytest.mark.parametrize("authorization", [
    # SPNEGO offering Kerberos 5 only (no NTLMSSP): a client configured for Kerberos
    "Negotiate " + base64.b64encode(bytes.fromhex("6018060606") + bytes.fromhex("2b0601050502")
                                    + bytes.fromhex("a00e300ca00a3008") + bytes.fromhex("06092a864886f712010202")).decode(),
    "Kerberos " + base64.b64encode(b"\x6e\x00").decode(),
    "CredSSP " + base64.b64encode(b"\x30\x00").decode(),
])
def test_what_the_twin_does_not_model_is_refused_in_words(host: Host, tmp_path: pathlib.Path,
                                                          authorization: str) -> None:
    """Kerberos and CredSSP are refused with a sentence that says the twin does not model
    them (a 401 whose body names what to use), not with a bare 'Access is denied.'"""
    decision = ConnectionAuth(policy(host, tmp_path), "127.0.0.1").check(authorization)
    assert not decision.accepted
    assert "does not model" in decision.message and "NTLM" in decision.message
    [event] = host.timeline.events(kind="wsman.auth_failed")
    assert "does not model" in event.data["reason"]
