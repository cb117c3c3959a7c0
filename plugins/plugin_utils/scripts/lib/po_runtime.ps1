# scada.redundancy:library po_runtime
# The Power Operation runtime as a script sees it: its Windows service, and the state of each
# process Runtime Manager runs. Needs the libraries services, ini, po_install and ctapi; an
# operation lists them before this one.
#
# Runtime Manager shows process states (Starting, Running, Stopping, Stopped, Exception) only in
# its window; no documented interface exports them. They are read as follows:
#   service Stopped / StopPending / StartPending   every process Stopped / Stopping / Starting
#   service Running   one CtAPI connection (lib/ctapi.ps1) asks Cicode
#                     ServerInfoEx("Server", 0, <component>[, <cluster>]) for each server process
#                     (I/O Server -> IOServer, Alarm, Trend, Report), as po_info does: an answer
#                     of 0 or 1 means Running, anything else Starting. Client and System Services
#                     are Running when CtAPI connects (CtAPI is served by the runtime), and every
#                     process is Starting while it does not.
# So on a real host a process that never comes up stays Starting until the caller's timeout;
# Exception is not observable through these interfaces.

$PoRuntimeComponents = @{ 'I/O Server' = 'IOServer'; 'Alarm' = 'Alarm'; 'Trend' = 'Trend'; 'Report' = 'Report' }
$PoRuntimeConnected = @('Client', 'System Services')
$PoRuntimeServiceStates = @{ Stopped = 'Stopped'; StopPending = 'Stopping'; StartPending = 'Starting' }
$PoRuntimeDefaultProcesses = @('I/O Server', 'Alarm', 'Trend', 'Report', 'Client', 'System Services')

function Find-PoRuntimeService {
    # The service named $Name, else the one service whose display name matches a pattern.
    param([string]$Name, [string[]]$Patterns)
    if ($Name) { return Get-ServiceRecord -Name $Name }
    $found = @(Find-ServiceRecord -Patterns $Patterns)
    if ($found.Count -eq 0) {
        throw (New-CategorisedError -Message "no runtime service has a display name like $(($Patterns | ForEach-Object { "'$_'" }) -join ', ')" -Category 'not_found')
    }
    if ($found.Count -gt 1) {
        $names = ($found | ForEach-Object { "$($_.name) ($($_.display_name))" }) -join ', '
        throw (New-CategorisedError -Message "several services match the runtime patterns: $names; name one with service_name" -Category 'ambiguous')
    }
    return $found[0]
}

function New-PoRuntimeProbe {
    # How to ask the runtime: {dll, user, password, timeout, powershell, cluster} from the
    # operation's ctapi parameters; the DLL defaults to <[CtEdit]Bin>\CtApi.dll.
    param($Ctapi)
    $probe = [ordered]@{ dll = ''; user = ''; password = ''; timeout = 30; powershell = ''; cluster = '' }
    if ($null -ne $Ctapi) {
        foreach ($key in @($probe.Keys)) {
            $value = $Ctapi.PSObject.Properties[$key]
            if ($null -ne $value -and $null -ne $value.Value -and [string]$value.Value -ne '') { $probe[$key] = $value.Value }
        }
    }
    if ($probe.cluster -and [string]$probe.cluster -notmatch '^[A-Za-z0-9_]{1,64}$') {
        throw (New-CategorisedError -Message 'ctapi.cluster must be letters, digits and underscores only' -Category 'invalid_parameter')
    }
    if (-not $probe.dll) {
        $install = Get-PoRequiredInstall
        $probe.dll = "$(([string]$install.Paths['bin']).TrimEnd('\'))\CtApi.dll"
    }
    return $probe
}

function Get-PoRuntimeProcessName {
    # The process names to report (the vendor's list when none are given); a name this
    # library cannot read fails before anything changes.
    param([string[]]$Expected)
    $names = @($Expected | Where-Object { $_ })
    if ($names.Count -eq 0) { return , $PoRuntimeDefaultProcesses }
    $unknown = @($names | Where-Object { -not $PoRuntimeComponents.ContainsKey($_) -and $PoRuntimeConnected -notcontains $_ })
    if ($unknown.Count -gt 0) {
        throw (New-CategorisedError -Message "no way to read the state of process $($unknown -join ', '); known: $($PoRuntimeDefaultProcesses -join ', ')" -Category 'not_found')
    }
    return , $names
}

function Get-PoRuntimeProcessState {
    # [{name, state, reason}] for process names from Get-PoRuntimeProcessName, read as the
    # header describes.
    # The caller reads the service status once and passes it, so both agree.
    param([string]$ServiceStatus, [string[]]$Expected, $Probe)
    if ($ServiceStatus -ne 'Running') {
        $state = $PoRuntimeServiceStates[$ServiceStatus]
        if (-not $state) { $state = 'Stopped' }
        return @($Expected | ForEach-Object { [ordered]@{ name = $_; state = $state; reason = $null } })
    }
    $servers = @($Expected | Where-Object { $PoRuntimeComponents.ContainsKey($_) })
    $commands = @($servers | ForEach-Object {
            if ($Probe.cluster) { 'ServerInfoEx("Server", 0, "{0}", "{1}")' -f $PoRuntimeComponents[$_], $Probe.cluster }
            else { 'ServerInfoEx("Server", 0, "{0}")' -f $PoRuntimeComponents[$_] }
        })
    $answer = Invoke-CtApi -DllPath ([string]$Probe.dll) -User ([string]$Probe.user) -Password ([string]$Probe.password) `
        -Commands $commands -TimeoutSeconds ([int]$Probe.timeout) -PowerShellPath ([string]$Probe.powershell)
    $states = @{}
    for ($i = 0; $i -lt $servers.Count; $i++) {
        $value = ''
        if ($answer.connected -and $answer.results[$i].ok) { $value = ([string]$answer.results[$i].value).Trim() }
        $states[$servers[$i]] = 'Starting'
        if ($value -eq '0' -or $value -eq '1') { $states[$servers[$i]] = 'Running' }
    }
    foreach ($name in $PoRuntimeConnected) {
        $states[$name] = 'Starting'
        if ($answer.connected) { $states[$name] = 'Running' }
    }
    return @($Expected | ForEach-Object { [ordered]@{ name = $_; state = $states[$_]; reason = $null } })
}
