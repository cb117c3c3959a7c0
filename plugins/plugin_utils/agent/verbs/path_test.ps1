# scada.redundancy:verb path_test
# Whether a path exists, and as what: {exists, kind ('file', 'directory' or $null), size}
# (Test-Path -PathType Leaf / Container; FileInfo.Length).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path
)

if (Test-Path -LiteralPath $path -PathType Leaf) {
    [ordered]@{ exists = $true; kind = 'file'; size = (Get-Item -LiteralPath $path).Length }
}
elseif (Test-Path -LiteralPath $path -PathType Container) {
    [ordered]@{ exists = $true; kind = 'directory'; size = $null }
}
else {
    [ordered]@{ exists = $false; kind = $null; size = $null }
}
