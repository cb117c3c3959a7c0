# scada.redundancy:operation host_info
# Read-only facts about a SCADA server: OS, the connecting user, free space on the data drive,
# and which of the two products are installed and where. Parameters (from $Params):
#   data_drive          drive letter such as 'D:'; empty means the system drive
#   system_platform_pattern  display-name wildcard of the System Platform uninstall entry
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Get-RegistryValue {
    param([string]$Path, [string]$Name)
    $item = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return $item.$Name
}

function Get-PowerOperationInstall {
    # Documented discovery: the first subkey of 'Citect\SCADA Installs' names the version and
    # holds the citect.ini path and the Bin folder.
    $root = 'HKLM:\SOFTWARE\WOW6432Node\Citect\SCADA Installs'
    if (-not (Test-Path -LiteralPath $root)) { return $null }
    $first = Get-ChildItem -LiteralPath $root | Select-Object -First 1
    if ($null -eq $first) { return $null }
    return [ordered]@{
        installed = $true
        version = $first.PSChildName
        bin_folder = Get-RegistryValue -Path $first.PSPath -Name 'BinFolder'
        ini_path = Get-RegistryValue -Path $first.PSPath -Name 'DefaultINIPath'
    }
}

function Get-SystemPlatformInstall {
    param([string]$Pattern)
    $uninstall = @(
        'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall',
        'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall')
    foreach ($root in $uninstall) {
        if (-not (Test-Path -LiteralPath $root)) { continue }
        foreach ($key in Get-ChildItem -LiteralPath $root) {
            $name = Get-RegistryValue -Path $key.PSPath -Name 'DisplayName'
            if ($name -and ($name -like $Pattern)) {
                return [ordered]@{
                    installed = $true
                    display_name = $name
                    version = Get-RegistryValue -Path $key.PSPath -Name 'DisplayVersion'
                    install_location = Get-RegistryValue -Path $key.PSPath -Name 'InstallLocation'
                }
            }
        }
    }
    return $null
}

$os = Get-CimInstance -ClassName Win32_OperatingSystem
$drive = [string]$Params.data_drive
if (-not $drive) { $drive = $env:SystemDrive }
if ($drive -notmatch '^[A-Za-z]:$') {
    $err = New-Object -TypeName System.ArgumentException -ArgumentList "data_drive must look like 'D:'"
    $err.Data['category'] = 'invalid_parameter'
    throw $err
}
$disk = Get-CimInstance -ClassName Win32_LogicalDisk -Filter ("DeviceID='{0}'" -f $drive.ToUpperInvariant())
if ($null -eq $disk) {
    $err = New-Object -TypeName System.IO.DriveNotFoundException -ArgumentList "drive $drive does not exist"
    $err.Data['category'] = 'not_found'
    throw $err
}
$identity = [Security.Principal.WindowsIdentity]::GetCurrent()
$principal = New-Object -TypeName Security.Principal.WindowsPrincipal -ArgumentList $identity

$products = [ordered]@{
    power_operation = Get-PowerOperationInstall
    system_platform = Get-SystemPlatformInstall -Pattern ([string]$Params.system_platform_pattern)
}
foreach ($name in @($products.Keys)) {
    if ($null -eq $products[$name]) { $products[$name] = [ordered]@{ installed = $false } }
}

[ordered]@{
    computer_name = $env:COMPUTERNAME
    os = [ordered]@{ caption = $os.Caption; version = $os.Version }
    user = [ordered]@{
        name = $identity.Name
        is_admin = $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
    }
    data_drive = [ordered]@{
        drive = $drive.ToUpperInvariant()
        free_bytes = [int64]$disk.FreeSpace
        size_bytes = [int64]$disk.Size
    }
    products = $products
}
