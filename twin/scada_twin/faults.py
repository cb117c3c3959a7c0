"""Injected faults: the transport and the host models consult this before acting.

A fault is armed for one host and kind, optionally for a limited number of hits and with
parameters (for ``slow``: extra seconds; for ``operation_fails``: the operation name and the
message). ``take`` consumes one hit and returns the fault's parameters, or None.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

#: The fault kinds the twin understands, with what each does.
KINDS = {
    "down": "the host dies (powered off, crashed): its listeners refuse connections and its "
            "Power Operation partner takes control once its MonitorRequestTimeout has passed",
    "blackhole": "the host's address swallows packets (a partition, a firewall dropping): "
                 "connections are accepted and nothing is answered, so each request waits out "
                 "the client's read timeout; when the fault clears, those connections are reset",
    "reset_during_command": "the TCP connection is closed while a command is running; with "
                            "`terminate: true` the host also ends that command, as when WinRM "
                            "drops the shell's processes",
    "slow": "every request to the host takes `seconds` longer",
    "quota": "the next Command answers WS-Man fault 0x803381A6 (quota exceeded)",
    "busy": "the next Send answers WS-Man fault 170 (busy)",
    "disk_full": "writes on the host's file system fail with 'not enough space'",
    "corrupt_transfer": "a chunk of a file sent to the host (file_append) arrives with one "
                        "byte changed after the sender took its SHA-256 (consumed once per "
                        "chunk)",
    "operation_fails": "the named step (`operation`) fails with `message`",
    "verb_breaks_contract": "every answer of the named verb (`verb`) has each value changed "
                            "(text gains a character, numbers grow by one, true and false "
                            "swap): a host that breaks the verb's contract, for proving that "
                            "the conformance suite notices",
    # Power Operation (see scada_twin.power_operation): without `project` / `process` a fault
    # matches every project / process.
    "compile_error": "compiling `project` (or a project including it) reports `messages`: a "
                     "list of {type: ERROR|FATAL|WARNING, record, name, field, table, error, "
                     "context}; ERROR/FATAL fail the compile; consumed once per compile",
    "po_process_exception": "runtime process `process` goes to Exception instead of Running "
                            "(consumed once per start attempt)",
    "po_process_stuck_starting": "runtime process `process` never leaves Starting "
                                 "(consumed once per start attempt)",
    # System Platform (see scada_twin.system_platform): without `engine` / `object` a fault
    # matches every engine / object on the host.
    "sp_unreachable": "the galaxy cannot reach the host's platform: deploys to it fail, and "
                      "so does deploying the redundant partner of an engine on it",
    "sp_not_ready_to_sync": "engine `engine` on the host is not ready to sync: deploying its "
                            "redundant partner fails; as a standby it stays Standby - Not Ready",
    "sp_deploy_fails": "deploying `object` (on the host) fails with `message` (consumed once)",
    "sp_install_fails": "System Platform setup on the host fails with `message` after running "
                        "(exit 1603, no rollback; consumed once per setup)",
    "sp_setup_pending_restart": "System Platform setup on the host stops at once: a restart "
                                "is pending (exit 1603)",
    "sp_migrate_fails": "migrating the galaxy on this GR host fails with `message` "
                        "(consumed once)",
    "sp_backup_fails": "backing the galaxy up on this GR host fails with `message` "
                       "(consumed once)",
}


@dataclasses.dataclass
class Fault:
    kind: str
    host: str
    params: dict[str, Any]
    remaining: int | None  # None: until cleared


class FaultPlan:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def inject(self, host: str, kind: str, count: int | None = None, **params: Any) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(sorted(KINDS))}")
        with self._lock:
            self._faults.append(Fault(kind, host, params, count))

    def clear(self, host: str | None = None, kind: str | None = None) -> None:
        with self._lock:
            self._faults = [f for f in self._faults
                            if not ((host is None or f.host == host)
                                    and (kind is None or f.kind == kind))]

    def active(self, host: str, kind: str, **match: Any) -> dict[str, Any] | None:
        """The parameters of a matching fault, without consuming a hit."""
        with self._lock:
            fault = self._find(host, kind, match)
            return dict(fault.params) if fault else None

    def take(self, host: str, kind: str, **match: Any) -> dict[str, Any] | None:
        """Consume one hit of a matching fault and return its parameters."""
        with self._lock:
            fault = self._find(host, kind, match)
            if fault is None:
                return None
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
            return dict(fault.params)

    def listing(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dataclasses.asdict(f) for f in self._faults]

    def _find(self, host: str, kind: str, match: dict[str, Any]) -> Fault | None:
        for fault in self._faults:
            if fault.host == host and fault.kind == kind and all(
                    fault.params.get(k) == v for k, v in match.items() if k in fault.params):
                return fault
        return None
