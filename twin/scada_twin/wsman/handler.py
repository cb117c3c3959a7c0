"""The HTTP side of one WinRM connection: body framing, authentication, encryption.

One handler instance lives as long as its TCP connection (HTTP/1.1 keep-alive), which is
what NTLM needs: the connection, not the request, is authenticated, and its context seals
every later message.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING

from . import encryption
from .auth import ConnectionAuth
from .winrs import ConnectionReset, RequestContext

if TYPE_CHECKING:
    from ..host import Host
    from .server import Listener

SOAP_CONTENT_TYPE = "application/soap+xml;charset=UTF-8"
_MAX_BODY = 16 * 1024 * 1024
_DARK_POLL = 0.05
UNENCRYPTED_REFUSED = ("Unencrypted messages are refused on plain HTTP (AllowUnencrypted=false): "
                       "use message encryption or HTTPS.")


class WsmanHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-HTTPAPI/2.0"
    sys_version = ""
    timeout = 120  # idle keep-alive connections go away, as with http.sys
    # http.sys sends a response's headers and body together; this handler writes them
    # separately, and with Nagle's algorithm the body then waits for the client's delayed
    # ACK (40 ms on Linux) on many requests: a cost of the twin, not of a plant.
    disable_nagle_algorithm = True
    server: "Listener"

    def setup(self) -> None:
        super().setup()
        self.auth = ConnectionAuth(self.server.policy, self.client_address[0])

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        """Quiet: the host's timeline is the record, not an access log."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._send(405, [("Allow", "POST")])

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        body = self._read_body()
        if body is None or self._swallowed():
            return
        self.server.service.pace()
        if urllib.parse.urlsplit(self.path).path.rstrip("/").lower() != "/wsman":
            self._send(404)
            return
        decision = self.auth.check(self.headers.get("Authorization"))
        if not decision.accepted:
            self._send(401, decision.headers, decision.message.encode("utf-8"))
            return
        if not body:  # the last leg of an NTLM exchange, or pywinrm's encryption set-up
            self._send(200, decision.headers)
            return
        content_type = self.headers.get("Content-Type", "")
        sealed = encryption.is_encrypted(content_type)
        if sealed and decision.context is None:
            self._send(400, body=b"An encrypted message needs NTLM or Negotiate authentication.")
            return
        if not sealed and not self.server.policy.unencrypted_allowed:
            self._send(401, self.server.policy.challenges(), UNENCRYPTED_REFUSED.encode())
            return
        try:
            message = encryption.unwrap(decision.context, content_type, body) if sealed else body
        except encryption.EncryptionError as exc:
            self._send(400, body=str(exc).encode("utf-8"))
            return
        # MaxEnvelopeSizekb (default 500) bounds the SOAP data, not its encrypted wrapping: a
        # larger envelope is refused with HTTP 413 (Microsoft, "Installation and configuration
        # for Windows Remote Management").
        if len(message) > int(self.server.service.host.spec.windows["winrm"]["MaxEnvelopeSizekb"]) * 1024:
            self.close_connection = True
            self._send(413, decision.headers)
            return
        context = RequestContext(decision.user or "", self.client_address[0],
                                 self.server.endpoint, self.server.closing)
        try:
            status, answer = self.server.service.handle(message, context)
        except ConnectionReset:
            self._reset()
            return
        if self._swallowed():  # the host went dark while it worked: the answer is lost
            return
        if sealed:
            reply_type, answer = encryption.wrap(decision.context, answer)
        else:
            reply_type = SOAP_CONTENT_TYPE
        self._send(status, decision.headers + [("Content-Type", reply_type)], answer)

    def _read_body(self) -> bytes | None:
        """The request body (Content-Length or chunked); None after answering a bad one."""
        if self.headers.get("Transfer-Encoding", "").strip().lower() == "chunked":
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= _MAX_BODY:
            self.close_connection = True
            self._send(400 if length < 0 else 413)
            return None
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes | None:
        parts: list[bytes] = []
        while True:
            try:
                size = int(self.rfile.readline(64).split(b";")[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                self._send(400)
                return None
            if size == 0:
                while self.rfile.readline(8192).strip():
                    pass  # trailers
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline(8)

    def _send(self, status: int, headers: list[tuple[str, str]] | None = None,
              body: bytes = b"") -> None:
        self.send_response(status)
        for name, value in headers or []:
            self.send_header(name, value)
        if body and not any(name.lower() == "content-type" for name, _ in headers or []):
            self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _swallowed(self) -> bool:
        """A dark host (booting, ``blackhole``) answers nothing; the connection then resets."""
        if not self.server.service.host.dark():
            return False
        swallow(self.server.service.host, self.connection, self.server.closing)
        self._reset()
        return True

    def _reset(self) -> None:
        """Drop the connection with a TCP RST and no answer."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()


def swallow(host: "Host", connection: socket.socket, closing: threading.Event) -> None:
    """A dark host: say nothing while it stays dark, then drop the connection with a reset
    (the client's next packet finds no such connection on the host that came back)."""
    while host.dark() and not closing.wait(_DARK_POLL):
        pass
    with contextlib.suppress(OSError):
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
