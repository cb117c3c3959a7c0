# scada.redundancy:operation runtime_control
# Start, stop or restart the Power Operation runtime through its Windows service, and report
# the service and the Runtime Manager's process states left behind. Restarting the service is
# the collection's "Restart All": in service mode, stopping the service shuts every runtime
# process down and starting it starts every process of the [CtEdit]Run project.
# Parameters (from $Params):
#   service_name      exact service name; empty: the one service whose display name matches
#   service_patterns  display-name wildcards for finding the service
#   processes         Runtime Manager process names to report (empty: all it lists)
#   action            start | stop | restart
#   timeout           seconds each service transition may take
#   ctapi             how to ask the runtime for process states: {dll, user, password,
#                     timeout, powershell, cluster} (see lib/po_runtime.ps1)
#   check_mode        report whether anything would change, change nothing
# scada.redundancy:requires services
# scada.redundancy:requires ini
# scada.redundancy:requires po_install
# scada.redundancy:requires ctapi
# scada.redundancy:requires po_runtime
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$action = [string]$Params.action
if (@('start', 'stop', 'restart') -notcontains $action) {
    throw (New-CategorisedError -Message 'action must be one of start, stop, restart' -Category 'invalid_parameter')
}
$seconds = [double]$Params.timeout
$service = Find-PoRuntimeService -Name ([string]$Params.service_name) -Patterns @($Params.service_patterns)
$expected = Get-PoRuntimeProcessName -Expected @($Params.processes | ForEach-Object { [string]$_ })
$probe = New-PoRuntimeProbe -Ctapi $Params.ctapi

$settled = Get-SettledStatus -Status $service.status
$changed = switch ($action) {
    'start' { $settled -ne 'Running' }
    'stop' { $settled -ne 'Stopped' }
    default { $true }
}
if ($changed -and -not [bool]$Params.check_mode) {
    $null = Wait-ServiceSettled -Name $service.name -Seconds $seconds
    if ($action -ne 'start') { Invoke-ServiceControl -Name $service.name -Action 'stop' -Seconds $seconds }
    if ($action -ne 'stop') { Invoke-ServiceControl -Name $service.name -Action 'start' -Seconds $seconds }
}

$record = Get-ServiceRecord -Name $service.name
[ordered]@{
    changed = [bool]$changed
    action = $action
    service = $record
    processes = @(Get-PoRuntimeProcessState -ServiceStatus $record.status -Expected $expected -Probe $probe)
}
