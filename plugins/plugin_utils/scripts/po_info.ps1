# scada.redundancy:operation po_info
# scada.redundancy:requires ini
# scada.redundancy:requires dbf
# scada.redundancy:requires fingerprint
# scada.redundancy:requires graphics_builder
# scada.redundancy:requires po_install
# Read-only facts about Power Operation on this server: the install, the [CtEdit] folders, the
# projects with their includes, compiled state and fingerprints, the project set the runtime
# loads next, and the runtime service. The runtime's processes and live role are read by the
# controller through the agent's ctapi_cicode verb. Parameters (from $Params):
#   projects                 names to report; empty means every project
#   fingerprints             compute content fingerprints (reads every file of those projects)
#   project_source           'folders' or 'graphics_builder' (see lib/po_install.ps1)
#   runtime_service_pattern  display-name wildcards of the runtime's Windows service
#   processes                Runtime Manager process names to report
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$ServiceStates = @{ Stopped = 'Stopped'; StopPending = 'Stopping'; StartPending = 'Starting' }

function Get-RuntimeService {
    # The first service (by name) whose display name matches a pattern, or $null.
    param([string[]]$Patterns)
    # Services Windows will not open for this user are skipped, not fatal.
    $matching = @(Get-Service -ErrorAction SilentlyContinue | Where-Object {
            $display = $_.DisplayName
            @($Patterns | Where-Object { $display -like $_ }).Count -gt 0
        } | Sort-Object -Property 'Name')
    if ($matching.Count -eq 0) { return $null }
    $service = $matching[0]
    return [ordered]@{
        name = $service.Name; display_name = $service.DisplayName
        status = $service.Status.ToString(); start_type = $service.StartType.ToString()
        started = Get-ServiceProcessStart -Name $service.Name
    }
}

function Get-ServiceProcessStart {
    # When the service's process started (UTC, round-trip format): the runtime loads the
    # compiled project then, so a compile recorded later is not running yet. $null when stopped.
    param([string]$Name)
    # Also $null when Windows will not say (then a pending Restart All is not detected).
    $cim = @(Get-CimInstance -ClassName Win32_Service -ErrorAction SilentlyContinue | Where-Object { $_.Name -eq $Name })
    if ($cim.Count -eq 0 -or -not $cim[0].ProcessId) { return $null }
    try {
        return (Get-Process -Id $cim[0].ProcessId -ErrorAction Stop).StartTime.ToUniversalTime().ToString('o')
    }
    catch {
        return $null
    }
}

function Get-RuntimeState {
    # {processes, redundancy} as far as the service tells: stopped or pending, every process
    # follows it and the role is offline; running, the controller asks CtAPI.
    param($Install, $Service)
    $names = @($Params.processes | ForEach-Object { [string]$_ })
    $redundancy = [ordered]@{ role = 'unknown'; server_info_ex = $null; component = [string]$Params.redundancy_component; cluster = $null }
    if ($Params.cluster) { $redundancy.cluster = [string]$Params.cluster }
    if (-not $Install) {
        $redundancy.role = 'offline'
        return [ordered]@{ processes = @(); redundancy = $redundancy }
    }
    if (($null -ne $Service) -and ($Service.status -ne 'Running')) {
        $state = $ServiceStates[[string]$Service.status]
        if (-not $state) { $state = 'Stopped' }
        $redundancy.role = 'offline'
        return [ordered]@{ processes = @($names | ForEach-Object { [ordered]@{ name = $_; state = $state; active = $null } }); redundancy = $redundancy }
    }
    return [ordered]@{ processes = @(); redundancy = $redundancy }
}

function Get-ProjectReport {
    param($Install, $Catalog, $Entry, [hashtable]$Fingerprints)
    $compiled = @(Get-PoCompiledOutputs -Folder $Entry.Path).Count -gt 0
    $report = [ordered]@{
        path = $Entry.Path; includes = @($Entry.Includes); compiled = $compiled
        compiled_fingerprint = $null; compiled_at = $null
    }
    $marker = if ($compiled) { Read-PoCompiledMarker -Install $Install -Entry $Entry } else { $null }
    if ($marker) {
        $report.compiled_fingerprint = [string]$marker.set_fingerprint
        $report.compiled_at = [string]$marker.compiled_at
    }
    if ($Params.fingerprints) {
        $closure = Get-PoProjectClosure -Catalog $Catalog -Name $Entry.Name
        $report.set_fingerprint = Get-PoSetFingerprint -Catalog $Catalog -Names $closure -Fingerprints $Fingerprints
        $report.fingerprint = $Fingerprints[$Entry.Name.ToLowerInvariant()]
    }
    return $report
}

$install = Get-PoInstall
$service = Get-RuntimeService -Patterns @($Params.runtime_service_pattern)
$result = [ordered]@{
    installed = $null -ne $install; version = $null; ini_path = $null; bin_folder = $null
    paths = [ordered]@{}; run_project = $null; run_path = $null; projects = [ordered]@{}; project_set = @()
}
if ($install) {
    $result.version = $install.Version
    $result.ini_path = $install.IniPath
    $result.bin_folder = $install.Paths['bin']
    $result.paths = $install.Paths
    $result.run_path = $install.RunPath
    $catalog = Get-PoProjectCatalog -Install $install -Source ([string]$Params.project_source)
    $run = Get-PoRunProject -Install $install -Catalog $catalog
    if ($run) {
        $result.run_project = $run.Name
        $result.project_set = Get-PoProjectClosure -Catalog $catalog -Name $run.Name
    }
    $wanted = @($Params.projects)
    $entries = if ($wanted.Count) { @($wanted | ForEach-Object { Resolve-PoProject -Catalog $catalog -Name ([string]$_) }) } else { @($catalog.Values) }
    $fingerprints = @{}
    foreach ($entry in $entries) {
        $result.projects[$entry.Name] = Get-ProjectReport -Install $install -Catalog $catalog -Entry $entry -Fingerprints $fingerprints
    }
}
$state = Get-RuntimeState -Install $install -Service $service
$result.runtime = [ordered]@{ service = $service; processes = $state.processes; ctapi = [ordered]@{ used = $false; connected = $false; error = $null } }
$result.redundancy = $state.redundancy
$result
