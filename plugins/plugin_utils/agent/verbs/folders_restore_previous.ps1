# scada.redundancy:verb folders_restore_previous
# Put '<path>.previous' back as <path>, for each path: what is at <path> is first renamed aside
# (to a name ending in '.previous') and removed only once the previous content is in place, so
# a locked file cannot leave a half-removed folder (Directory.Move, Remove-Item -Recurse).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string[]]$paths
)

foreach ($path in $paths) {
    $aside = "$path.$([guid]::NewGuid().ToString('N')).previous"
    if (Test-Path -LiteralPath $path) { [IO.Directory]::Move($path, $aside) }
    [IO.Directory]::Move("$path.previous", $path)
    if (Test-Path -LiteralPath $aside) { Remove-Item -LiteralPath $aside -Recurse -Force }
}
[ordered]@{ restored = $paths }
