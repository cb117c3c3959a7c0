# scada.redundancy:operation sp_install_watch
# Long poll on a setup run started by sp_install_start: waits on the host until setup has
# exited or max_wait seconds pass. When setup has exited (or its runner is gone), removes the
# run folder with the response file. Parameters ($Params):
#   run_id         the run's id (32 hex digits)
#   pid            the runner's process id
#   max_wait       seconds to wait here (0..600)
#   poll_interval  seconds between looks (0.2..30)
# Result: state (running, finished, lost), exit_code, error, waited, response_removed.
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$runId = [string]$Params.run_id
if ($runId -notmatch '^[0-9a-f]{32}$') {
    $err = New-Object -TypeName System.ArgumentException -ArgumentList 'run_id must be 32 hex digits'
    $err.Data['category'] = 'invalid_parameter'
    throw $err
}
$runDir = Join-Path -Path (Join-Path -Path $env:ProgramData -ChildPath 'scada.redundancy\sp_install') -ChildPath $runId
$resultPath = Join-Path -Path $runDir -ChildPath 'result.json'
$maxWait = [Math]::Min([Math]::Max([double]$Params.max_wait, 0), 600)
$interval = [Math]::Min([Math]::Max([double]$Params.poll_interval, 0.2), 30)
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$state = 'running'
while ($true) {
    if (Test-Path -LiteralPath $resultPath) { $state = 'finished'; break }
    $runner = Get-Process -Id ([int]$Params.pid) -ErrorAction SilentlyContinue
    if ($null -eq $runner -and -not (Test-Path -LiteralPath $resultPath)) { $state = 'lost'; break }
    if ($clock.Elapsed.TotalSeconds -ge $maxWait) { break }
    Start-Sleep -Milliseconds ([int]($interval * 1000))
}
$exitCode = $null
$failure = $null
if ($state -eq 'finished') {
    $doc = [System.IO.File]::ReadAllText($resultPath) | ConvertFrom-Json
    $exitCode = $doc.exit_code
    $failure = $doc.error
}
$removed = $false
if ($state -ne 'running') {
    Remove-Item -LiteralPath $runDir -Recurse -Force -ErrorAction SilentlyContinue
    $removed = -not (Test-Path -LiteralPath $runDir)
}
[ordered]@{
    state = $state
    exit_code = $exitCode
    error = $failure
    waited = [Math]::Round($clock.Elapsed.TotalSeconds, 1)
    response_removed = $removed
}
