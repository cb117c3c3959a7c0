# scada.redundancy:agent v1
# Reads {"core", "step", "verbs", "resources", "calls", "repeat", "record"} as JSON on stdin; runs
# the constant core script on it; values never become code (docs/design.md).
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
$console = $Host.Name -eq 'ConsoleHost'
# Under PSRP there is no console, and setting its encodings would throw. WinRM's shell runs in
# code page 65001, so a child's stdin writer would otherwise start with a UTF-8 BOM.
if ($console) {
  [Console]::OutputEncoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
  [Console]::InputEncoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
}
try {
  $request = ConvertFrom-Json -InputObject (@($input) -join "`n")
  $errors = $null
  $core = [Management.Automation.Language.Parser]::ParseInput([string]$request.core, 'core.ps1', [ref]$null, [ref]$errors).GetScriptBlock()
  if (@($errors).Count -gt 0) { throw "the core does not parse: $(@($errors)[0].Message)" }
}
catch {
  $text = ConvertTo-Json -Compress -InputObject @{ failed = $true; category = 'protocol'; msg = "agent: the request could not be read: $($_.Exception.Message)" }
  if ($console) { [Console]::Out.WriteLine($text) } else { $text }
  exit 1
}
# Said before anything runs (docs/design.md, "A batch sent again").
$arrived = '{"agent":"request read"}'
if ($console) { [Console]::Out.WriteLine($arrived) } else { $arrived }
. $core $request
exit 0
