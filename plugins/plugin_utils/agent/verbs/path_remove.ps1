# scada.redundancy:verb path_remove
# Remove a file or a folder with everything in it (Remove-Item -Recurse -Force); a path that
# is not there is no error: {removed} says whether anything was.
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path
)

if (-not (Test-Path -LiteralPath $path)) {
    [ordered]@{ removed = $false }
    return
}
Remove-Item -LiteralPath $path -Recurse -Force
[ordered]@{ removed = $true }
