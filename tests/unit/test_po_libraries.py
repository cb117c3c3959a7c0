"""The controller's readers of Power Operation files: citect.ini, dBASE tables, fingerprints
and the project catalog, on bytes as a host's verbs return them."""

from __future__ import annotations

import base64
import codecs
import struct

import pytest

from ansible_collections.scada.redundancy.plugins.plugin_utils import _dbf, _fingerprint
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import record_state
from ansible_collections.scada.redundancy.plugins.plugin_utils._citect_ini import IniDocument, ansi_codec
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_compile import parse_messages
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_install import Install
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_projects import Catalog
from scada_twin.power_operation import fingerprint as reference

INI = b"; site\r\n[CtEdit]\r\nUser=C:\\Projects\r\nRun = C:\\Projects\\Plant ; not a comment\r\n\r\n[Alarm]\r\nPrimary=1\r\n"


@pytest.mark.parametrize("data", [
    INI, INI.replace(b"\r\n", b"\n"), codecs.BOM_UTF8 + INI,
    codecs.BOM_UTF16_LE + INI.decode().encode("utf-16-le"), b"[CtEdit]\r\nUser=C:\\Caf\xe9"])
def test_an_unedited_ini_is_written_back_byte_for_byte(data):
    assert IniDocument(data).to_bytes() == data


def test_reading_follows_the_profile_api():
    ini = IniDocument(INI)
    assert ini.get("ctedit", "run") == "C:\\Projects\\Plant ; not a comment"
    assert ini.get("CtEdit", "Missing") is None
    assert IniDocument(b"[CtEdit]\r\nUser=C:\\Caf\xe9\r\n", "cp1252").get("CtEdit", "User") == "C:\\Café"


def test_editing_keeps_every_other_line():
    ini = IniDocument(INI)
    assert ini.set("CtEdit", "run", "C:\\Projects\\Other")
    assert not ini.set("CtEdit", "Run", "C:\\Projects\\Other")
    assert ini.set("CtEdit", "Data", "C:\\Data") and ini.set("New", "Key", "1")
    assert ini.remove("Alarm", "PRIMARY") and not ini.remove("Alarm", "Primary")
    assert ini.to_bytes() == (b"; site\r\n[CtEdit]\r\nUser=C:\\Projects\r\nRun=C:\\Projects\\Other\r\n"
                              b"Data=C:\\Data\r\n\r\n[Alarm]\r\n\r\n[New]\r\nKey=1\r\n")


def test_a_saved_line_is_restored_as_it_was_written():
    ini = IniDocument(INI)
    saved = ini.saved_line("CtEdit", "Run")
    ini.set("CtEdit", "Run", "x")
    assert ini.restore_line("CtEdit", "Run", saved) and ini.to_bytes() == INI
    assert ini.restore_line("CtEdit", "Hook", None) is False


def test_an_ansi_file_cannot_hold_every_character():
    ini = IniDocument(b"[A]\r\nB=1\r\n", ansi_codec(1252))
    assert ini.holds("é€") and not ini.holds("😀")
    assert ansi_codec(65001) == "utf-8" and ansi_codec(99999) == "cp1252"


def _table(fields: list[tuple[str, int]], rows: list[tuple[str, ...]], deleted: int = -1) -> bytes:
    header_length = 32 + 32 * len(fields) + 1
    record_length = 1 + sum(length for _, length in fields)
    out = bytearray(struct.pack("<BBBBIHH20x", 3, 26, 1, 1, len(rows), header_length, record_length))
    for name, length in fields:
        out += name.encode().ljust(11, b"\0") + b"C" + b"\0" * 4 + bytes([length]) + b"\0" * 15
    out += b"\r"
    for index, row in enumerate(rows):
        out += b"*" if index == deleted else b" "
        out += b"".join(v.encode("cp1252").ljust(n) for v, (_, n) in zip(row, fields))
    return bytes(out + b"\x1a")


def test_dbf_columns_skip_deleted_records_and_fall_back_to_the_first_text_field():
    data = _table([("NAME", 16), ("COMMENT", 8)], [("PLS_Include", "a"), ("Gone", "b"), ("Café", "")], deleted=1)
    assert _dbf.column(data, "name", "cp1252") == ["PLS_Include", "Café"]
    assert _dbf.column(_table([("PROJECT", 8)], [("Site",)]), "NAME", "cp1252") == ["Site"]
    assert _dbf.layout(b"PLS_Include\r\n") is None
    assert _dbf.layout(data[:-20]) is None


def test_fingerprints_agree_with_the_twins_reference_byte_for_byte():
    files = {"variable.DBF": b"tags", "pages\\Overview.ctg": b"page", "_a-b.ci": b"x",
             "compiled.RDB": b"volatile", "~lock": b"volatile"}
    hashed = [(path, _sha(content)) for path, content in files.items()]
    assert _fingerprint.project_fingerprint(hashed) == reference.project_fingerprint(files.items())
    sets = {"Plant": "1" * 64, "PLS_Include": "2" * 64, "site-b": "3" * 64}
    assert _fingerprint.set_fingerprint(sets) == reference.set_fingerprint(sets)


def _sha(content: bytes) -> str:
    import hashlib
    return hashlib.sha256(content).hexdigest()


def _entry(path: str, content: bytes | None = None, read: bool = False) -> dict:
    return {"path": path, "dir": content is None, "size": None if content is None else len(content),
            "modified": "2026-12-02T00:00:00.0000000Z",
            "sha256": None if content is None else _sha(content),
            "base64": base64.b64encode(content).decode() if read and content is not None else None}


def test_the_catalog_reads_projects_includes_and_closures_from_one_listing():
    ini = b"[CtEdit]\r\nUser=C:\\P\r\nRun=C:\\P\\plant\r\n"
    install = Install("8.2", "C:\\citect.ini", "C:\\Bin", ini, "cp1252", {})
    include_table = _table([("NAME", 16)], [("Site",), ("Missing",)])
    listing = {"exists": True, "entries": [
        _entry("Plant"), _entry("Site"), _entry("Notes"), _entry("PLS_Include"),
        _entry("Plant\\variable.DBF", b"t"), _entry("Plant\\include.DBF", include_table, read=True),
        _entry("Site\\variable.DBF", b"s"), _entry("Site\\include.DBF", b"; x\r\nPLS_Include\r\n", read=True),
        _entry("PLS_Include\\equip.dbf", b"e"), _entry("Notes\\readme.txt", b"n")]}
    catalog = Catalog(install, "test", "folders", [listing])
    assert [p.name for p in catalog.projects.values()] == ["Plant", "PLS_Include", "Site"]
    assert catalog.run_project().name == "Plant"
    assert catalog.closure("plant") == ["Plant", "Site", "PLS_Include", "Missing"]
    assert catalog.fingerprint("Missing") == _fingerprint.EMPTY
    with pytest.raises(Exception, match="does not exist"):
        catalog.resolve("Notes")


def test_compile_messages_come_from_a_dbase_table_or_text_lines():
    fields = [(name, 20) for name in ("TYPE", "RECORD", "NAME", "FIELD", "TABLE", "ERROR", "CONTEXT")]
    table = _table(fields, [("ERROR", "3", "TAG1", "UNIT", "variable.DBF", "not found", "Site"),
                            ("NOTE", "", "", "", "", "", ""),
                            ("warning", "x", "P1", "", "pages", "no objects", "")], deleted=-1)
    assert parse_messages(table, "cp1252") == [
        {"Type": "ERROR", "Record": 3, "Name": "TAG1", "Field": "UNIT", "Table": "variable.DBF",
         "Error": "not found", "Context": "Site"},
        {"Type": "WARNING", "Record": 0, "Name": "P1", "Field": "", "Table": "pages",
         "Error": "no objects", "Context": ""}]
    text = b"Compiled P from f\r\nFATAL | 0 | Missing |  | include.DBF | not found | P\r\nERROR | 1\r\n"
    assert parse_messages(text, "cp1252") == [
        {"Type": "FATAL", "Record": 0, "Name": "Missing", "Field": "", "Table": "include.DBF",
         "Error": "not found", "Context": "P"}]


@pytest.mark.parametrize("content, state", [
    (None, "none"),
    (b'{"state": "running", "pid": 4100, "started": "2026-01-01T00:00:00.0000000Z"}', "running"),
    (b'{"results": [], "digest": "", "waited": 0}', "answered"),
    (b'{"stat', "none"),
])
def test_a_batch_record_reads_as_never_started_running_or_answered(content, state):
    value = {"exists": content is not None,
             "base64": base64.b64encode(content).decode() if content is not None else None}
    assert record_state(value).state == state
