"""The install footprint of Power Operation on a host, and its discovery as the real script does it.

:func:`lay_down` writes what the installer and the Computer Setup Wizard leave behind: the
``SCADA Installs`` registry key, the bin folder, the data folders and ``citect.ini``.
:func:`discover` reads it back the way the collection's PowerShell does (registry, first
subkey, then ``citect.ini``), so a handler sees what a real host would show, including a
broken install when a test damages it. :class:`Install` reads and edits the live citect.ini.
"""

from __future__ import annotations

import dataclasses

from ..filesystem import FileSystem, FileSystemError
from ..registry import Registry, RegistryError
from . import ini
from .config import PowerOperationSpec

INSTALLS_KEY = "HKLM\\SOFTWARE\\WOW6432Node\\Citect\\SCADA Installs"
CTEDIT = "CtEdit"
# [CtEdit] keys that name folders, and the spec folder each comes from.
CTEDIT_FOLDERS = {"Config": "config", "Data": "data", "Copy": "copy", "Backup": "backup",
                  "Deploy": "deploy", "Logs": "logs", "User": "user"}
_BIN_FILES = ("Citect32.exe", "CtApi.dll", "CtEdit32.exe", "CtDraw32.exe", "CtExplor.exe")
#: Graphics Builder's automation server, registered by setup as COM registers a local server
#: (Microsoft, "<ProgID> Key": its CLSID subkey's default value names the class). *Twin
#: convention*: the class id; the product's own is not published.
GRAPHICS_BUILDER_PROGID = "GraphicsBuilder.Application"
GRAPHICS_BUILDER_CLSID = "{2C6E3C14-0B1E-4A52-9D1F-7A6F3C2B9E10}"


def pe_image(machine: int, name: str) -> bytes:
    """The first bytes of a PE image (Microsoft, "PE Format"): 'MZ', the PE signature's offset
    at 0x3C, 'PE\\0\\0', then the COFF header's Machine (0x14C x86, 0x8664 x64)."""
    header = bytearray(b"MZ" + bytes(0x3A) + (0x80).to_bytes(4, "little") + bytes(0x40))
    header += b"PE\0\0" + machine.to_bytes(2, "little") + bytes(18)
    return bytes(header) + name.encode("ascii")


@dataclasses.dataclass(frozen=True)
class InstallInfo:
    """What discovery found: the install key's name and the two values under it."""

    key_name: str
    ini_path: str
    bin_folder: str


def lay_down(spec: PowerOperationSpec, fs: FileSystem, registry: Registry,
             computer_name: str) -> None:
    key = f"{INSTALLS_KEY}\\{spec.install_key}"
    registry.set_value(key, "DefaultINIPath", spec.ini_path)
    registry.set_value(key, "BinFolder", spec.bin_folder)
    for name in _BIN_FILES:
        # The twin's installs are 32-bit, as Plant SCADA's CtApi.dll is (x86).
        fs.write(f"{spec.bin_folder}\\{name}", pe_image(0x14C, name))
    registry.set_value(f"HKLM\\SOFTWARE\\Classes\\{GRAPHICS_BUILDER_PROGID}\\CLSID", "",
                       GRAPHICS_BUILDER_CLSID)
    registry.set_value(f"HKLM\\SOFTWARE\\WOW6432Node\\Classes\\CLSID\\{GRAPHICS_BUILDER_CLSID}\\LocalServer32",
                       "", f"{spec.bin_folder}\\CtDraw32.exe")
    for folder in spec.folders.values():
        fs.mkdir(folder)
    ini.save(fs, spec.ini_path, _initial_ini(spec, computer_name))


def discover(registry: Registry, fs: FileSystem) -> InstallInfo | None:
    """The install the first ``SCADA Installs`` subkey names, or None when there is none."""
    try:
        names = registry.subkeys(INSTALLS_KEY)
        if not names:
            return None
        key = f"{INSTALLS_KEY}\\{names[0]}"
        return InstallInfo(names[0], str(registry.get_value(key, "DefaultINIPath")),
                           str(registry.get_value(key, "BinFolder")))
    except RegistryError:
        return None


class Install:
    """The live ``citect.ini`` of one install: every read goes to the file on the host."""

    def __init__(self, fs: FileSystem, ini_path: str) -> None:
        self.fs = fs
        self.ini_path = ini_path

    def ini(self) -> ini.IniDocument:
        return ini.load(self.fs, self.ini_path)

    def save_ini(self, document: ini.IniDocument) -> None:
        ini.save(self.fs, self.ini_path, document)

    def ctedit(self, key: str) -> str | None:
        """A ``[CtEdit]`` value, None when the file or the key is missing."""
        try:
            return self.ini().get(CTEDIT, key)
        except FileSystemError:
            return None

    def set_ctedit(self, key: str, value: str) -> None:
        document = self.ini()
        document.set(CTEDIT, key, value)
        self.save_ini(document)


def _initial_ini(spec: PowerOperationSpec, computer_name: str) -> ini.IniDocument:
    document = ini.IniDocument.parse(
        "; citect.ini written by the Power Operation Computer Setup Wizard\r\n")
    document.set(CTEDIT, "Bin", spec.bin_folder)
    for key, folder in CTEDIT_FOLDERS.items():
        document.set(CTEDIT, key, spec.folders[folder])
    document.set(CTEDIT, "Run", f"{spec.folders['user']}\\{spec.run_project}")
    document.set("CtAPI", "Remote", "1")
    document.set("LAN", "Node", computer_name)
    document.set("General", "ClusterName", spec.cluster)
    return document
