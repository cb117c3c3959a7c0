# scada.redundancy:operation archive_stat
# scada.redundancy:requires fingerprint
# scada.redundancy:requires archive
# What a transfer needs to know about one file before it starts: whether it exists, its size
# and SHA-256, the '<path>.partial' an interrupted transfer left (size and SHA-256, so the
# controller can decide to resume it), and the SHA-256 of the file's first bytes (to compare
# with a partial copy elsewhere). Reads only. Parameters (from $Params):
#   path            full path of the file ('D:\...'; a share path '\\server\share\...' too)
#   sha256          compute the file's SHA-256 (streamed)
#   partial         also report '<path>.partial'
#   prefix_length   when >= 0, the SHA-256 of the file's first prefix_length bytes
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$path = [string]$Params.path
Assert-ArchivePath -Path $path -What 'path' -AllowUnc
$prefixLength = [int64]$Params.prefix_length

function Get-FileFacts {
    param([string]$LiteralPath, [bool]$Hash, [int64]$Prefix)
    $facts = [ordered]@{ exists = $false; size = $null; sha256 = $null; prefix_sha256 = $null }
    if (-not (Test-Path -LiteralPath $LiteralPath -PathType Leaf)) { return $facts }
    $stream = New-Object -TypeName System.IO.FileStream -ArgumentList $LiteralPath, 'Open', 'Read', 'Read'
    try {
        $facts.exists = $true
        $facts.size = [int64]$stream.Length
        if ($Prefix -ge 0 -and $Prefix -le $stream.Length) {
            $facts.prefix_sha256 = (Copy-ArchiveStream -From $stream -To $null -Limit $Prefix).Sha256
            $stream.Position = 0
        }
        if ($Hash) { $facts.sha256 = (Copy-ArchiveStream -From $stream -To $null).Sha256 }
    }
    finally {
        $stream.Dispose()
    }
    return $facts
}

try {
    $result = Get-FileFacts -LiteralPath $path -Hash ([bool]$Params.sha256) -Prefix $prefixLength
    $result['path'] = $path
    if ([bool]$Params.partial) {
        $partial = Get-FileFacts -LiteralPath ($path + '.partial') -Hash $true -Prefix -1
        $result['partial'] = [ordered]@{ exists = $partial.exists; size = $partial.size; sha256 = $partial.sha256 }
    }
}
catch [System.IO.IOException], [System.UnauthorizedAccessException] {
    throw (New-ArchiveIoError -Message "cannot read '$path'" -Exception $_.Exception)
}
$result
