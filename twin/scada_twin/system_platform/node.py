"""One host's System Platform: installed software, setup, restart, SMS, load-balancing values.

:meth:`Node.install` models setup.exe upgrading the node with Application Server "deployed
but shut down": the node's platform shuts down (its engines stop; an active one hands over
to its partner), setup runs, then the platform and its engines are unregistered (Not
Deployed; objects that no running engine serves become undeployed too), the software
version changes and a restart is pending. Until :meth:`Node.reboot` the node refuses
deploys. A reboot takes the host down for a modelled time (``host.set_powered_off``: the
plant closes its WS-Management listeners) and restarts a deployed platform afterwards.

Setup's outcome is an exit code (twin convention after Windows Installer: 0 done, 3010 done
and a restart is required, 1603 failed, 1618 another setup is running) with a message.
Setup fails without ``OutOfSupportRedistConsentForm.SRedistConsent=true`` in the response
file, on a pending restart, on a downgrade, and on the ``sp_install_fails`` fault; there is
no rollback of an upgrade that failed half way.

The SMS settings are the installer configurator's ``Common Platform.ASBRuntime.
ManagementServerName`` / ``...Port``; where the product stores them is not documented, so
the twin keeps them on the node only. CPU load balancing lives in the registry
(:data:`LOAD_BALANCING_KEY`), as on a real node.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Mapping

from . import states
from .config import SystemPlatformSpec
from .errors import InstallError
from .operation import Operation

if TYPE_CHECKING:
    from ..host import Host
    from .galaxy import Galaxy
    from .objects import Platform

LOAD_BALANCING_KEY = "HKLM\\SOFTWARE\\Wow6432Node\\ArchestrA\\Framework\\EngineFailoverStartup"
ENABLE_CPU_BALANCING = "EnableCPUBalancing"
OBJECTS_PER_GROUP = "LoadObjectsNumberPerGroup"
LOAD_BALANCING_DEFAULTS = {ENABLE_CPU_BALANCING: 0, OBJECTS_PER_GROUP: 50}

CONSENT_KEY = "OutOfSupportRedistConsentForm.SRedistConsent"
SMS_SERVER_KEY = "Common Platform.ASBRuntime.ManagementServerName"
SMS_PORT_KEY = "Common Platform.ASBRuntime.ManagementServerPort"
INSTALL_DIR_KEY = "FeatureForm.SInstallDir"

#: Windows Installer's Add/Remove Programs entry of the product; setup keeps it current.
#: (Microsoft, "Uninstall Registry Key": DisplayName, DisplayVersion, InstallLocation.)
UNINSTALL_KEY = ("HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\"
                 "{AVEVA-System-Platform}")

SMS_KEY = "HKLM\\SOFTWARE\\WOW6432Node\\ArchestrA\\Framework\\ASBRuntime"
SMS_SERVER_VALUE = "ManagementServerName"
SMS_PORT_VALUE = "ManagementServerPort"
SESSION_MANAGER_KEY = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager"
PENDING_RENAMES = "PendingFileRenameOperations"

EXIT_OK = 0
EXIT_RESTART_REQUIRED = 3010
EXIT_FAILED = 1603
EXIT_ANOTHER_SETUP = 1618

# Modelled seconds (engineering estimates; the vendor publishes none): an in-place upgrade of
# System Platform takes tens of minutes, a Windows Server restart a few minutes, of which the
# last minute or so (firmware, boot, until the network stack and WinRM start) the server's
# address answers nothing at all.
DURATIONS = {"sp_install": 1200.0, "sp_reboot": 180.0, "sp_boot_dark": 60.0}


#: The GRAccess library a System Platform node has, at its documented default path (AVEVA,
#: "GRAccess Toolkit"); the collection's helper is compiled against it.
GRACCESS_DLL = "C:\\Program Files (x86)\\Common Files\\ArchestrA\\ArchestrA.GRAccess.dll"
#: The same assembly in .NET 4's 32-bit global assembly cache, where an x86 process loads it
#: from (Microsoft, "Global Assembly Cache"). *Twin convention*: its version folder.
GRACCESS_GAC = ("C:\\Windows\\Microsoft.NET\\assembly\\GAC_32\\ArchestrA.GRAccess\\"
                "v4.0_1.0.0.0__23106a86e706d0ae\\ArchestrA.GRAccess.dll")

class Node:
    def __init__(self, spec: SystemPlatformSpec, host: "Host") -> None:
        self.spec = spec
        self.host = host
        self.host_name = host.name
        self.role = spec.role
        self.software_version = spec.version
        self.install_location = spec.install_location
        self._pending_restart = False
        self.pending_restart = spec.pending_restart
        self.installing = False
        self.rebooting = False
        self.historizing = spec.historizing
        self._sms: dict[str, Any] | None = None
        self.sms = None if spec.sms is None else {"server": spec.sms.server, "port": spec.sms.port}
        self.lock: threading.RLock = threading.RLock()  # the galaxy's lock once wired
        self.platform: "Platform | None" = None       # set by the galaxy
        self.galaxy: "Galaxy | None" = None           # the galaxy this node belongs to
        self.last_install: dict[str, Any] | None = None
        self._write_load_balancing(spec.load_balancing.enabled,
                                   spec.load_balancing.objects_per_group)
        self._write_uninstall_entry()
        self.host.fs.write(GRACCESS_DLL, b"MZ twin ArchestrA.GRAccess")
        self.host.fs.write(GRACCESS_GAC, b"MZ twin ArchestrA.GRAccess")

    @property
    def sms(self) -> dict[str, Any] | None:
        return self._sms

    @sms.setter
    def sms(self, sms: dict[str, Any] | None) -> None:
        """The configurator writes the System Management Server it is given into the node's
        registry. *Twin convention*: under :data:`SMS_KEY` (where the product keeps it is not
        documented; it is the sms_check module's default)."""
        self._sms = sms
        if sms is not None:
            self.host.registry.set_value(SMS_KEY, SMS_SERVER_VALUE, str(sms["server"]))
            self.host.registry.set_value(SMS_KEY, SMS_PORT_VALUE, int(sms.get("port") or 443),
                                         "REG_DWORD")

    @property
    def pending_restart(self) -> bool:
        return self._pending_restart

    @pending_restart.setter
    def pending_restart(self, pending: bool) -> None:
        """Setup that replaced files in use leaves them for the next boot: Windows keeps them
        in Session Manager's PendingFileRenameOperations until then (Microsoft, MoveFileExW,
        MOVEFILE_DELAY_UNTIL_REBOOT), which is what a restart check reads."""
        self._pending_restart = bool(pending)
        registry = self.host.registry
        if pending:
            registry.set_value(SESSION_MANAGER_KEY, PENDING_RENAMES,
                               ["\\??\\C:\\Program Files (x86)\\ArchestrA\\Framework\\Bin\\aaBootstrap.exe", ""],
                               "REG_MULTI_SZ")
        elif registry.key_exists(SESSION_MANAGER_KEY) and any(
                v.name.lower() == PENDING_RENAMES.lower() for v in registry.values(SESSION_MANAGER_KEY)):
            registry.delete_value(SESSION_MANAGER_KEY, PENDING_RENAMES)

    # -- reachability ----------------------------------------------------------------------
    @property
    def reachable(self) -> bool:
        """Whether the galaxy can talk to this node's platform (up, no network fault)."""
        faults = self.host.faults
        return not (self.host.powered_off or self.rebooting
                    or faults.active(self.host_name, "down") is not None
                    or faults.active(self.host_name, "sp_unreachable") is not None)

    def deploy_blocker(self) -> str | None:
        """Why a deploy to this node cannot run now, or None."""
        if not self.reachable:
            return f"node {self.host_name} is not reachable"
        if self.installing:
            return f"setup is running on node {self.host_name}"
        if self.pending_restart:
            return f"node {self.host_name} must restart to complete the software installation"
        return None

    # -- setup -----------------------------------------------------------------------------
    def install(self, version: str, response: Mapping[str, Any]) -> Operation:
        """Run setup to install or upgrade to ``version`` with a response file's keys."""
        states.parse_version(version)
        with self.lock:
            if self.host.powered_off or self.rebooting:
                raise InstallError(f"node {self.host_name} is not running")
            op = Operation("install", self.host.scheduler, self.lock)
            op.data.update(from_version=self.software_version, to_version=version,
                           exit_code=None, restart_required=False, changed=False)
            response = dict(response)
            refusal = self._setup_refusal(version, response)
            if refusal is None and states.older(self.software_version, version):
                self.installing = True  # at once: a second setup or a restart is refused
            op.add([self._install(op, version, response, refusal)])
            return op.start()

    def reboot(self) -> Operation:
        """Restart the node: down for ``sp_reboot`` modelled seconds, then up again."""
        with self.lock:
            if self.installing:
                raise InstallError(f"setup is running on node {self.host_name}")
            if self.rebooting:
                raise InstallError(f"node {self.host_name} is already restarting")
            op = Operation("reboot", self.host.scheduler, self.lock)
            self.rebooting = True
            op.add([self._reboot(op)])
            return op.start()

    def _write_uninstall_entry(self) -> None:
        registry = self.host.registry
        registry.set_value(UNINSTALL_KEY, "DisplayName", self.spec.display_name)
        registry.set_value(UNINSTALL_KEY, "DisplayVersion", self.software_version)
        registry.set_value(UNINSTALL_KEY, "InstallLocation", self.install_location)

    # -- load balancing, SMS ---------------------------------------------------------------
    def load_balancing(self) -> dict[str, Any]:
        """The registry values now, with the vendor defaults for absent ones."""
        values = dict(LOAD_BALANCING_DEFAULTS)
        configured = {}
        registry = self.host.registry
        if registry.key_exists(LOAD_BALANCING_KEY):
            for value in registry.values(LOAD_BALANCING_KEY):
                for name in LOAD_BALANCING_DEFAULTS:
                    if value.name.lower() == name.lower():
                        values[name] = int(value.data)
                        configured[name] = int(value.data)
        return {"enabled": bool(values[ENABLE_CPU_BALANCING]),
                "objects_per_group": values[OBJECTS_PER_GROUP], "configured": configured}

    def cpu_balancing_active(self) -> bool:
        """Enabled in the registry and supported by the installed software (2023 R2 SP1+)."""
        return self.load_balancing()["enabled"] and not states.older(
            self.software_version, states.CPU_BALANCING_FROM)

    def warnings(self) -> list[str]:
        """What the vendor warns about on this node (SMS missing on a historizing redundant node)."""
        hosts_pair = self.platform is not None and self.galaxy is not None and any(
            e.pair is not None for e in self.galaxy.engines_on(self.platform))
        if (self.historizing and hosts_pair and self.sms is None
                and not states.older(self.software_version, states.SMS_REQUIRED_FROM)):
            return [f"node {self.host_name} historizes and hosts a redundant engine but is not "
                    f"configured to use the System Management Server: secure HCAP cannot "
                    f"synchronize, data will be lost"]
        return []

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"host": self.host_name, "role": self.role,
                    "software_version": self.software_version,
                    "install_location": self.install_location,
                    "pending_restart": self.pending_restart, "installing": self.installing,
                    "rebooting": self.rebooting, "reachable": self.reachable,
                    "historizing": self.historizing, "sms": self.sms,
                    "load_balancing": self.load_balancing(),
                    "platform": self.platform.name if self.platform else None,
                    "galaxy": self.galaxy.name if self.galaxy else None,
                    "warnings": self.warnings()}

    # -- steps -----------------------------------------------------------------------------
    def _install(self, op: Operation, version: str, response: dict[str, Any],
                 refusal: tuple[int, str] | None):
        record = self.host.timeline.record
        if refusal is not None:
            code, message = refusal
            op.error, op.data["exit_code"] = message, code
            record(self.host_name, "sp.install", state="failed", exit_code=code,
                   from_version=self.software_version, to_version=version, message=message)
            return
        if not states.older(self.software_version, version):  # same version: nothing to do
            op.data["exit_code"] = EXIT_OK
            return
        record(self.host_name, "sp.install", state="started", from_version=self.software_version,
               to_version=version)
        # Application Server "deployed but shut down": the platform stops first.
        if self.galaxy is not None and self.platform is not None:
            yield self.galaxy.shutdown_platform(self.platform)
        yield self._cost("sp_install")
        fault = self.host.faults.take(self.host_name, "sp_install_fails")
        if fault is not None:
            self.installing = False
            message = str(fault.get("message") or "setup failed (injected)")
            op.error, op.data["exit_code"] = message, EXIT_FAILED
            record(self.host_name, "sp.install", state="failed", exit_code=EXIT_FAILED,
                   from_version=self.software_version, to_version=version, message=message)
            return
        if self.galaxy is not None and self.platform is not None:
            self.galaxy.unregister_platform(self.platform)
        previous, self.software_version = self.software_version, version
        self.install_location = str(response.get(INSTALL_DIR_KEY) or self.install_location)
        if response.get(SMS_SERVER_KEY):
            self.sms = {"server": str(response[SMS_SERVER_KEY]),
                        "port": int(response.get(SMS_PORT_KEY) or 443)}
        self.last_install = {"version": version, "keys": sorted(response)}
        self._write_uninstall_entry()
        self.installing = False
        self.pending_restart = True
        op.data.update(exit_code=EXIT_RESTART_REQUIRED, restart_required=True, changed=True)
        record(self.host_name, "sp.install", state="succeeded", from_version=previous,
               to_version=version, exit_code=EXIT_RESTART_REQUIRED)
        if self.galaxy is not None:
            self.galaxy.software_changed(self)

    def _setup_refusal(self, version: str, response: dict[str, Any]) -> tuple[int, str] | None:
        if self.installing:
            return EXIT_ANOTHER_SETUP, f"another setup is running on node {self.host_name}"
        consent = str(response.get(CONSENT_KEY, "")).strip().lower()
        if consent != "true":
            return EXIT_FAILED, f"setup requires {CONSENT_KEY}=true in the response file"
        if self.pending_restart or self.host.faults.active(
                self.host_name, "sp_setup_pending_restart") is not None:
            return EXIT_FAILED, (f"a restart is pending on node {self.host_name}: restart it "
                                 f"before running setup")
        if states.older(version, self.software_version):
            return EXIT_FAILED, (f"version {self.software_version} is installed; setup does "
                                 f"not downgrade to {version}")
        return None

    def _reboot(self, op: Operation):
        record = self.host.timeline.record
        record(self.host_name, "sp.reboot", state="started")
        if self.galaxy is not None and self.platform is not None:
            self.galaxy.node_down(self)
        # WinRM stops with Windows (connections refused), then the server is dark while it
        # boots (nothing answers: each client attempt waits out its timeout), then it is up.
        down = self._cost("sp_reboot")
        dark = min(down, self._cost("sp_boot_dark"))
        self.host.set_powered_off(True)
        yield down - dark
        self.host.set_booting(True)  # powered on again, Windows booting
        self.host.set_powered_off(False)
        yield dark
        self.host.set_booting(False)
        self.rebooting = False
        self.pending_restart = False
        record(self.host_name, "sp.reboot", state="completed")
        if self.galaxy is not None:
            self.galaxy.node_up(self)

    def _write_load_balancing(self, enabled: bool | None, per_group: int | None) -> None:
        if enabled is not None:
            self.host.registry.set_value(LOAD_BALANCING_KEY, ENABLE_CPU_BALANCING,
                                         int(enabled), "REG_DWORD")
        if per_group is not None:
            self.host.registry.set_value(LOAD_BALANCING_KEY, OBJECTS_PER_GROUP, per_group,
                                         "REG_DWORD")

    def _cost(self, name: str) -> float:
        return self.host.costs.operation(name, DURATIONS[name])
