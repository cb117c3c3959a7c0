"""Who is calling: NTLM/Negotiate per TCP connection, Basic per request, as WinRM does.

NTLM authenticates the *connection*: after the three-leg exchange, later requests on the
same socket carry no Authorization header and are sealed with the context it produced. Basic
is checked on every request and, like a Windows server with AllowUnencrypted=false, refused
on plain HTTP unless the plant allows it.

pyspnego's acceptor finds accounts through the NTLM_USER_FILE environment variable, read
when an acceptor is made and again when it checks the client's answer. Each host has its own
file, so every acceptor step runs under one process-wide lock with that host's file set.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import os
import pathlib
import threading
from typing import Iterator

import spnego
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from spnego.channel_bindings import GssChannelBindings

from ..host import Host

# Private pyspnego helpers: the NTLM one-way functions (so the user file holds hashes, which
# also copes with ':' in passwords) and the message parsers used to read a client's answer.
from spnego._ntlm_raw.crypto import lmowfv1, ntowfv1
from spnego._ntlm_raw.messages import AvId, Authenticate, NTClientChallengeV2
from spnego._spnego import NegTokenResp, unpack_token

_ENV_LOCK = threading.Lock()
_NTLMSSP = b"NTLMSSP\x00"

BASIC_HTTP_REFUSED = ("Basic authentication over plain HTTP is refused: this host has "
                      "AllowUnencrypted=false. Use HTTPS (port {port}) or NTLM with message "
                      "encryption.")


#: The 401 body and the timeline's reason when a client asks for what the twin does not model.
NOT_MODELLED = ("The scada twin does not model {what} authentication: use NTLM (ansible_winrm_transport "
                "ntlm, or Negotiate) or, over HTTPS, Basic. On a real server {what} works as Windows offers it.")
#: DER-encoded object identifiers of Kerberos 5 (RFC 4121), Microsoft's Kerberos and NTLMSSP.
_KERBEROS_OIDS = (bytes.fromhex("06092a864886f712010202"), bytes.fromhex("06092a864882f712010202"))
_NTLM_OID = bytes.fromhex("060a2b06010401823702020a")


def _kerberos_only(token: bytes) -> bool:
    """A Negotiate token that offers Kerberos and not NTLM (SPNEGO's mechanism list, or a bare
    Kerberos AP-REQ): the client will not fall back to what the twin accepts."""
    return any(oid in token for oid in _KERBEROS_OIDS) and _NTLM_OID not in token and \
        not token.startswith(b"NTLMSSP\0")


class NtlmAccounts:
    """One host's accounts as a pyspnego NTLM_USER_FILE (hashes, never passwords)."""

    def __init__(self, host: Host, directory: pathlib.Path) -> None:
        self.path = directory / f"ntlm-{host.name}.users"
        lines: list[str] = []
        for line in host.ntlm_user_lines():
            domain, user, password = line.split(":", 2)
            digests = f"{lmowfv1(password).hex().upper()}:{ntowfv1(password).hex().upper()}"
            # A local account (no domain) also answers to '.\\user' and 'COMPUTER\\user'.
            domains = [domain] if domain else ["", ".", host.spec.computer_name]
            for name in (f"{d}\\{user}" if d else user for d in domains):
                lines.append(f"{name}:0:{digests}:[U]:LCT-00000000")  # smbpasswd format
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """NTLM_USER_FILE points at this host's file for the duration (process-wide lock)."""
        with _ENV_LOCK:
            previous = os.environ.get("NTLM_USER_FILE")
            os.environ["NTLM_USER_FILE"] = str(self.path)
            try:
                yield
            finally:
                if previous is None:
                    os.environ.pop("NTLM_USER_FILE", None)
                else:
                    os.environ["NTLM_USER_FILE"] = previous


@dataclasses.dataclass(frozen=True)
class AuthPolicy:
    """What one listener accepts: NTLM/Negotiate always, Basic on HTTPS or when allowed."""

    host: Host
    accounts: NtlmAccounts
    https: bool
    allow_basic_http: bool
    channel_bindings: GssChannelBindings | None = None

    @property
    def transport(self) -> str:
        return "https" if self.https else "http"

    @property
    def basic_allowed(self) -> bool:
        return self.https or self.allow_basic_http

    @property
    def unencrypted_allowed(self) -> bool:
        """Plain SOAP bodies: on HTTPS, or on HTTP when the plant allows it (AllowUnencrypted)."""
        return self.https or self.allow_basic_http

    def challenges(self) -> list[tuple[str, str]]:
        schemes = ["Negotiate", "NTLM"] + (['Basic realm="WSMAN"'] if self.basic_allowed else [])
        return [("WWW-Authenticate", s) for s in schemes]

    def new_acceptor(self, first_token: bytes) -> spnego.ContextProxy:
        """A raw NTLM token gets the NTLM acceptor, anything else the SPNEGO one."""
        raw_ntlm = first_token.startswith(_NTLMSSP)
        options = spnego.NegotiateOptions.use_ntlm if raw_ntlm \
            else spnego.NegotiateOptions.use_negotiate
        with self.accounts.active():
            return spnego.server(hostname=self.host.spec.computer_name, service="HTTP",
                                 protocol="ntlm" if raw_ntlm else "negotiate", options=options)


@dataclasses.dataclass
class AuthDecision:
    """``user`` None means answer 401 with ``headers`` (a challenge or a continuation)."""

    user: str | None
    headers: list[tuple[str, str]]
    message: str = ""
    context: spnego.ContextProxy | None = None  # the NTLM/SPNEGO context, for encryption

    @property
    def accepted(self) -> bool:
        return self.user is not None


class ConnectionAuth:
    """The authentication state of one TCP connection."""

    def __init__(self, policy: AuthPolicy, client: str) -> None:
        self.policy = policy
        self.client = client
        self._pending: spnego.ContextProxy | None = None
        self._context: spnego.ContextProxy | None = None
        self._user: str | None = None
        self._basic_user: str | None = None

    def check(self, authorization: str | None) -> AuthDecision:
        scheme, _, credentials = (authorization or "").strip().partition(" ")
        if scheme.lower() == "basic":
            return self._basic(credentials.strip())
        if scheme.lower() in ("negotiate", "ntlm"):
            return self._negotiate(scheme, credentials.strip())
        if scheme.lower() == "credssp":
            return self._refuse(scheme, None, NOT_MODELLED.format(what="CredSSP"),
                                NOT_MODELLED.format(what="CredSSP"))
        if scheme.lower() == "kerberos":
            return self._refuse(scheme, None, NOT_MODELLED.format(what="Kerberos"),
                                NOT_MODELLED.format(what="Kerberos"))
        if scheme:
            return self._refuse(scheme, None, f"unsupported authentication scheme {scheme!r}")
        if self._context is not None:
            return AuthDecision(self._user, [], context=self._context)
        return AuthDecision(None, self.policy.challenges())

    def _negotiate(self, scheme: str, credentials: str) -> AuthDecision:
        try:
            token = base64.b64decode(credentials, validate=True)
        except binascii.Error:
            return self._refuse(scheme, None, "malformed token")
        if _kerberos_only(token):
            return self._refuse(scheme, None, NOT_MODELLED.format(what="Kerberos"),
                                NOT_MODELLED.format(what="Kerberos"))
        answer = _ntlm_authenticate(token)
        bindings = self.policy.channel_bindings if _sent_bindings(answer) else None
        try:
            if self._pending is None or _starts_exchange(token):
                self._context, self._user = None, None
                self._pending = self.policy.new_acceptor(token)
            with self.policy.accounts.active():
                out = self._pending.step(token, channel_bindings=bindings)
        except Exception as exc:  # pyspnego raises many types for bad or wrong answers
            self._pending = None
            return self._refuse(scheme, answer.user_name if answer else None,
                                str(exc) or type(exc).__name__)
        headers = [("WWW-Authenticate", f"{scheme} {base64.b64encode(out).decode()}")] \
            if out else []
        if not self._pending.complete:
            return AuthDecision(None, headers)
        self._context, self._pending = self._pending, None
        self._user = self._context.client_principal or (answer.user_name if answer else "")
        self._record("wsman.auth_succeeded", scheme, self._user)
        return AuthDecision(self._user, headers, context=self._context)

    def _basic(self, credentials: str) -> AuthDecision:
        try:
            user, sep, password = base64.b64decode(credentials, validate=True) \
                .decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return self._refuse("Basic", None, "malformed credentials")
        if not self.policy.basic_allowed:
            message = BASIC_HTTP_REFUSED.format(port=self.policy.host.spec.https_port)
            return self._refuse("Basic", user, "basic over http refused", message)
        if not sep or not self.policy.host.check_password(user, password):
            return self._refuse("Basic", user, "bad user name or password")
        if user != self._basic_user:  # once per connection and user, not per request
            self._basic_user = user
            self._record("wsman.auth_succeeded", "Basic", user)
        return AuthDecision(user, [])

    def _refuse(self, scheme: str, user: str | None, reason: str,
                message: str = "Access is denied.") -> AuthDecision:
        self._record("wsman.auth_failed", scheme, user, reason=reason)
        return AuthDecision(None, self.policy.challenges(), message)

    def _record(self, kind: str, scheme: str, user: str | None, **extra: str) -> None:
        host = self.policy.host
        host.timeline.record(host.name, kind, user=user, scheme=scheme,
                             transport=self.policy.transport, client=self.client, **extra)


def tls_channel_bindings(cert_pem: pathlib.Path) -> GssChannelBindings:
    """RFC 5929 tls-server-end-point bindings of a listener's certificate, as clients send."""
    cert = x509.load_pem_x509_certificate(cert_pem.read_bytes())
    algorithm = cert.signature_hash_algorithm
    if algorithm is None or algorithm.name in ("md5", "sha1"):
        algorithm = hashes.SHA256()
    digest = hashes.Hash(algorithm)
    digest.update(cert.public_bytes(serialization.Encoding.DER))
    return GssChannelBindings(application_data=b"tls-server-end-point:" + digest.finalize())


def _starts_exchange(token: bytes) -> bool:
    """An NTLM NEGOTIATE message or a SPNEGO initial token: a new exchange begins."""
    if token.startswith(_NTLMSSP):
        return token[8:12] == b"\x01\x00\x00\x00"
    return token[:1] == b"\x60"


def _ntlm_authenticate(token: bytes) -> Authenticate | None:
    """The NTLM AUTHENTICATE message in ``token`` (raw or inside SPNEGO), if it is one."""
    inner: bytes | None = token
    if not token.startswith(_NTLMSSP):
        try:
            unpacked = unpack_token(token)
        except Exception:  # not SPNEGO either: the acceptor will say so
            return None
        inner = unpacked.response_token if isinstance(unpacked, NegTokenResp) else None
    if not inner or not inner.startswith(_NTLMSSP) or inner[8:12] != b"\x03\x00\x00\x00":
        return None
    try:
        return Authenticate.unpack(inner)
    except Exception:
        return None


def _sent_bindings(answer: Authenticate | None) -> bool:
    """Whether the client bound its answer to the TLS channel.

    Windows' default CbtHardeningLevel (Relaxed) checks bindings a client sent and accepts a
    client that sent none, so the acceptor only gets our bindings in the first case.
    """
    response = answer.nt_challenge_response if answer else None
    if not response or len(response) <= 24:
        return False
    try:
        return AvId.channel_bindings in NTClientChallengeV2.unpack(response[16:]).av_pairs
    except Exception:
        return False
