"""The twin's WinRM listeners: HTTP and HTTPS per host, many hosts in one process.

Each host gets its own listening sockets on its own loopback address, so a client sees what
it would see on the plant network: a host that is "down" refuses connections, and taking it
down also cuts the connections it had open.

    server = WsmanServer(hosts, allow_basic_http=False, cert_dir=state_dir / "pki")
    server.start()
    ...  # clients use http://<address>:<http_port>/wsman, or https with server.ca_cert_path
    server.set_host_down("po-b", True)
    server.stop()
"""

from __future__ import annotations

import logging
import pathlib
import socket
import socketserver
import ssl
import tempfile
import threading
from http.server import HTTPServer
from typing import Callable, Iterable

from ..certs import CertificateAuthority
from ..host import Host
from .auth import AuthPolicy, NtlmAccounts, tls_channel_bindings
from .handler import WsmanHandler, swallow
from .service import HostService

log = logging.getLogger(__name__)


class Listener(socketserver.ThreadingMixIn, HTTPServer):
    """One listening socket (a host's HTTP or HTTPS port) and the connections it accepted."""

    daemon_threads = False  # server_close() joins every connection thread
    block_on_close = True
    allow_reuse_address = True  # reopen at once after set_host_down(name, False)
    request_queue_size = 64

    def __init__(self, service: HostService, policy: AuthPolicy,
                 ssl_context: ssl.SSLContext | None, port: int) -> None:
        self.service = service
        self.policy = policy
        self.ssl_context = ssl_context
        self.closing = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((service.host.address, port), WsmanHandler)
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"wsman-{service.host.name}-{port}", daemon=True)

    @property
    def endpoint(self) -> str:
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://{self.server_address[0]}:{self.server_address[1]}/wsman"

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        """Stop accepting, cut every open connection, and join all threads."""
        self.closing.set()
        self.shutdown()
        self.socket.close()  # refuse new connections before the slow part
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:  # the plain socket's shutdown, also under TLS: wakes blocked readers
                socket.socket.shutdown(connection, socket.SHUT_RDWR)
            except OSError:
                pass
        self.server_close()
        self._thread.join()

    def finish_request(self, request: socket.socket, client_address: object) -> None:
        """Runs in the connection's thread: the TLS handshake too, so accept never blocks."""
        connection = request
        try:
            if self.ssl_context is not None:
                connection = self.ssl_context.wrap_socket(request, server_side=True,
                                                          do_handshake_on_connect=False)
            with self._connections_lock:
                self._connections.add(connection)
            if self.closing.is_set():  # close() took its snapshot before we were tracked
                return
            if self.service.host.dark():
                swallow(self.service.host, connection, self.closing)  # not even a handshake
                return
            if isinstance(connection, ssl.SSLSocket):
                connection.settimeout(WsmanHandler.timeout)
                connection.do_handshake()
            super().finish_request(connection, client_address)
        except OSError as exc:  # handshake failures, resets, shutdown of a closing listener
            log.debug("connection from %s ended: %s", client_address, exc)
        except Exception:
            log.exception("WinRM connection from %s failed", client_address)
        finally:
            with self._connections_lock:
                self._connections.discard(connection)
            connection.close()


class _Site:
    """One host: its service, its two listeners, and whether it is down."""

    def __init__(self, host: Host, ca: CertificateAuthority, secrets: pathlib.Path,
                 allow_basic_http: bool) -> None:
        self.host = host
        self.service = HostService(host)
        self.down = False
        self.listeners: list[Listener] = []
        accounts = NtlmAccounts(host, secrets)
        paths = ca.server_certificate(host.address, _dns_names(host))
        self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._tls.minimum_version = ssl.TLSVersion.TLSv1_2
        self._tls.load_cert_chain(paths.cert, paths.key)
        self._http = AuthPolicy(host, accounts, https=False, allow_basic_http=allow_basic_http)
        self._https = AuthPolicy(host, accounts, https=True, allow_basic_http=allow_basic_http,
                                 channel_bindings=tls_channel_bindings(paths.cert))

    def open(self) -> None:
        if self.listeners:
            return
        self.listeners = [Listener(self.service, self._http, None, self.host.spec.http_port),
                          Listener(self.service, self._https, self._tls,
                                   self.host.spec.https_port)]
        for listener in self.listeners:
            listener.start()

    def close(self) -> None:
        listeners, self.listeners = self.listeners, []
        _in_parallel([listener.close for listener in listeners])


class WsmanServer:
    """WinRM over HTTP and HTTPS for every host, with NTLM, Negotiate and Basic."""

    def __init__(self, hosts: Iterable[Host], *, allow_basic_http: bool = False,
                 cert_dir: str | pathlib.Path) -> None:
        self._ca = CertificateAuthority(cert_dir)
        self._secrets = tempfile.TemporaryDirectory(prefix="twin-ntlm-")
        self._sites = {h.name: _Site(h, self._ca, pathlib.Path(self._secrets.name),
                                     allow_basic_http) for h in hosts}
        self._lock = threading.Lock()
        self._started = False
        self._stopped = False

    @property
    def ca_cert_path(self) -> pathlib.Path:
        """PEM of the CA that signed every HTTPS listener's certificate."""
        return self._ca.cert_path

    def endpoint(self, name: str, https: bool = False) -> str:
        """The WinRM URL of a host, e.g. ``http://127.0.0.21:5985/wsman``."""
        host = self._sites[name].host
        port = host.spec.https_port if https else host.spec.http_port
        return f"{'https' if https else 'http'}://{host.address}:{port}/wsman"

    def start(self) -> "WsmanServer":
        with self._lock:
            if self._stopped:
                raise RuntimeError("a stopped WsmanServer cannot start again; make a new one")
            self._started = True
            for site in self._sites.values():
                if not site.down:
                    site.open()
        return self

    def stop(self) -> None:
        """Close every listener and connection, end every command, join every thread."""
        with self._lock:
            self._started, self._stopped = False, True
            _in_parallel([site.close for site in self._sites.values()])
            for site in self._sites.values():
                site.service.close()
        self._secrets.cleanup()

    def set_host_down(self, name: str, down: bool) -> None:
        """Down: the host refuses connections and its open ones are cut. Up: it listens again."""
        with self._lock:
            site = self._sites[name]
            if site.down == down and (site.listeners or down or not self._started):
                return  # no change: nothing to record
            site.down = down
            if down:
                site.close()
            elif self._started:
                site.open()
        site.host.timeline.record(name, "wsman.listeners_down" if down else "wsman.listeners_up")

    def __enter__(self) -> "WsmanServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _in_parallel(actions: list[Callable[[], None]]) -> None:
    """Run and join ``actions``: each listener's shutdown waits out a poll interval."""
    threads = [threading.Thread(target=action, daemon=True) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _dns_names(host: Host) -> tuple[str, ...]:
    """Host and computer names that are valid DNS names, for the certificate's SAN."""
    names = {host.name.lower(), host.spec.computer_name.lower()}
    return tuple(sorted(n for n in names
                        if n and all(part.isascii() and part.replace("-", "").isalnum()
                                     for part in n.split("."))))
