# scada.redundancy:verb registry_subkeys
# The subkeys of a registry key, in the order Windows lists them, each with the named values
# ($null where a value is absent) (Get-ChildItem and Get-ItemProperty on the Registry provider).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [string[]]$names = @()
)

if (-not (Test-Path -LiteralPath $path)) {
    [ordered]@{ exists = $false; subkeys = @() }
    return
}
$subkeys = @(foreach ($key in Get-ChildItem -LiteralPath $path) {
        $item = Get-ItemProperty -LiteralPath $key.PSPath
        $values = [ordered]@{}
        foreach ($name in $names) {
            # A key with no values gives no item at all.
            $property = if ($null -eq $item) { $null } else { $item.PSObject.Properties[$name] }
            $values[$name] = if ($null -eq $property) { $null } else { $property.Value }
        }
        [ordered]@{ name = $key.PSChildName; values = $values }
    })
[ordered]@{ exists = $true; subkeys = $subkeys }
