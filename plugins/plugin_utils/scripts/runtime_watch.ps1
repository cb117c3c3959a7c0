# scada.redundancy:operation runtime_watch
# A long poll of the runtime's states: read the runtime service's status and the Runtime
# Manager's process states every poll_interval seconds, here on the host, until they differ
# from the states the controller last saw (known) or max_wait seconds pass; then return them.
# The controller loops over these calls, so a long wait starts few PowerShell processes.
# Parameters (from $Params):
#   service_name      exact service name; empty: the one service whose display name matches
#   service_patterns  display-name wildcards for finding the service
#   processes         Runtime Manager process names to report (empty: all it lists)
#   known             {service: status, processes: {name: state}} last seen; null: return now
#   max_wait          longest time to wait for a change, in seconds
#   poll_interval     seconds between two local reads
#   ctapi             how to ask the runtime for process states: {dll, user, password,
#                     timeout, powershell, cluster} (see lib/po_runtime.ps1)
# scada.redundancy:requires services
# scada.redundancy:requires ini
# scada.redundancy:requires po_install
# scada.redundancy:requires ctapi
# scada.redundancy:requires po_runtime
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Test-StatesDiffer {
    # True when the service status or any process state differs from the known snapshot.
    param($Known, [string]$ServiceStatus, $Processes)
    if ([string]$Known.service -ne $ServiceStatus) { return $true }
    foreach ($process in $Processes) {
        $seen = $Known.processes.PSObject.Properties[[string]$process.name]
        if ($null -eq $seen -or [string]$seen.Value -ne [string]$process.state) { return $true }
    }
    return $false
}

$service = Find-PoRuntimeService -Name ([string]$Params.service_name) -Patterns @($Params.service_patterns)
$expected = Get-PoRuntimeProcessName -Expected @($Params.processes | ForEach-Object { [string]$_ })
$probe = New-PoRuntimeProbe -Ctapi $Params.ctapi
$maxWait = [double]$Params.max_wait
$interval = [Math]::Max(0.05, [double]$Params.poll_interval)
$known = $Params.known
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$controller = New-Object -TypeName System.ServiceProcess.ServiceController -ArgumentList $service.name
try {
    while ($true) {
        $controller.Refresh()
        $status = [string]$controller.Status
        $processes = @(Get-PoRuntimeProcessState -ServiceStatus $status -Expected $expected -Probe $probe)
        if ($null -eq $known) { break }
        if (Test-StatesDiffer -Known $known -ServiceStatus $status -Processes $processes) { break }
        $remaining = $maxWait - $clock.Elapsed.TotalSeconds
        if ($remaining -le 0) { break }
        Start-Sleep -Milliseconds ([int](1000 * [Math]::Min($interval, $remaining)))
    }
}
finally {
    $controller.Dispose()
}

# The status compared above, so the controller sees the snapshot the decision was made on.
$record = Get-ServiceRecord -Name $service.name
$record.status = $status
[ordered]@{
    service = $record
    processes = $processes
    waited = [Math]::Round($clock.Elapsed.TotalSeconds, 3)
}
