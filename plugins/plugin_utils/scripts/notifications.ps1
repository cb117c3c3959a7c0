# scada.redundancy:operation notifications
# Notification services into maintenance and back: the scriptable part of Event Notification
# Module "maintenance mode" (no heartbeat or event notifications while the pair is updated).
#   maintenance  record each matching service's status and start type in the state file
#                (before changing anything), then disable and stop the services that are not
#                already Stopped and Disabled. An existing state file means a maintenance is
#                under way: its records (the states before the first maintenance) are kept and
#                only services it does not list yet are added.
#   restore      put every recorded service back exactly: start type first, then status
#                (started if it was running, stopped if it was stopped); remove the state
#                file. Without saved_state, the state file is read (a rerun after a crash).
# Parameters (from $Params):
#   action       maintenance | restore
#   patterns     display-name wildcards of the notification services (maintenance)
#   saved_state  {version, saved_at, computer_name, services: [{name, display_name, status,
#                start_type}]} as maintenance returned it, or null (restore)
#   state_path   the state file, a JSON document of the same shape
#   timeout      seconds each service may take to stop or start
#   check_mode   report what would change, change nothing
# scada.redundancy:requires services
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

# The service that carries this connection: stopping it would cut the task off mid-way.
$ProtectedServices = @('WinRM')

function Read-SavedState {
    # The state file's document, or $null when there is none.
    param([string]$Path)
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { return $null }
    try {
        $state = ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($Path))
    }
    catch {
        throw (New-CategorisedError -Message "cannot read the saved state ${Path}: $($_.Exception.Message)" -Category 'state_file')
    }
    if ($null -eq $state -or $null -eq $state.PSObject.Properties['services']) {
        throw (New-CategorisedError -Message "$Path is not a saved notification state" -Category 'state_file')
    }
    return $state
}

function Write-SavedState {
    # Write the state file through a temporary file, so a crash never leaves half a record.
    param([string]$Path, $State)
    try {
        $folder = [System.IO.Path]::GetDirectoryName($Path)
        $null = [System.IO.Directory]::CreateDirectory($folder)
        $temporary = "$Path.tmp"
        $text = ConvertTo-Json -InputObject $State -Depth 5
        [System.IO.File]::WriteAllText($temporary, $text, (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false))
        if ([System.IO.File]::Exists($Path)) { [System.IO.File]::Replace($temporary, $Path, [NullString]::Value) }
        else { [System.IO.File]::Move($temporary, $Path) }
    }
    catch {
        throw (New-CategorisedError -Message "cannot save the notification state to ${Path}: $($_.Exception.Message)" -Category 'state_file')
    }
}

function New-Change {
    param($Before, [string]$Status, [string]$StartType)
    return [ordered]@{
        name = $Before.name
        display_name = $Before.display_name
        before = [ordered]@{ status = $Before.status; start_type = $Before.start_type }
        after = [ordered]@{ status = $Status; start_type = $StartType }
    }
}

function Get-ServiceAfter {
    # A service's record after the run; in check mode, what it would be.
    param($Before, [bool]$Predict, [string]$Status, [string]$StartType)
    if ($Predict) {
        return [ordered]@{ name = $Before.name; display_name = $Before.display_name; status = $Status; start_type = $StartType }
    }
    return Get-ServiceRecord -Name $Before.name
}

function Invoke-Maintenance {
    param([string[]]$Patterns, [string]$Path, [bool]$Check, [double]$Seconds)
    if ($Patterns.Count -eq 0) {
        throw (New-CategorisedError -Message 'at least one display-name pattern is needed' -Category 'invalid_parameter')
    }
    $found = @(Find-ServiceRecord -Patterns $Patterns)
    $protected = @($found | Where-Object { $ProtectedServices -contains $_.name } | ForEach-Object { $_.name })
    if ($protected.Count -gt 0) {
        throw (New-CategorisedError -Message "the patterns match $($protected -join ', '), which carries this connection; narrow the patterns" -Category 'refused')
    }
    $onFile = Read-SavedState -Path $Path
    $recorded = @()
    $saved = [ordered]@{
        version = 1
        saved_at = [DateTime]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")
        computer_name = $env:COMPUTERNAME
        services = @()
    }
    if ($null -ne $onFile) {
        $saved = $onFile
        $recorded = @($onFile.services | ForEach-Object { ([string]$_.name).ToLowerInvariant() })
    }
    $new = @($found | Where-Object { $recorded -notcontains $_.name.ToLowerInvariant() })
    $saved.services = @($saved.services) + $new
    $toChange = @($found | Where-Object { (Get-SettledStatus -Status $_.status) -ne 'Stopped' -or $_.start_type -ne 'Disabled' })
    $changed = ($new.Count + $toChange.Count) -gt 0
    if ($changed -and -not $Check) {
        Write-SavedState -Path $Path -State $saved
        foreach ($service in $toChange) {
            if ($service.start_type -ne 'Disabled') { Set-ServiceStartType -Name $service.name -StartType 'Disabled' }
            Invoke-ServiceControl -Name $service.name -Action 'stop' -Seconds $Seconds
        }
    }
    $pending = @($toChange | ForEach-Object { $_.name })
    return [ordered]@{
        changed = $changed
        saved_state = $saved
        state_path = $Path
        changes = @($toChange | ForEach-Object { New-Change -Before $_ -Status 'Stopped' -StartType 'Disabled' })
        services = @($found | ForEach-Object { Get-ServiceAfter -Before $_ -Predict ($Check -and $pending -contains $_.name) -Status 'Stopped' -StartType 'Disabled' })
    }
}

function Invoke-Restore {
    param($Saved, [string]$Path, [bool]$Check, [double]$Seconds)
    $onFile = Read-SavedState -Path $Path
    if ($null -eq $Saved) { $Saved = $onFile }
    if ($null -eq $Saved) {
        return [ordered]@{
            changed = $false; saved_state = $null; state_path = $Path; changes = @(); services = @()
            msg = 'no saved state given and none on the host: nothing to restore'
        }
    }
    $wanted = @($Saved.services)
    foreach ($want in $wanted) {
        if (-not $want.name -or -not $want.status -or -not $want.start_type) {
            throw (New-CategorisedError -Message 'saved_state.services entries need name, status and start_type' -Category 'invalid_parameter')
        }
    }
    # Every recorded service must exist before any is changed.
    $current = @{}
    foreach ($want in $wanted) { $current[[string]$want.name] = Get-ServiceRecord -Name ([string]$want.name) }
    $toChange = @($wanted | Where-Object {
            $now = $current[[string]$_.name]
            $now.start_type -ne [string]$_.start_type -or (Get-SettledStatus -Status $now.status) -ne (Get-SettledStatus -Status ([string]$_.status))
        })
    if (-not $Check) {
        foreach ($want in $toChange) {
            $name = [string]$want.name
            if ($current[$name].start_type -ne [string]$want.start_type) {
                Set-ServiceStartType -Name $name -StartType ([string]$want.start_type)
            }
            $action = 'stop'
            if ((Get-SettledStatus -Status ([string]$want.status)) -eq 'Running') { $action = 'start' }
            Invoke-ServiceControl -Name $name -Action $action -Seconds $Seconds
        }
        if ($null -ne $onFile) { Remove-Item -LiteralPath $Path -Force }
    }
    $pending = @($toChange | ForEach-Object { [string]$_.name })
    return [ordered]@{
        changed = ($toChange.Count -gt 0) -or ($null -ne $onFile)
        saved_state = $Saved
        state_path = $Path
        changes = @($toChange | ForEach-Object { New-Change -Before $current[[string]$_.name] -Status (Get-SettledStatus -Status ([string]$_.status)) -StartType ([string]$_.start_type) })
        services = @($wanted | ForEach-Object {
                Get-ServiceAfter -Before $current[[string]$_.name] -Predict ($Check -and $pending -contains [string]$_.name) -Status (Get-SettledStatus -Status ([string]$_.status)) -StartType ([string]$_.start_type)
            })
    }
}

$path = [string]$Params.state_path
if (-not $path) {
    throw (New-CategorisedError -Message 'state_path is required' -Category 'invalid_parameter')
}
$timeout = [double]$Params.timeout
switch ([string]$Params.action) {
    'maintenance' {
        Invoke-Maintenance -Patterns @($Params.patterns | ForEach-Object { [string]$_ }) -Path $path -Check ([bool]$Params.check_mode) -Seconds $timeout
    }
    'restore' {
        Invoke-Restore -Saved $Params.saved_state -Path $path -Check ([bool]$Params.check_mode) -Seconds $timeout
    }
    default {
        throw (New-CategorisedError -Message 'action must be maintenance or restore' -Category 'invalid_parameter')
    }
}
