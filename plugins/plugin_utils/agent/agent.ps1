# scada.redundancy:agent v1
# Reads {"core", "step", "verbs", "resources", "calls", "repeat"} as JSON on stdin and runs
# the constant core script on it; values never become code (docs/design.md).
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
$console = $Host.Name -eq 'ConsoleHost'
# Under PSRP there is no console, and setting its encoding would throw.
if ($console) { [Console]::OutputEncoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false }
try {
  $request = ConvertFrom-Json -InputObject (@($input) -join "`n")
  $core = [Management.Automation.Language.Parser]::ParseInput([string]$request.core, 'core.ps1', [ref]$null, [ref]$null).GetScriptBlock()
}
catch {
  $text = ConvertTo-Json -Compress -InputObject @{ failed = $true; category = 'protocol'; msg = "agent: the request could not be read: $($_.Exception.Message)" }
  if ($console) { [Console]::Out.WriteLine($text) } else { $text }
  exit 1
}
. $core $request
exit 0
