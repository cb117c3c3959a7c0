"""What a project's files look like: generated realistic sources and the include list file.

Real projects keep their tables in dBASE files (``variable.DBF`` tags, ``equip.DBF``
equipment, ``unit.DBF`` I/O devices, ...), graphics pages in ``*.ctg`` files and Cicode in
``*.ci``. The twin writes text stand-ins with the same names: handlers and the collection
only ever copy, hash and archive them, never parse them, with one exception:

``include.DBF`` lists the projects a project includes. The twin models it as a text file:
one project name per line; blank lines and lines starting with ';' are ignored.
"""

from __future__ import annotations

from typing import Iterable

from .config import PLS_INCLUDE

INCLUDE_FILE = "include.DBF"


def parse_includes(content: bytes) -> list[str]:
    names = []
    for line in content.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line and not line.startswith(";"):
            names.append(line)
    return names


def render_includes(includes: Iterable[str]) -> bytes:
    lines = ["; Included projects, one name per line"] + list(includes)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def default_files(name: str, includes: Iterable[str]) -> dict[str, bytes]:
    """A small, deterministic, realistic project named ``name``."""
    files = _library(name) if name.lower() == PLS_INCLUDE.lower() else _user_project(name)
    files[INCLUDE_FILE] = render_includes(includes)
    return {path: text.encode("utf-8") if isinstance(text, str) else text
            for path, text in files.items()}


def _user_project(name: str) -> dict[str, str | bytes]:
    feeders = [f"{name[:4].upper()}_FDR{n:02d}" for n in range(1, 9)]
    return {
        "variable.DBF": _table(("NAME", "TYPE", "UNIT", "ADDR", "ENG_UNITS"), [
            (f"{f}_{m}", "REAL", f"IODev_{i % 2 + 1}", f"%MW{100 + 10 * i + j}", u)
            for i, f in enumerate(feeders)
            for j, (m, u) in enumerate((("Ia", "A"), ("Vab", "V"), ("kW", "kW")))]),
        "equip.DBF": _table(("NAME", "TYPE", "IODEVICE", "COMMENT"), [
            (f, "PLS_Meter", f"IODev_{i % 2 + 1}", f"Feeder {i + 1}")
            for i, f in enumerate(feeders)]),
        "unit.DBF": _table(("NAME", "PROTOCOL", "ADDRESS", "PORT"), [
            ("IODev_1", "MODNET", "10.10.1.11", "502"),
            ("IODev_2", "MODNET", "10.10.1.12", "502")]),
        "digalm.DBF": _table(("TAG", "NAME", "VAR_A", "CATEGORY"), [
            (f"{f}_Trip", f"{f} breaker trip", f"{f}_Ia", "1") for f in feeders]),
        "trend.DBF": _table(("NAME", "EXPR", "SAMPLEPER", "FILES"), [
            (f"{f}_kW_Trend", f"{f}_kW", "00:00:10", "2") for f in feeders]),
        "pack.DBF": _table(("NAME", "VERSION"), [(name, "1.0.0")]),
        f"{name}.ci": (f"// {name} Cicode\r\nFUNCTION {name}_Startup()\r\n"
                       f"\tTraceMsg(\"{name} started\");\r\nEND\r\n"),
        "Overview.ctg": _page(name, "Overview", feeders),
        f"{name}_Feeders.ctg": _page(name, "Feeders", feeders),
    }


def _library(name: str) -> dict[str, str | bytes]:
    return {
        "equip.DBF": _table(("NAME", "TYPE", "COMMENT"), [
            ("PLS_Meter", "TEMPLATE", "Power meter equipment type"),
            ("PLS_Breaker", "TEMPLATE", "Circuit breaker equipment type")]),
        "PLS_Alarm.ci": "// PLS_Include alarm helpers\r\nINT FUNCTION PLS_AlarmCount()\r\n"
                        "\tRETURN AlarmCount(\"*\", 0);\r\nEND\r\n",
        "PLS_Templates.ctg": _page(name, "Templates", ["PLS_Meter", "PLS_Breaker"]),
    }


def _table(columns: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    return "\r\n".join(",".join(row) for row in [columns, *rows]) + "\r\n"


def _page(project: str, page: str, objects: list[str]) -> bytes:
    """A stand-in for a binary graphics page: a header and one record per object."""
    header = f"CTG1\0{project}\0{page}\0".encode("utf-8")
    return header + b"".join(f"OBJ\0{i:04d}\0{o}\0".encode("utf-8") for i, o in enumerate(objects))
