# scada.redundancy:operation sms_check
# Reads, read-only, where this System Platform node is told to find its System Management
# Server (SMS): the installer's configurator keys Common Platform.ASBRuntime.ManagementServerName
# and ...ManagementServerPort. Where the product stores them on a node is not documented, so
# the registry keys and value names come from the caller. Parameters ($Params):
#   key_paths      registry keys to search in order ('HKLM\...' or 'HKLM:\...'); the first key
#                  holding a non-empty server value wins
#   server_value   the value name holding the server name
#   port_value     the value name holding the port
# Result: configured, server, port ($null when absent), key (where found, or $null),
# searched ([{key, exists}]).
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function New-Failure {
    param([string]$Message, [string]$Category)
    $err = New-Object -TypeName System.ArgumentException -ArgumentList $Message
    $err.Data['category'] = $Category
    return $err
}

function Open-Key {
    param([string]$Path)
    $parts = @(([string]$Path).Replace('/', '\').Split([char[]]@('\'), [System.StringSplitOptions]::RemoveEmptyEntries))
    if ($parts.Count -lt 2) { throw (New-Failure -Message "not a registry key path: '$Path'" -Category 'invalid_parameter') }
    $hive = $null
    switch ($parts[0].TrimEnd(':').ToUpperInvariant()) {
        'HKLM' { $hive = [Microsoft.Win32.Registry]::LocalMachine }
        'HKEY_LOCAL_MACHINE' { $hive = [Microsoft.Win32.Registry]::LocalMachine }
        default { throw (New-Failure -Message "only HKLM keys are read: '$Path'" -Category 'invalid_parameter') }
    }
    $sub = ($parts | Select-Object -Skip 1) -join '\'
    return $hive.OpenSubKey($sub, $false)
}

$serverName = [string]$Params.server_value
$portName = [string]$Params.port_value
$searched = @()
$found = $null
$server = $null
$port = $null
foreach ($path in @($Params.key_paths)) {
    $key = Open-Key -Path ([string]$path)
    $searched += [ordered]@{ key = [string]$path; exists = ($null -ne $key) }
    if ($null -eq $key) { continue }
    try {
        $value = $key.GetValue($serverName, $null)
        if ($null -ne $value -and -not [string]::IsNullOrWhiteSpace([string]$value)) {
            $found = [string]$path
            $server = ([string]$value).Trim()
            $rawPort = $key.GetValue($portName, $null)
            if ($null -ne $rawPort) {
                $number = 0
                if ([int]::TryParse(([string]$rawPort).Trim(), [ref]$number)) { $port = $number }
                else { $port = [string]$rawPort }
            }
        }
    }
    finally { $key.Close() }
    if ($null -ne $found) { break }
}
[ordered]@{
    configured = ($null -ne $found)
    server = $server
    port = $port
    key = $found
    searched = @($searched)
}
