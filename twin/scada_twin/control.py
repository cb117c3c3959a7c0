"""The plant's control surface: a small JSON API on a loopback port, and its client.

Routes: ``GET /state``, ``GET /availability``, ``GET /redundancy``, ``GET /galaxies``, ``GET /stats``, ``GET /timeline?host=&kind=``, ``POST /faults`` (``{"host", "kind",
"count", "params"}``), ``DELETE /faults?host=&kind=``, ``POST /stop``. Used by the CLI, the
molecule scenarios and tests that run the twin in another process.
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable

from .plant import Plant


class ControlServer:
    def __init__(self, plant: Plant, port: int = 0, on_stop: Callable[[], None] | None = None) -> None:
        self.plant = plant
        self._on_stop = on_stop or (lambda: None)
        handler = type("Handler", (_Handler,), {"control": self})
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="twin-control",
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "ControlServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def request_stop(self) -> None:
        self._on_stop()


class _Handler(http.server.BaseHTTPRequestHandler):
    control: ControlServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the timeline is the record, not an access log."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        plant = self.control.plant
        if url.path == "/state":
            self._reply(200, plant.state())
        elif url.path == "/availability":
            self._reply(200, plant.availability())
        elif url.path == "/redundancy":
            self._reply(200, plant.redundancy())
        elif url.path == "/galaxies":
            self._reply(200, plant.galaxies_report())
        elif url.path == "/stats":
            self._reply(200, plant.stats())
        elif url.path == "/timeline":
            events = plant.timeline.events(query.get("host"), query.get("kind"))
            self._reply(200, [e.as_dict() for e in events])
        else:
            self._reply(404, {"error": f"no route {url.path}"})

    def do_POST(self) -> None:  # noqa: N802
        path = urllib.parse.urlsplit(self.path).path
        if path == "/stop":
            self._reply(200, {"stopping": True})
            threading.Thread(target=self.control.request_stop, daemon=True).start()
            return
        if path != "/faults":
            self._reply(404, {"error": f"no route {path}"})
            return
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            self.control.plant.inject(body["host"], body["kind"], body.get("count"),
                                      **(body.get("params") or {}))
        except (ValueError, KeyError, TypeError) as exc:
            self._reply(400, {"error": str(exc)})
            return
        self._reply(200, {"faults": self.control.plant.faults.listing()})

    def do_DELETE(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        try:
            self.control.plant.clear(query.get("host"), query.get("kind"))
        except KeyError as exc:
            self._reply(400, {"error": str(exc)})
            return
        self._reply(200, {"faults": self.control.plant.faults.listing()})

    def _reply(self, status: int, body: Any) -> None:
        data = json.dumps(body, sort_keys=True).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class ControlError(RuntimeError):
    """The control API refused a request; the message is its answer."""


class ControlClient:
    """Talks to a plant running in another process."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def state(self) -> dict[str, Any]:
        return self._call("GET", "/state")

    def availability(self) -> dict[str, Any]:
        return self._call("GET", "/availability")

    def redundancy(self) -> dict[str, Any]:
        return self._call("GET", "/redundancy")

    def galaxies(self) -> dict[str, Any]:
        return self._call("GET", "/galaxies")

    def stats(self) -> dict[str, dict[str, int]]:
        return self._call("GET", "/stats")

    def timeline(self, host: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        return self._call("GET", "/timeline" + _query(host=host, kind=kind))

    def inject(self, host: str, kind: str, count: int | None = None, **params: Any) -> Any:
        return self._call("POST", "/faults",
                          {"host": host, "kind": kind, "count": count, "params": params})

    def clear(self, host: str | None = None, kind: str | None = None) -> Any:
        return self._call("DELETE", "/faults" + _query(host=host, kind=kind))

    def stop(self) -> Any:
        return self._call("POST", "/stop")

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise ControlError(json.loads(exc.read() or b"{}").get("error", str(exc))) from exc


def _query(**params: str | None) -> str:
    present = {k: v for k, v in params.items() if v is not None}
    return "?" + urllib.parse.urlencode(present) if present else ""
