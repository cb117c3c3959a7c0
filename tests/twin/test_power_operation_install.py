"""Install discovery, citect.ini editing, the registry and the spec keys of Power Operation."""

from __future__ import annotations

import pytest

from scada_twin.power_operation import config, ini, install
from scada_twin.registry import Registry, RegistryError
from scada_twin.spec import SpecError
from support.po_hosts import host_data, make_hosts  # noqa: F401  (fixture)

PO_ROOT = "C:\\ProgramData\\Schneider Electric\\Power Operation\\v2024"
BIN = "C:\\Program Files (x86)\\Schneider Electric\\Power Operation\\v2024\\bin"


def test_discovery_finds_the_install_through_the_registry_and_citect_ini(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    found = host.power_operation.discover()
    assert found == install.InstallInfo("2024", f"{PO_ROOT}\\Config\\citect.ini", BIN)
    key = "HKLM:\\SOFTWARE\\WOW6432Node\\Citect\\SCADA Installs"  # the PowerShell spelling
    assert host.registry.subkeys(key) == ["2024"]
    assert host.fs.is_file(f"{BIN}\\CtApi.dll")
    document = ini.load(host.fs, found.ini_path)
    assert document.get("ctedit", "RUN") == f"{PO_ROOT}\\User\\PlantProject"
    assert document.get("CtEdit", "User") == f"{PO_ROOT}\\User"
    assert {"Bin", "Config", "Data", "Run", "Copy", "Backup", "Deploy", "Logs"} <= {
        k for k, _ in document.items("CtEdit")}
    assert document.get("CtAPI", "Remote") == "1"


def test_discovery_reports_nothing_when_the_install_key_is_gone(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    host.registry.delete_key(install.INSTALLS_KEY, recurse=True)
    assert host.power_operation.discover() is None


def test_a_host_without_the_product_has_no_model(make_hosts):
    data = host_data("other", 1)
    data["products"] = {}
    (host,) = make_hosts(data)
    assert host.power_operation is None
    assert host.services.get("WinRM").status == "Running"


def test_paths_names_and_projects_come_from_the_spec(make_hosts):
    (host,) = make_hosts(host_data(
        "po-a", 1, version="2022", install_key="8.30", root="D:\\PO",
        folders={"backup": "D:\\Backups"},
        projects=[{"name": "Main", "includes": ["Lib"], "files": {"extra/notes.txt": "x"}},
                  {"name": "Lib", "default_files": False}],
        runtime={"service_name": "Plant SCADA Runtime Manager", "display_name": "Plant SCADA"}))
    po = host.power_operation
    assert po.discover().key_name == "8.30"
    assert po.install.ctedit("Backup") == "D:\\Backups"
    assert po.install.ctedit("Run") == "D:\\PO\\User\\Main"
    assert po.projects.names() == ["Lib", "Main", "PLS_Include"]  # the library is always there
    assert po.projects.read("Main", "extra\\notes.txt") == b"x"
    assert po.projects.files("Lib") == ["include.DBF"]
    assert host.services.get("plant scada runtime manager").display_name == "Plant SCADA"


@pytest.mark.parametrize("bad, message", [
    ({"pair": "P"}, "configured_role"),
    ({"run_project": "Nope"}, "run_project"),
    ({"projects": [{"name": "A", "files": {"..\\x": "y"}}]}, "relative path"),
    ({"projects": [{"name": "A"}, {"name": "a"}]}, "unique"),
])
def test_invalid_spec_keys_are_named(bad, message):
    with pytest.raises(SpecError, match=message):
        config.parse(bad, "hosts[x].products.power_operation")


def test_ini_editing_keeps_order_comments_case_and_line_endings():
    text = ("; written by the wizard\r\n[CtEdit]\r\nbin=C:\\bin\r\n; keep me\r\n\r\n"
            "[Alarm]\r\nServer=1\r\n")
    document = ini.IniDocument.parse(text)
    document.set("CTEDIT", "CompileSuccessfulCommand", "cmd /c echo %CtEnvErrors%")
    document.set("ctedit", "BIN", "D:\\bin")
    document.set("CtAPI", "Remote", "1")
    assert document.render() == (
        "; written by the wizard\r\n[CtEdit]\r\nbin=D:\\bin\r\n"
        "CompileSuccessfulCommand=cmd /c echo %CtEnvErrors%\r\n; keep me\r\n\r\n"
        "[Alarm]\r\nServer=1\r\n\r\n[CtAPI]\r\nRemote=1\r\n")
    assert document.remove("ctedit", "compilesuccessfulcommand")
    assert document.get("CtEdit", "CompileSuccessfulCommand") is None
    assert document.sections() == ["CtEdit", "Alarm", "CtAPI"]


def test_ini_first_key_wins_and_values_are_verbatim():
    document = ini.IniDocument.parse("[A]\nk = v ; not a comment\nK=second\n")
    assert document.get("a", "k") == "v ; not a comment"
    assert document.items("A") == [("k", "v ; not a comment")]
    assert document.newline == "\n"


def test_registry_is_case_insensitive_and_reports_missing_paths():
    registry = Registry()
    registry.set_value("HKEY_LOCAL_MACHINE\\Software\\Vendor\\B", "Path", "x")
    registry.create_key("HKLM\\SOFTWARE\\vendor\\a")
    assert registry.get_value("hklm:\\software\\VENDOR\\b", "PATH") == "x"
    assert registry.subkeys("HKLM\\Software\\Vendor") == ["a", "B"]
    with pytest.raises(RegistryError):
        registry.get_value("HKLM\\Software\\Vendor\\B", "Missing")
    with pytest.raises(RegistryError):
        registry.subkeys("HKLM\\Software\\Nope")
