# scada.redundancy:operation archive_write
# scada.redundancy:requires fingerprint
# scada.redundancy:requires archive
# The receiving end of a transfer through the controller. Data goes to '<path>.partial'
# first and reaches <path> only when its size and SHA-256 are proved (and, when asked, the
# archive's manifest and every member's checksum), so a broken transfer never leaves a
# half file under the final name. Parameters (from $Params):
#   path      full path of the destination file
#   action    append: add the chunk that follows on stdin (base64 lines after the NUL
#                     separator line) at offset; offset 0 starts a new partial file
#             commit: check the partial file against size and sha256, then move it to path
#                     (replacing what is there)
#             discard: remove the partial file
#   offset, length, sha256   (append) where the chunk goes, its length and SHA-256
#   size, sha256, validate   (commit) the whole file's size and SHA-256; validate: also
#                            prove the archive against its manifest before the move
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$path = [string]$Params.path
Assert-ArchivePath -Path $path -What 'path'
$partial = $path + '.partial'
$action = [string]$Params.action

function New-WriteError {
    param([string]$Message, [string]$Category)
    $err = New-Object -TypeName System.IO.InvalidDataException -ArgumentList $Message
    $err.Data['category'] = $Category
    return $err
}

function Add-Chunk {
    param([object]$Lines, [int64]$Offset, [int64]$Length, [string]$Digest)
    $folder = Split-Path -Path $path -Parent
    if (-not (Test-Path -LiteralPath $folder -PathType Container)) {
        [void](New-Item -Path $folder -ItemType Directory -Force)
    }
    $mode = 'Open'
    if ($Offset -eq 0) { $mode = 'Create' }
    elseif (-not (Test-Path -LiteralPath $partial -PathType Leaf)) {
        throw (New-WriteError -Message "no partial file to continue at offset $Offset" -Category 'offset_mismatch')
    }
    $stream = New-Object -TypeName System.IO.FileStream -ArgumentList $partial, $mode, 'ReadWrite', 'None'
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try {
        if ($stream.Length -ne $Offset) {
            throw (New-WriteError -Message "the partial file holds $($stream.Length) bytes, not $Offset" -Category 'offset_mismatch')
        }
        $stream.Position = $Offset
        [int64]$written = 0
        foreach ($line in $Lines) {
            if ([string]::IsNullOrEmpty($line)) { continue }
            $bytes = [System.Convert]::FromBase64String($line)
            [void]$sha.TransformBlock($bytes, 0, $bytes.Length, $null, 0)
            $stream.Write($bytes, 0, $bytes.Length)
            $written += $bytes.Length
        }
        [void]$sha.TransformFinalBlock((New-Object -TypeName 'byte[]' -ArgumentList 0), 0, 0)
        if ($written -ne $Length -or (ConvertTo-ArchiveHex -Bytes $sha.Hash) -ne $Digest) {
            $stream.SetLength($Offset)
            throw (New-WriteError -Message "the chunk at offset $Offset arrived damaged ($written of $Length bytes or a wrong sha256); it was not kept" -Category 'chunk_corrupt')
        }
        $stream.Flush()
        return [int64]$stream.Length
    }
    finally {
        $sha.Dispose()
        $stream.Dispose()
    }
}

function Complete-Partial {
    param([int64]$Size, [string]$Digest, [bool]$Validate)
    if (-not (Test-Path -LiteralPath $partial -PathType Leaf)) {
        throw (New-WriteError -Message "no partial file '$partial' to commit" -Category 'not_found')
    }
    $found = Get-ArchiveFileSha256 -LiteralPath $partial
    if ($found.Length -ne $Size -or $found.Sha256 -ne $Digest) {
        Remove-Item -LiteralPath $partial -Force
        throw (New-WriteError -Message "the received file ($($found.Length) bytes, sha256 $($found.Sha256)) differs from the source ($Size bytes, sha256 $Digest); it was removed" -Category 'checksum_mismatch')
    }
    if ($Validate) {
        Initialize-ArchiveSupport
        try { [void](Test-ArchiveIntegrity -LiteralPath $partial) }
        catch {
            Remove-Item -LiteralPath $partial -Force
            throw
        }
    }
    if (Test-Path -LiteralPath $path -PathType Leaf) { Remove-Item -LiteralPath $path -Force }
    [System.IO.File]::Move($partial, $path)
    return [ordered]@{ path = $path; size = $found.Length; sha256 = $found.Sha256 }
}

try {
    switch -CaseSensitive ($action) {
        'append' {
            $size = Add-Chunk -Lines $input -Offset ([int64]$Params.offset) -Length ([int64]$Params.length) -Digest ([string]$Params.sha256)
            [ordered]@{ path = $path; partial_size = $size }
        }
        'commit' {
            Complete-Partial -Size ([int64]$Params.size) -Digest ([string]$Params.sha256) -Validate ([bool]$Params.validate)
        }
        'discard' {
            $existed = Test-Path -LiteralPath $partial -PathType Leaf
            if ($existed) { Remove-Item -LiteralPath $partial -Force }
            [ordered]@{ path = $path; removed = $existed }
        }
        default {
            throw (New-WriteError -Message "action must be append, commit or discard, not '$action'" -Category 'invalid_parameter')
        }
    }
}
catch [System.IO.InvalidDataException], [System.ArgumentException] {
    throw
}
catch [System.IO.IOException], [System.UnauthorizedAccessException] {
    throw (New-ArchiveIoError -Message "cannot write '$partial'" -Exception $_.Exception)
}
