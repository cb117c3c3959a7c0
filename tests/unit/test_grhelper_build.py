"""The GRAccess helper compiles against the documented GRAccess interface, as C# 5 for x86.

plugins/plugin_utils/grhelper/GRHelper.cs is compiled on the Galaxy Repository node by
csc.exe of .NET Framework 4.x; here mono's mcs compiles it the same way (-langversion:5,
-platform:x86) against tests/grstub/ArchestrA.GRAccess.cs, the stub of the documented
members. A broken copy (a misspelled member, a wrong argument list, C# 6 syntax) must fail,
or the check would prove nothing. `make deps` installs mcs, so under `make test` nothing skips.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HELPER = ROOT / "plugins" / "plugin_utils" / "grhelper" / "GRHelper.cs"
STUB = ROOT / "tests" / "grstub" / "ArchestrA.GRAccess.cs"
MCS = shutil.which("mcs")

pytestmark = pytest.mark.skipif(
    MCS is None, reason="mcs (Debian package mono-mcs) is not installed; `make deps` installs it")


def mcs(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MCS, "-nologo", "-langversion:5", *map(str, args)],  # type: ignore[list-item]
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def stub_dll(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("grstub") / "ArchestrA.GRAccess.dll"
    result = mcs("-warnaserror", "-target:library", f"-out:{out}", STUB)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def compile_helper(source: Path, stub_dll: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return mcs("-warnaserror", "-platform:x86", "-target:exe", f"-r:{stub_dll}",
               "-r:System.Web.Extensions", f"-out:{out}", source)


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = HELPER.read_text(encoding="utf-8")
    assert old in text, f"the helper no longer contains {old!r}; update this test"
    path = tmp_path / "GRHelper.cs"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_helper_compiles_against_the_documented_interface(stub_dll, tmp_path):
    result = compile_helper(HELPER, stub_dll, tmp_path / "GRHelper.exe")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "GRHelper.exe").stat().st_size > 0


@pytest.mark.parametrize("old, new, error", [
    # a misspelled member
    ("galaxy.QueryObjectsByName(", "galaxy.QueryObjectByName(", "QueryObjectByName"),
    ("result.CustomMessage", "result.CustomMesage", "CustomMesage"),
    ("all.CompletelySuccessful", "all.CompleteSuccessful", "CompleteSuccessful"),
    # a wrong argument list: Undeploy takes (EForceOffScan, ECascade, bool)
    ("instance.Undeploy(forceOffScan, cascadeFlag, markOnFailure)",
     "instance.Undeploy(cascadeFlag, forceOffScan, markOnFailure)", "CS1503"),
    # a member that is not documented, so not in the stub
    ("galaxy.Login(", "galaxy.LoginEx(", "LoginEx"),
    # C# 6 syntax that csc.exe of .NET Framework 4.x rejects
    ('output["msg"] = command + " done";', 'output["msg"] = $"{command} done";',
     "interpolated strings"),
])
def test_a_broken_copy_fails_to_compile(stub_dll, tmp_path, old, new, error):
    result = compile_helper(broken_copy(tmp_path, old, new), stub_dll, tmp_path / "broken.exe")
    assert result.returncode != 0
    assert error in result.stdout + result.stderr


def test_the_helper_is_x86_and_single_threaded_apartment():
    text = HELPER.read_text(encoding="utf-8")
    assert re.search(r"\[STAThread\]\s+private static int Main\(\)", text)
    assert "/platform:x86" in text


def test_credentials_never_come_from_the_command_line():
    text = HELPER.read_text(encoding="utf-8")
    assert "static int Main()" in text  # no string[] args at all
    assert "GetCommandLineArgs" not in text and "GetEnvironmentVariable" not in text


def test_every_graccess_call_is_followed_by_a_check_of_its_result():
    """After each call the next statements read CommandResult(s) through a Check* method."""
    lines = HELPER.read_text(encoding="utf-8").splitlines()
    call = re.compile(r"\.(QueryGalaxies|Login|QueryObjectsByName|QueryObjects|MigrateGalaxy|"
                      r"Deploy|Undeploy|Upload)\(")
    calls = [i for i, line in enumerate(lines)
             if call.search(line) and not line.lstrip().startswith("//")
             and "private " not in line and "case " not in line]
    assert len(calls) >= 9
    for index in calls:
        following = "\n".join(lines[index:index + 6])
        assert re.search(r"Check(Call|Result|All)\(", following), lines[index]
