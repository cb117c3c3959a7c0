"""One simulated Windows host: its identity, accounts, file system and installed products.

The model knows nothing of WS-Management; the transport asks it to authenticate users and to
start commands, and handlers change its state through it.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from typing import Callable

from .costs import CostModel
from .faults import FaultPlan
from .filesystem import FileSystem
from . import power_operation, system_platform
from .processes import ProcessTable
from .registry import Registry
from .scheduler import Scheduler
from .services import WINDOWS_BASELINE, ServiceManager
from .shell.process import Process
from .spec import HostSpec
from .stats import RequestStats
from .timeline import Timeline


FRAMEWORK_CSC = "C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\csc.exe"
POWERSHELL = "WindowsPowerShell\\v1.0\\powershell.exe"
DOTNET_KEY = "HKLM\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full"


class Host:
    def __init__(self, spec: HostSpec, costs: CostModel, timeline: Timeline,
                 faults: FaultPlan) -> None:
        self.spec = spec
        self.name = spec.name
        self.costs = costs
        self.timeline = timeline
        self.faults = faults
        self.lock = threading.RLock()
        self.fs = FileSystem(spec.disk_total_bytes, spec.disk_free_bytes,
                             disk_full=lambda: faults.active(spec.name, "disk_full") is not None)
        self.fs.mkdir("C:\\Windows\\Temp")
        # .NET Framework 4.x, which Windows Server 2016-2022 include, brings its C# compiler
        # (Microsoft, "Command-line build with csc.exe").
        self.fs.write(FRAMEWORK_CSC, b"MZ twin csc.exe")
        # Windows PowerShell 5.1 in both bitnesses on a 64-bit Windows (System32 is 64-bit,
        # SysWOW64 32-bit: Microsoft, "File System Redirector").
        for folder in ("System32", "SysWOW64"):
            self.fs.write(f"C:\\Windows\\{folder}\\{POWERSHELL}", b"MZ twin powershell.exe")
        self.fs.mkdir(spec.data_drive + "\\")
        for path, text in spec.files.items():
            self.fs.write(path, text.encode("utf-8"))
        self.commands_started = 0
        self.stats = RequestStats()  # what the WinRM service did, for the benchmarks
        # Timed transitions (services, runtime processes) run on the host's scheduler.
        self.scheduler = Scheduler(costs, name=f"{spec.name}-scheduler")
        self.registry = Registry()
        # .NET Framework 4.x's release (Microsoft, "How to: Determine which .NET Framework
        # versions are installed").
        self.registry.set_value(DOTNET_KEY, "Release", int(spec.windows["dotnet_release"]), "REG_DWORD")
        # A file type Windows registers for itself: .txt is a txtfile (Microsoft, "File Types").
        self.registry.set_value("HKLM\\SOFTWARE\\Classes\\.txt", "", "txtfile")
        self.processes = ProcessTable()  # what the agent's process verbs see by id
        self.services = ServiceManager(spec.name, self.scheduler, timeline)
        for name, display_name in WINDOWS_BASELINE:
            self.services.add(name, display_name, status="Running", start_type="Automatic")
        # A modelled restart powers the host off for a while; the plant closes its listeners.
        self.powered_off = False
        self.booting = False  # powered on, Windows starting: its address dark until WinRM is up
        self._power_lock = threading.Lock()  # not self.lock: models call this holding theirs
        self._power_listeners: list[Callable[[str, bool], None]] = []
        self.power_operation = power_operation.create(self)  # None when not installed
        self.system_platform = system_platform.create(self)  # None when not installed

    def close(self) -> None:
        """Stop the host's timed transitions (the plant calls this when it stops)."""
        self.scheduler.stop()

    def on_power_change(self, listener: Callable[[str, bool], None]) -> None:
        """Call ``listener(host_name, powered_off)`` after every power change."""
        self._power_listeners.append(listener)

    def set_powered_off(self, powered_off: bool) -> None:
        """Power the host off (a restart's down time) or on again; a ``host.power`` event."""
        with self._power_lock:
            if self.powered_off == powered_off:
                return
            self.powered_off = powered_off
        self.timeline.record(self.name, "host.power", powered_off=powered_off)
        for listener in self._power_listeners:
            listener(self.name, powered_off)

    def set_booting(self, booting: bool) -> None:
        """While a host boots, its address answers nothing (not even a refusal); a
        ``host.boot`` event."""
        with self._power_lock:
            if self.booting == booting:
                return
            self.booting = booting
        self.timeline.record(self.name, "host.boot", state="started" if booting else "ended")
        for listener in self._power_listeners:
            listener(self.name, self.powered_off)

    def dark(self) -> bool:
        """Whether the host's address swallows packets: booting, or the ``blackhole`` fault."""
        return self.booting or self.faults.active(self.name, "blackhole") is not None

    def last_boot(self) -> str:
        """Win32_OperatingSystem.LastBootUpTime in UTC, round-trip format. *Twin convention*:
        one minute past 2026-01-01 per time the host came back on, so each boot differs."""
        ups = [e for e in self.timeline.events(host=self.name, kind="host.power")
               if not e.data.get("powered_off")]
        booted = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc) + \
            datetime.timedelta(minutes=len(ups))
        return booted.strftime("%Y-%m-%dT%H:%M:%S.0000000Z")

    # -- what the transport needs ----------------------------------------------------------
    @property
    def address(self) -> str:
        return self.spec.address

    def check_password(self, user: str, password: str) -> bool:
        """Basic authentication: ``user`` may be 'DOMAIN\\user', 'user@domain' or 'user'."""
        name = user.split("\\")[-1].split("@")[0].lower()
        return any(a.user.lower() == name and a.password == password for a in self.spec.accounts)

    def ntlm_user_lines(self) -> list[str]:
        """Lines for pyspnego's NTLM_USER_FILE: 'DOMAIN:USER:PASSWORD'."""
        return [f"{a.domain}:{a.user}:{a.password}" for a in self.spec.accounts]

    def start_command(self, command: str, arguments: list[str], user: str) -> Process:
        """Start what a WinRS Command asked for; see ``shell.dispatch``."""
        from .shell import dispatch  # late import: dispatch imports the operation handlers

        line = " ".join([command, *arguments])
        with self.lock:
            self.commands_started += 1
        # The hash, not the text: tests prove the command line is constant across parameter
        # values, and the timeline never holds what a command carried.
        self.timeline.record(self.name, "winrs.command", user=user,
                             command_sha256=hashlib.sha256(line.encode("utf-8")).hexdigest())
        return dispatch.start_command(self, command, arguments, user)

    def start_script(self, script: str, arguments: list[str], user: str) -> Process:
        """Run a script a PowerShell remoting pipeline carries, in the session's runspace (no
        powershell.exe, no console); see ``shell.dispatch``."""
        from .shell import dispatch

        with self.lock:
            self.commands_started += 1
        self.timeline.record(self.name, "psrp.pipeline", user=user,
                             script_sha256=hashlib.sha256(script.encode("utf-8")).hexdigest())
        return dispatch.start_script(self, script, arguments, user, console=False)
