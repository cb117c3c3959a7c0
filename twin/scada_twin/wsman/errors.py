"""The WS-Management faults the twin answers with, worded and numbered as Windows does.

Clients act on the numbers: pywinrm turns WSManFault 2150858793 into
WinRMOperationTimeoutError and polls again; ansible-core re-creates its shell on WMI error
0x803381A6 and retries a Send on fault 170. The texts are Windows' own, so error messages
in logs read as they would against a plant server.
"""

from __future__ import annotations

OPERATION_TIMEOUT = 2150858793  # 0x80338029 ERROR_WSMAN_OPERATION_TIMEDOUT
INVALID_SELECTORS = 2150858843  # 0x8033805B shell or command id not found
QUOTA_MAX_OPERATIONS = 0x803381A6
QUOTA_MAX_SHELLS = 0x803381A5
ERROR_BUSY = 170
RESOURCE_NOT_FOUND = 0x80338000
ACTION_NOT_SUPPORTED = 0x80338013
INVALID_SOAP_BODY = 0x80338027
PROVIDER_FAILURE = 0x80338003

_INVALID_SELECTORS_REASON = ("The WS-Management service cannot process the request because the "
                             "request contained invalid selectors for the resource. ")


class WsmanFault(Exception):
    """A WS-Management fault, answered as a SOAP fault (HTTP 500 unless said otherwise).

    ``wsman_code`` becomes ``f:WSManFault/@Code`` (what pywinrm reports as wsman_fault_code
    and pypsrp as code); ``wmi_code`` becomes ``MSFT_WmiError/error_Code`` (pywinrm's
    wmierror_code).
    """

    def __init__(self, code: str, subcode: str, reason: str, *, message: str | None = None,
                 wsman_code: int | None = None, wmi_code: int | None = None,
                 http_status: int = 500) -> None:
        super().__init__(reason)
        self.code = code
        self.subcode = subcode
        self.reason = reason
        self.message = message or reason
        self.wsman_code = wsman_code
        self.wmi_code = wmi_code
        self.http_status = http_status


def operation_timeout() -> WsmanFault:
    return WsmanFault("s:Receiver", "w:TimedOut",
                      "The WS-Management service cannot complete the operation within the time "
                      "specified in OperationTimeout.  ", wsman_code=OPERATION_TIMEOUT)


def shell_not_found(shell_id: str) -> WsmanFault:
    return WsmanFault("s:Sender", "w:InvalidSelectors", _INVALID_SELECTORS_REASON,
                      message=f"The request for the Windows Remote Shell with ShellId {shell_id} "
                      "failed because the shell was not found on the server. Possible causes "
                      "are: the specified ShellId is incorrect or the shell no longer exists on "
                      "the server. Provide the correct ShellId or create a new shell and retry "
                      "the operation. ", wsman_code=INVALID_SELECTORS)


def command_not_found(command_id: str) -> WsmanFault:
    return WsmanFault("s:Sender", "w:InvalidSelectors", _INVALID_SELECTORS_REASON,
                      message="The Windows Remote Shell received a request to perform an "
                      "operation on a command identifier that does not exist. Either the command "
                      "has completed execution or the client specified an invalid command "
                      f"identifier. ({command_id})", wsman_code=INVALID_SELECTORS)


def quota_exceeded(limit: int = 1500) -> WsmanFault:
    return WsmanFault("s:Receiver", "w:InternalError",
                      "The WS-Management service cannot process the request. This user is "
                      f"allowed a maximum number of {limit} concurrent operations, which has "
                      "been exceeded. Close existing operations for this user, or raise the "
                      "quota for this user. ", wmi_code=QUOTA_MAX_OPERATIONS)


def shells_exceeded(limit: int) -> WsmanFault:
    return WsmanFault("s:Receiver", "w:InternalError",
                      "The WS-Management service cannot process the request. This user is "
                      f"allowed a maximum number of {limit} concurrent shells, which has been "
                      "exceeded. Close existing shells or raise the quota for this user. ",
                      wmi_code=QUOTA_MAX_SHELLS)


def busy() -> WsmanFault:
    return WsmanFault("s:Receiver", "w:InternalError", "The requested resource is in use. ",
                      wsman_code=ERROR_BUSY)


def unknown_resource(resource_uri: str) -> WsmanFault:
    return WsmanFault("s:Sender", "w:DestinationUnreachable",
                      "The WS-Management service cannot process the request. The resource URI "
                      f"({resource_uri}) was not found in the WS-Management catalog. ",
                      wsman_code=RESOURCE_NOT_FOUND)


def action_not_supported(action: str) -> WsmanFault:
    return WsmanFault("s:Sender", "a:ActionNotSupported",
                      "The WS-Management service does not support the specified action. "
                      f"({action})", wsman_code=ACTION_NOT_SUPPORTED)


def invalid_envelope(detail: str) -> WsmanFault:
    return WsmanFault("s:Sender", "w:InvalidBody",
                      "The WS-Management service cannot process the request because the request "
                      f"packet does not have a valid SOAP body. ({detail})",
                      wsman_code=INVALID_SOAP_BODY, http_status=400)


def provider_failure(detail: str) -> WsmanFault:
    return WsmanFault("s:Receiver", "w:InternalError",
                      f"An error was encountered inside the plugin. ({detail})",
                      wsman_code=PROVIDER_FAILURE)
