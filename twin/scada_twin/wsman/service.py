"""One host's WS-Management service behind authentication: pacing, routing, faults.

The HTTP layer hands it a plain SOAP request from an authenticated user; it answers with an
HTTP status and a SOAP envelope. Every WS-Man fault raised below becomes the SOAP fault
Windows would send, so the HTTP layer never needs to know about XML.
"""

from __future__ import annotations

from ..host import Host
from ..stats import HTTP_REQUESTS
from . import errors, soap
from .runspace import POWERSHELL_URI
from .winrs import SHELL_URI, RequestContext, WinRS


class HostService:
    def __init__(self, host: Host) -> None:
        self.host = host
        self.winrs = WinRS(host)

    def pace(self) -> None:
        """The modelled cost of one request: network and service latency, plus ``slow``."""
        self.host.stats.count(HTTP_REQUESTS)
        slow = self.host.faults.active(self.host.name, "slow") or {}
        self.host.costs.sleep(self.host.costs.request_latency + float(slow.get("seconds", 0.0)))

    def handle(self, data: bytes, context: RequestContext) -> tuple[int, bytes]:
        """HTTP status and SOAP envelope answering ``data``; ConnectionReset propagates."""
        relates_to = None
        try:
            request = soap.parse_request(data)
            relates_to = request.message_id
            if request.resource_uri.lower() not in (SHELL_URI, POWERSHELL_URI):
                raise errors.unknown_resource(request.resource_uri)
            return 200, self.winrs.handle(request, context)
        except errors.WsmanFault as fault:
            return fault.http_status, soap.fault_envelope(fault, relates_to,
                                                          self.host.spec.computer_name)

    def close(self) -> None:
        self.winrs.close()
