# scada.redundancy:operation engine_redundancy
# scada.redundancy:requires argv
# Long poll on AppEngines' run-time redundancy status, read with a site's own command (System
# Platform documents no automation surface for it): for each engine, one argument list (the
# controller has filled in the engine's name) is run directly, and the first line of its
# output that equals one of the known status strings (case-insensitive) is the status.
# Returns as soon as a status differs from `known`, or after max_wait seconds.
# Parameters ($Params):
#   commands         [{engine, argv}] the argument list to run per engine
#   statuses         the vocabulary: status strings recognised in the output
#   known            {engine: status} last seen by the controller, or $null to answer at once
#   max_wait         seconds to wait here (0..600)
#   poll_interval    seconds between reads (0.2..60)
#   command_timeout  seconds one command may run (1..600)
# Result: engines ([{name, status, exit_code, output, timed_out}]), waited, reads.
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Get-Status {
    param([string]$Text, [string[]]$Vocabulary)
    foreach ($line in ($Text -split "`r?`n")) {
        $trimmed = $line.Trim()
        foreach ($status in $Vocabulary) {
            if ([string]::Equals($trimmed, $status, [System.StringComparison]::OrdinalIgnoreCase)) { return $status }
        }
    }
    return $null
}

function Read-Engines {
    $rows = @()
    foreach ($command in @($Params.commands)) {
        $argv = [string[]]@($command.argv)
        $run = Invoke-ArgvProcess -Argv $argv -TimeoutSeconds $timeout
        $output = ([string]$run.Stdout).Trim()
        if ($output.Length -gt 2000) { $output = $output.Substring(0, 2000) }
        $status = $null
        if (-not $run.TimedOut -and $run.ExitCode -eq 0) { $status = Get-Status -Text $run.Stdout -Vocabulary $vocabulary }
        if ($null -eq $status -and -not $output) { $output = ([string]$run.Stderr).Trim() }
        $rows += [ordered]@{
            name = [string]$command.engine
            status = $status
            exit_code = $run.ExitCode
            output = $output
            timed_out = [bool]$run.TimedOut
        }
    }
    return $rows
}

$vocabulary = [string[]]@($Params.statuses)
$timeout = [int][Math]::Min([Math]::Max([double]$Params.command_timeout, 1), 600)
$maxWait = [Math]::Min([Math]::Max([double]$Params.max_wait, 0), 600)
$interval = [Math]::Min([Math]::Max([double]$Params.poll_interval, 0.2), 60)
$known = $Params.known
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$reads = 0
while ($true) {
    $rows = @(Read-Engines)
    $reads++
    if ($null -eq $known) { break }
    $changed = $false
    foreach ($row in $rows) {
        $seen = $null
        $property = $known.PSObject.Properties[[string]$row.name]
        if ($null -ne $property) { $seen = $property.Value }
        if ([string]$seen -ne [string]$row.status) { $changed = $true }
    }
    if ($changed -or $clock.Elapsed.TotalSeconds -ge $maxWait) { break }
    $pause = [Math]::Min($interval, [Math]::Max($maxWait - $clock.Elapsed.TotalSeconds, 0))
    Start-Sleep -Milliseconds ([int]($pause * 1000))
}
[ordered]@{
    engines = @($rows)
    waited = [Math]::Round($clock.Elapsed.TotalSeconds, 1)
    reads = $reads
}
