"""Windows PowerShell 5.1 traps the shipped scripts must not fall into (no pwsh runs here, so
these are read from the text; ../shared/vendor-interfaces.md lists the facts):

- ``Start-Process -Wait`` waits for the process and every descendant it leaves running (a
  setup's helpers keep it open until a timeout); ``Process.Start`` + ``WaitForExit`` waits for
  the process alone.
- A native command redirected with ``2>&1`` under ``$ErrorActionPreference = 'Stop'`` turns
  its first stderr line into a terminating NativeCommandError before ``$LASTEXITCODE`` can be
  read.
- Under PSRP there is no console host: ``[Console]::OutputEncoding`` throws, so the agent's
  launcher sets it only for the ConsoleHost.
- On .NET Framework ``HashAlgorithm.TransformFinalBlock`` does not reset the object (only
  ``ComputeHash`` does): a hash object fed with ``TransformBlock`` serves one hash, so it is
  created where it is used (inside the function or loop), never once for a whole script.
"""

from __future__ import annotations

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "plugins").rglob("*.ps1"))


def _code(path: pathlib.Path) -> list[tuple[int, str]]:
    """(line number, text) of every line that is not a comment."""
    return [(n, line) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if not line.lstrip().startswith("#")]


@pytest.mark.parametrize("script", SHIPPED, ids=lambda p: str(p.relative_to(ROOT / "plugins")))
def test_no_start_process_wait(script):
    found = [n for n, line in _code(script) if re.search(r"Start-Process\b.*-Wait\b", line, re.I)]
    assert not found, f"{script.name}: Start-Process -Wait on lines {found}"


@pytest.mark.parametrize("script", SHIPPED, ids=lambda p: str(p.relative_to(ROOT / "plugins")))
def test_no_native_command_with_redirected_stderr(script):
    found = [n for n, line in _code(script) if re.search(r"&\s*\S+.*2>&1", line)]
    assert not found, f"{script.name}: a native command with 2>&1 on lines {found}"


def _top_level_incremental_hashes(path: pathlib.Path) -> list[int]:
    """Lines that create, at the script's top level, a hash object the script feeds with
    TransformBlock and finishes more than once (twice in its text, or in a loop or a
    function), so its second hash would continue the first."""
    code = _code(path)
    finals = [index for index, (dummy, line) in enumerate(code) if "TransformFinalBlock" in line]
    if len(finals) == 1 and not _repeated(code, finals[0]):
        return []
    if not finals:
        return []
    return [n for n, line in code if re.match(r"\$\w+\s*=\s*\[[\w.]*SHA256\]::Create\(\)", line)]


def _repeated(code: list[tuple[int, str]], index: int) -> bool:
    """Whether line ``index`` lies in a loop or a function: an enclosing, less indented line
    opens one."""
    indent = len(code[index][1]) - len(code[index][1].lstrip())
    for dummy, line in reversed(code[:index]):
        depth = len(line) - len(line.lstrip())
        if line.strip() and depth < indent:
            if re.match(r"\s*(foreach|for|while|do|function)\b", line, re.I) or "ForEach-Object" in line:
                return True
            indent = depth
    return False


@pytest.mark.parametrize("script", SHIPPED, ids=lambda p: str(p.relative_to(ROOT / "plugins")))
def test_a_hash_fed_in_blocks_is_created_for_each_hash(script):
    found = _top_level_incremental_hashes(script)
    assert not found, f"{script.name}: one hash object for every TransformBlock hash, lines {found}"


def test_the_agent_touches_the_console_only_under_the_console_host():
    launcher = (ROOT / "plugins/plugin_utils/agent/agent.ps1").read_text(encoding="utf-8")
    guarded = False
    for line in launcher.splitlines():
        code = line.split("#")[0]
        if "if ($console) {" in code and not code.rstrip().endswith("}"):
            guarded = True
        elif guarded and code.strip() == "}":
            guarded = False
        if "[Console]::" in code:
            assert guarded or "if ($console)" in code, line


@pytest.mark.parametrize("script", sorted((ROOT / "plugins/plugin_utils/agent/verbs").glob("*.ps1")),
                         ids=lambda p: p.stem)
def test_every_verb_is_an_advanced_script(script):
    """Without [CmdletBinding()] (or a [Parameter()] attribute) a script is not advanced, and
    PowerShell puts a splatted name it does not declare into $args instead of refusing it
    (about_Functions_Advanced): a misspelt argument would pass silently."""
    assert "[CmdletBinding()]\nparam(" in script.read_text(encoding="utf-8")


def test_the_checks_catch_the_traps(tmp_path):
    """A check that cannot fail proves nothing."""
    bad = tmp_path / "bad.ps1"
    bad.write_text("$p = Start-Process -FilePath x -Wait -PassThru\n$o = & sc.exe query 2>&1\n")
    assert [n for n, line in _code(bad) if re.search(r"Start-Process\b.*-Wait\b", line, re.I)] == [1]
    assert [n for n, line in _code(bad) if re.search(r"&\s*\S+.*2>&1", line)] == [2]
    reused = tmp_path / "reused.ps1"
    reused.write_text("$sha = [Security.Cryptography.SHA256]::Create()\nforeach ($f in $files) {\n"
                      "    [void]$sha.TransformBlock($b, 0, 1, $null, 0)\n"
                      "    [void]$sha.TransformFinalBlock($b, 0, 0)\n}\n")
    assert _top_level_incremental_hashes(reused) == [1]
    once = tmp_path / "once.ps1"
    once.write_text("$sha = [Security.Cryptography.SHA256]::Create()\ntry {\n"
                    "    while ($more) { [void]$sha.TransformBlock($b, 0, 1, $null, 0) }\n"
                    "    [void]$sha.TransformFinalBlock($b, 0, 0)\n}\n")
    assert _top_level_incremental_hashes(once) == []
