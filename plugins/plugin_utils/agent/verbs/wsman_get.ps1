# scada.redundancy:verb wsman_get
# The values of WinRM settings under WSMan:\localhost, by relative path ('MaxEnvelopeSizekb',
# 'Shell\MaxShellsPerUser'), as the WSMan provider gives them (strings); $null where it gives
# no item (Get-Item on the WSMan provider: about_WSMan_Provider).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string[]]$names
)

$values = [ordered]@{}
foreach ($name in $names) {
    $item = Get-Item -LiteralPath "WSMan:\localhost\$name" -ErrorAction SilentlyContinue
    $values[$name] = if ($null -eq $item) { $null } else { [string]$item.Value }
}
[ordered]@{ values = $values }
