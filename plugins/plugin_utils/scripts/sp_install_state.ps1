# scada.redundancy:operation sp_install_state
# Read-only: the installed System Platform (uninstall entry by display-name wildcard), whether
# Windows has a restart pending, and an identifier of the current boot (the last boot time),
# which sp_install compares across a restart. Parameters ($Params):
#   display_name_pattern  wildcard of the System Platform uninstall entry's DisplayName
# Result: installed, version, display_name, install_location, pending_restart,
# pending_reasons ([string]), boot_id.
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Get-RegistryValue {
    param([string]$Path, [string]$Name)
    $item = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return $item.$Name
}

$pattern = [string]$Params.display_name_pattern
$product = [ordered]@{ installed = $false; version = $null; display_name = $null; install_location = $null }
$uninstall = @(
    'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall',
    'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall')
foreach ($root in $uninstall) {
    if ($product.installed -or -not (Test-Path -LiteralPath $root)) { continue }
    foreach ($key in Get-ChildItem -LiteralPath $root) {
        $name = Get-RegistryValue -Path $key.PSPath -Name 'DisplayName'
        if ($name -and ($name -like $pattern)) {
            $product.installed = $true
            $product.display_name = [string]$name
            $product.version = [string](Get-RegistryValue -Path $key.PSPath -Name 'DisplayVersion')
            $product.install_location = Get-RegistryValue -Path $key.PSPath -Name 'InstallLocation'
            break
        }
    }
}

# The usual markers of a pending restart (those setup programs themselves check).
$reasons = @()
if (Test-Path -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending') {
    $reasons += 'Component Based Servicing\RebootPending'
}
if (Test-Path -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired') {
    $reasons += 'WindowsUpdate\Auto Update\RebootRequired'
}
$renames = Get-RegistryValue -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager' -Name 'PendingFileRenameOperations'
if ($null -ne $renames -and @($renames | Where-Object { $_ }).Count -gt 0) {
    $reasons += 'Session Manager\PendingFileRenameOperations'
}
$active = Get-RegistryValue -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\ComputerName\ActiveComputerName' -Name 'ComputerName'
$wanted = Get-RegistryValue -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName' -Name 'ComputerName'
if ($active -and $wanted -and ($active -ne $wanted)) { $reasons += 'ComputerName change' }

$os = Get-CimInstance -ClassName Win32_OperatingSystem
[ordered]@{
    installed = $product.installed
    version = $product.version
    display_name = $product.display_name
    install_location = $product.install_location
    pending_restart = ($reasons.Count -gt 0)
    pending_reasons = @($reasons)
    boot_id = $os.LastBootUpTime.ToUniversalTime().ToString('o')
}
