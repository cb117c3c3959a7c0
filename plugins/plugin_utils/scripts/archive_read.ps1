# scada.redundancy:operation archive_read
# scada.redundancy:requires fingerprint
# scada.redundancy:requires archive
# One chunk of a file, for a transfer through the controller: the bytes at [offset,
# offset+length) as base64, with their SHA-256 and the file's current size, so the
# controller checks each chunk and notices a file that changes under it. The file is opened
# for reading with read sharing only. Parameters (from $Params):
#   path     full path of the file
#   offset   first byte (0 <= offset <= size)
#   length   bytes to read (1 .. 67108864); fewer come back at the end of the file
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$path = [string]$Params.path
Assert-ArchivePath -Path $path -What 'path' -AllowUnc
$offset = [int64]$Params.offset
$length = [int64]$Params.length
if ($offset -lt 0 -or $length -lt 1 -or $length -gt 67108864) {
    $err = New-Object -TypeName System.ArgumentException -ArgumentList 'offset must be >= 0 and length between 1 and 67108864'
    $err.Data['category'] = 'invalid_parameter'
    throw $err
}
if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
    $err = New-Object -TypeName System.IO.FileNotFoundException -ArgumentList "'$path' does not exist"
    $err.Data['category'] = 'not_found'
    throw $err
}

try {
    $stream = New-Object -TypeName System.IO.FileStream -ArgumentList $path, 'Open', 'Read', 'Read'
    try {
        $size = [int64]$stream.Length
        if ($offset -gt $size) {
            $err = New-Object -TypeName System.ArgumentException -ArgumentList "offset $offset is beyond the end of '$path' ($size bytes)"
            $err.Data['category'] = 'offset_mismatch'
            throw $err
        }
        $stream.Position = $offset
        $buffer = New-Object -TypeName 'byte[]' -ArgumentList ([int][System.Math]::Min($length, $size - $offset))
        $filled = 0
        while ($filled -lt $buffer.Length) {
            $read = $stream.Read($buffer, $filled, $buffer.Length - $filled)
            if ($read -le 0) { break }
            $filled += $read
        }
    }
    finally {
        $stream.Dispose()
    }
}
catch [System.IO.IOException], [System.UnauthorizedAccessException] {
    throw (New-ArchiveIoError -Message "cannot read '$path'" -Exception $_.Exception)
}
$sha = [System.Security.Cryptography.SHA256]::Create()
try { $digest = ConvertTo-ArchiveHex -Bytes $sha.ComputeHash($buffer, 0, $filled) }
finally { $sha.Dispose() }

[ordered]@{
    path = $path
    size = $size
    offset = $offset
    length = $filled
    eof = (($offset + $filled) -ge $size)
    sha256 = $digest
    data = [System.Convert]::ToBase64String($buffer, 0, $filled)
}
