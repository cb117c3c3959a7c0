"""Every PowerShell script the collection ships parses, and the checker really catches mistakes.

tools/check_ps1.py is the project's PowerShell syntax guard (ansible-test's pslint needs
pwsh, which these machines lack).  These tests run it the way `make ps1-check` does: as a
separate process over files, judged by its exit status and its file:line:col report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "tools" / "check_ps1.py"
SHIPPED = sorted((ROOT / "plugins").rglob("*.ps1"))


def run_checker(*paths: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECKER), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_every_shipped_script_parses() -> None:
    # passes with no scripts too: the checker reports "0 file(s) checked" and exits 0
    result = run_checker(ROOT / "plugins")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(SHIPPED)} file(s) checked, 0 with syntax errors" in result.stdout


@pytest.mark.parametrize("script", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_script(script: Path) -> None:
    result = run_checker(script)
    assert result.returncode == 0, result.stdout + result.stderr


def test_empty_directory_passes(tmp_path: Path) -> None:
    result = run_checker(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 file(s) checked" in result.stdout


VALID = """\
# scada.redundancy:operation example
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [hashtable] $Params,
    [int] $Retries = 3
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

function Get-ServiceState {
    param([string] $Name)
    $service = Get-Service -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $service) { return 'absent' } elseif ($service.Status -eq 'Running') { return 'running' }
    return $service.Status.ToString()
}

$result = [ordered]@{
    hostname = [Environment]::MachineName
    services = @($Params.services | ForEach-Object { Get-ServiceState -Name $_ })
    message  = @"
checked $($Params.services.Count) services
"@
}
try {
    $raw = [Console]::In.ReadToEnd() | ConvertFrom-Json
} catch [System.Exception] {
    throw "bad input: $($_.Exception.Message)"
} finally {
    $null = $raw
}
switch ($Retries) {
    0 { 'none' }
    default { 'some' }
}
$result | Select-Object -Property 'hostname', 'services' | ConvertTo-Json -Depth 4 -Compress
"""


def test_valid_script_passes(tmp_path: Path) -> None:
    result = run_checker(write(tmp_path, "valid.ps1", VALID))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 file(s) checked, 0 with syntax errors" in result.stdout


def test_utf8_bom_and_utf16_scripts_are_read(tmp_path: Path) -> None:
    # Windows editors save with a BOM; the BOM is not a syntax error
    bom8 = write(tmp_path, "bom8.ps1", "\ufeff" + VALID)
    bom16 = write(tmp_path, "bom16.ps1", "\ufeff" + VALID, encoding="utf-16-le")
    result = run_checker(bom8, bom16)
    assert result.returncode == 0, result.stdout + result.stderr


# (name, script, 1-based line of the first problem reported)
BROKEN = [
    (
        "unclosed_brace",
        "function Get-Thing {\n    param([string] $Name)\n    if ($Name) {\n        Write-Output $Name\n}\n",
        5,
    ),
    (
        "unclosed_param_block",
        "# header\nparam(\n    [string] $Name,\n    [int] $Count\nfunction Foo { 1 }\n",
        2,
    ),
    (
        "missing_comma_in_param_block",
        "param(\n    [string] $Name\n    [int] $Count\n)\nWrite-Output $Name\n",
        2,
    ),
    ("unterminated_string", "$ok = 1\n$a = \"hello\nWrite-Output $a\n", 2),
    ("stray_closing_brace", "$a = 1\n}\nWrite-Output $a\n", 2),
    ("missing_paren_in_if", "$a = 1\nif ($a -eq 1 {\n  'x'\n}\n", 2),
    ("incomplete_hashtable", "$x = 1\n$h = @{ a = 1; b = }\n", 2),
    ("powershell7_only_operator", "$a = $null\n$x = $a ?? 'b'\n", 2),
]


@pytest.mark.parametrize("name,script,line", BROKEN, ids=[b[0] for b in BROKEN])
def test_syntax_error_is_reported_with_position(tmp_path: Path, name: str, script: str, line: int) -> None:
    path = write(tmp_path, f"{name}.ps1", script)
    result = run_checker(path)
    assert result.returncode == 1, result.stdout + result.stderr
    reports = [l for l in result.stdout.splitlines() if l.startswith(f"{path}:")]
    assert reports, result.stdout
    first_line, first_col = reports[0][len(str(path)) + 1:].split(":")[:2]
    assert int(first_line) == line, reports
    assert int(first_col) >= 1
    assert "1 file(s) checked, 1 with syntax errors" in result.stdout


def test_unclosed_brace_names_the_missing_token(tmp_path: Path) -> None:
    path = write(tmp_path, "unclosed.ps1", BROKEN[0][1])
    result = run_checker(path)
    assert f"{path}:5:2: missing '}}'" in result.stdout, result.stdout


def test_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    # "é" is two bytes in UTF-8; the reported column must still be the character column
    path = write(tmp_path, "accent.ps1", "$x = 1\n$é = @{ a = 1; b = }\n")
    result = run_checker(path)
    assert result.returncode == 1
    assert f"{path}:2:16:" in result.stdout, result.stdout


def test_one_bad_file_fails_the_whole_run(tmp_path: Path) -> None:
    good = write(tmp_path, "good.ps1", VALID)
    bad = write(tmp_path, "bad.ps1", BROKEN[0][1])
    result = run_checker(tmp_path)
    assert result.returncode == 1
    assert f"{bad}:" in result.stdout
    assert f"{good}:" not in result.stdout
    assert "2 file(s) checked, 1 with syntax errors" in result.stdout
