# scada.redundancy:verb registry_get
# Whether a registry key exists, and the named values under it ($null where absent)
# (Test-Path and Get-ItemProperty on the Registry provider).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [string[]]$names = @()
)

$values = [ordered]@{}
if (-not (Test-Path -LiteralPath $path)) {
    foreach ($name in $names) { $values[$name] = $null }
    [ordered]@{ exists = $false; values = $values }
    return
}
$item = Get-ItemProperty -LiteralPath $path
foreach ($name in $names) {
    # A key with no values gives no item at all.
    $property = if ($null -eq $item) { $null } else { $item.PSObject.Properties[$name] }
    $values[$name] = if ($null -eq $property) { $null } else { $property.Value }
}
[ordered]@{ exists = $true; values = $values }
