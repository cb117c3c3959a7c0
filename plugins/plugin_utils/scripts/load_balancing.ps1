# scada.redundancy:operation load_balancing
# CPU load balancing of redundant AppEngines on one System Platform node: the registry values
# EnableCPUBalancing (REG_DWORD 0/1, vendor default 0) and LoadObjectsNumberPerGroup
# (REG_DWORD, vendor default 50) under
# HKLM\SOFTWARE\Wow6432Node\ArchestrA\Framework\EngineFailoverStartup. Parameters ($Params):
#   enable_cpu_balancing   $true / $false, or $null to leave the value as it is
#   objects_per_group      a positive number, or $null to leave the value as it is
#   check                  report what would change, write nothing
# Result: key, before and after ({EnableCPUBalancing, LoadObjectsNumberPerGroup}: the value or
# $null when absent), effective (with the vendor defaults), changes ([{name, before, after}]).
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$keyPath = 'SOFTWARE\Wow6432Node\ArchestrA\Framework\EngineFailoverStartup'
$names = @('EnableCPUBalancing', 'LoadObjectsNumberPerGroup')
$defaults = @{ EnableCPUBalancing = 0; LoadObjectsNumberPerGroup = 50 }

function Read-Values {
    $values = [ordered]@{}
    $key = [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey($keyPath, $false)
    foreach ($name in $names) {
        $value = $null
        if ($null -ne $key) { $value = $key.GetValue($name, $null) }
        if ($null -ne $value) { $value = [int]$value }
        $values[$name] = $value
    }
    if ($null -ne $key) { $key.Close() }
    return $values
}

$wanted = [ordered]@{}
if ($null -ne $Params.enable_cpu_balancing) {
    $wanted['EnableCPUBalancing'] = [int][bool]$Params.enable_cpu_balancing
}
if ($null -ne $Params.objects_per_group) {
    $perGroup = [int]$Params.objects_per_group
    if ($perGroup -lt 1) {
        $err = New-Object -TypeName System.ArgumentException -ArgumentList 'objects_per_group must be at least 1'
        $err.Data['category'] = 'invalid_parameter'
        throw $err
    }
    $wanted['LoadObjectsNumberPerGroup'] = $perGroup
}

$before = Read-Values
$changes = @()
foreach ($name in $wanted.Keys) {
    if ($before[$name] -ne $wanted[$name]) {
        $changes += [ordered]@{ name = $name; before = $before[$name]; after = $wanted[$name] }
    }
}
if ($changes.Count -gt 0 -and -not $Params.check) {
    $key = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey($keyPath)
    try {
        foreach ($change in $changes) {
            $key.SetValue($change.name, [int]$change.after, [Microsoft.Win32.RegistryValueKind]::DWord)
        }
    }
    finally { $key.Close() }
}
$after = [ordered]@{}
foreach ($name in $names) {
    $after[$name] = $before[$name]
    if ($wanted.Contains($name)) { $after[$name] = $wanted[$name] }
}
$effective = [ordered]@{}
foreach ($name in $names) {
    $effective[$name] = $after[$name]
    if ($null -eq $effective[$name]) { $effective[$name] = $defaults[$name] }
}
[ordered]@{
    key = 'HKLM\' + $keyPath
    before = $before
    after = $after
    effective = $effective
    changes = @($changes)
}
