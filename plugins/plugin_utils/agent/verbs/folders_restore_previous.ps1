# scada.redundancy:verb folders_restore_previous
# Put '<path>.previous' back as <path>, for each path: what is at <path> is first renamed aside
# (to a name ending in '.previous') and removed only once the previous content is in place, so
# a locked file cannot leave a half-removed folder; an aside folder that cannot be removed is
# reported in left_aside (Directory.Move, Remove-Item -Recurse). A missing .previous: not_found.
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string[]]$paths
)

$left = New-Object -TypeName System.Collections.ArrayList
foreach ($path in $paths) {
    if (-not [IO.Directory]::Exists("$path.previous")) { throw (New-AgentError "$path.previous does not exist" 'not_found') }
    $aside = "$path.$([guid]::NewGuid().ToString('N')).previous"
    if (Test-Path -LiteralPath $path) { [IO.Directory]::Move($path, $aside) }
    try { [IO.Directory]::Move("$path.previous", $path) }
    catch { if (Test-Path -LiteralPath $aside) { [IO.Directory]::Move($aside, $path) }; throw }
    try { if (Test-Path -LiteralPath $aside) { Remove-Item -LiteralPath $aside -Recurse -Force } }
    catch { [void]$left.Add($aside) }  # restored all the same; what could not be removed is reported
}
[ordered]@{ restored = $paths; left_aside = $left.ToArray() }
