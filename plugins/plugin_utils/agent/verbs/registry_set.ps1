# scada.redundancy:verb registry_set
# Set one registry value, creating its key when missing (New-Item -Force, then
# New-ItemProperty -PropertyType: String, ExpandString, MultiString, DWord, QWord, Binary).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [Parameter(Mandatory = $true)][string]$name,
    [Parameter(Mandatory = $true)][AllowNull()]$data,
    [Parameter(Mandatory = $true)][string]$kind
)

if (-not (Test-Path -LiteralPath $path)) { [void](New-Item -Path $path -Force) }
[void](New-ItemProperty -LiteralPath $path -Name $name -Value $data -PropertyType $kind -Force)
[ordered]@{ path = $path; name = $name }
