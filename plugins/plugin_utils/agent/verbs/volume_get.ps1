# scada.redundancy:verb volume_get
# A local drive's size and free space (Win32_LogicalDisk, by DeviceID such as 'D:'); no drive
# named means the system drive ($env:SystemDrive).
[CmdletBinding()]
param(
    [string]$drive = ''
)

if (-not $drive) { $drive = $env:SystemDrive }
# Filtered here, not in WQL text: a value never becomes query text.
$disk = @(Get-CimInstance -ClassName Win32_LogicalDisk | Where-Object { $_.DeviceID -eq $drive }) | Select-Object -First 1
if ($null -eq $disk) {
    [ordered]@{ drive = $drive; exists = $false; free_bytes = $null; size_bytes = $null }
}
else {
    [ordered]@{ drive = [string]$disk.DeviceID; exists = $true; free_bytes = [int64]$disk.FreeSpace; size_bytes = [int64]$disk.Size }
}
