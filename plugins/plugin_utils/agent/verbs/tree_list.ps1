# scada.redundancy:verb tree_list
# The files and folders below a folder, to depth levels (-1: all), breadth first, each with its
# path relative to the folder, size, last write time (UTC) and, with sha256, its SHA-256; the bytes
# (base64) of files whose name is -like one of read and at most max_read bytes; folders directly
# below path named -like one of skip are left out with everything below them; reparse points are
# listed, not entered
# (Get-ChildItem -Force, FileInfo, SHA256.ComputeHash, File.ReadAllBytes).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [int]$depth = 1,
    [bool]$sha256 = $false,
    [string[]]$read = @(),
    [long]$max_read = 1048576,
    [string[]]$skip = @()
)

if (-not (Test-Path -LiteralPath $path -PathType Container)) {
    [ordered]@{ exists = $false; entries = @() }
    return
}
$root = (Get-Item -LiteralPath $path -Force).FullName.TrimEnd('\')
$sha = [Security.Cryptography.SHA256]::Create()
$entries = New-Object -TypeName System.Collections.ArrayList
$pending = New-Object -TypeName System.Collections.Queue
$pending.Enqueue(@($root, 1))
while ($pending.Count -gt 0) {
    $folder, $level = $pending.Dequeue()
    foreach ($item in Get-ChildItem -LiteralPath $folder -Force) {
        $name = $item.Name
        if ($level -eq 1 -and $item.PSIsContainer -and @($skip | Where-Object { $name -like $_ }).Count -gt 0) { continue }
        $entry = [ordered]@{
            path = $item.FullName.Substring($root.Length + 1); dir = [bool]$item.PSIsContainer
            size = $null; modified = $item.LastWriteTimeUtc.ToString('o'); sha256 = $null; base64 = $null
        }
        if ($item.PSIsContainer) {
            $link = ($item.Attributes -band [IO.FileAttributes]::ReparsePoint) -ne 0
            if (-not $link -and ($depth -lt 0 -or $level -lt $depth)) { $pending.Enqueue(@($item.FullName, ($level + 1))) }
        }
        else {
            $entry.size = $item.Length
            if ($sha256) {
                $stream = [IO.File]::OpenRead($item.FullName)
                try { $entry.sha256 = ([BitConverter]::ToString($sha.ComputeHash($stream)) -replace '-', '').ToLowerInvariant() }
                finally { $stream.Dispose() }
            }
            if ($item.Length -le $max_read -and @($read | Where-Object { $name -like $_ }).Count -gt 0) {
                $entry.base64 = [Convert]::ToBase64String([IO.File]::ReadAllBytes($item.FullName))
            }
        }
        [void]$entries.Add($entry)
    }
}
$sha.Dispose()
[ordered]@{ exists = $true; entries = $entries.ToArray() }
