# scada.redundancy:verb folders_swap
# Put staged folders in place of folders, all or none: for each {path, staged}, an older
# '<path>.previous' is removed, <path> becomes '<path>.previous' and staged becomes <path>
# (Directory.Move: renames on one volume). On a failure every folder already swapped is put
# back from its '.previous' and the failure reported; without keep_previous the '.previous'
# folders are removed once all are in, those that cannot be in previous_left (Remove-Item).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$folders,
    [bool]$keep_previous = $true
)

$done = New-Object -TypeName System.Collections.ArrayList
try {
    foreach ($folder in $folders) {
        $previous = "$($folder.path).previous"
        if (Test-Path -LiteralPath $previous) { Remove-Item -LiteralPath $previous -Recurse -Force }
        [IO.Directory]::Move([string]$folder.path, $previous)
        [void]$done.Add([string]$folder.path)
        [IO.Directory]::Move([string]$folder.staged, [string]$folder.path)
    }
}
catch {
    $failure = $_
    for ($i = $done.Count - 1; $i -ge 0; $i--) {  # each put back on its own: one failing stops no other
        try {
            $aside = "$($done[$i]).$([guid]::NewGuid().ToString('N')).previous"
            if (Test-Path -LiteralPath $done[$i]) { [IO.Directory]::Move($done[$i], $aside) }
            [IO.Directory]::Move("$($done[$i]).previous", $done[$i])
            Remove-Item -LiteralPath $aside -Recurse -Force -ErrorAction SilentlyContinue
        }
        catch { $null = $_ }
    }
    throw $failure
}
$left = @(if (-not $keep_previous) {
        foreach ($path in $done) { try { Remove-Item -LiteralPath "$path.previous" -Recurse -Force } catch { "$path.previous" } }
    })
[ordered]@{ swapped = $done.ToArray(); previous_left = $left }
