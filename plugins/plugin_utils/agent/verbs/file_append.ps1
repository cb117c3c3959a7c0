# scada.redundancy:verb file_append
# Add a piece (base64) to a file at offset: offset 0 creates or empties the file, any other
# offset must be the file's current length (else category offset_mismatch). The piece is
# written only when its decoded bytes have the given SHA-256 (else chunk_corrupt); a write
# that fails is cut off again (FileStream.SetLength), a full disk is category disk_full
# (HResult 112 or 39). Nobody else may open the file meanwhile (FileShare.None).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [Parameter(Mandatory = $true)][long]$offset,
    [Parameter(Mandatory = $true)][AllowEmptyString()][string]$base64,
    [Parameter(Mandatory = $true)][string]$sha256
)

$bytes = [Convert]::FromBase64String($base64)
$sha = [Security.Cryptography.SHA256]::Create()
try { $digest = ([BitConverter]::ToString($sha.ComputeHash($bytes)) -replace '-', '').ToLowerInvariant() }
finally { $sha.Dispose() }
if ($digest -ne $sha256) { throw (New-AgentError "the piece for offset $offset of $path arrived damaged (sha256 $digest); it was not written" 'chunk_corrupt') }
if ($offset -gt 0 -and -not (Test-Path -LiteralPath $path -PathType Leaf)) {
    throw (New-AgentError "$path does not exist to continue at offset $offset" 'offset_mismatch')
}
$mode = 'Open'
if ($offset -eq 0) { $mode = 'Create' }
# A buffer of one byte: every Write reaches the disk at once, so none is left to fail later.
$stream = New-Object -TypeName IO.FileStream -ArgumentList $path, $mode, 'ReadWrite', 'None', 1
try {
    if ($stream.Length -ne $offset) { throw (New-AgentError "$path holds $($stream.Length) bytes, not $offset" 'offset_mismatch') }
    $stream.Position = $offset
    try { $stream.Write($bytes, 0, $bytes.Length) }
    catch {
        $failure = $_
        try { $stream.SetLength($offset) } catch { $null = $_ }
        $base = $failure.Exception.GetBaseException()
        if ($base -is [IO.IOException] -and (($base.HResult -band 0xFFFF) -in 39, 112)) { throw (New-AgentError $base.Message 'disk_full') }
        throw $failure
    }
    [ordered]@{ path = $path; size = $stream.Length }
}
finally { $stream.Dispose() }
