# scada.redundancy:resource setup_runner
# Runs detached in a run folder (started by setup_runner_start): reads run.json {setup_path,
# arguments, response_path}, runs setup and waits for setup alone (Process.Start and
# WaitForExit; Start-Process -Wait would also wait for every helper setup leaves running),
# removes the response file, and writes result.json {exit_code, error, finished} atomically.
$ErrorActionPreference = 'Stop'
$dir = (Get-Location).ProviderPath
$run = [System.IO.File]::ReadAllText((Join-Path -Path $dir -ChildPath 'run.json')) | ConvertFrom-Json
$code = $null
$failure = $null
try {
    $process = [System.Diagnostics.Process]::Start([string]$run.setup_path, [string]$run.arguments)
    $process.WaitForExit()
    $code = $process.ExitCode
}
catch { $failure = $_.Exception.Message }
finally { Remove-Item -LiteralPath ([string]$run.response_path) -Force -ErrorAction SilentlyContinue }
$doc = [ordered]@{ exit_code = $code; error = $failure; finished = [DateTime]::UtcNow.ToString('o') }
[System.IO.File]::WriteAllText((Join-Path -Path $dir -ChildPath 'result.tmp'), (ConvertTo-Json -InputObject $doc -Compress))
Move-Item -LiteralPath (Join-Path -Path $dir -ChildPath 'result.tmp') -Destination (Join-Path -Path $dir -ChildPath 'result.json') -Force
