# scada.redundancy:verb file_read_range
# The bytes at [offset, offset+length) of a file (fewer at its end) as base64, with their
# SHA-256 and the file's size at the time, so the caller can check each piece and notice a
# file that changes while it is read; others may only read the file meanwhile. An offset
# beyond the end: category offset_mismatch (FileStream.Read; SHA256.ComputeHash).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [Parameter(Mandatory = $true)][long]$offset,
    [Parameter(Mandatory = $true)][ValidateRange(1, 67108864)][int]$length
)

$stream = [IO.File]::Open($path, 'Open', 'Read', 'Read')
try {
    $size = $stream.Length
    if ($offset -gt $size) { throw (New-AgentError "offset $offset is beyond the end of $path ($size bytes)" 'offset_mismatch') }
    $stream.Position = $offset
    $buffer = New-Object -TypeName 'byte[]' -ArgumentList ([int][Math]::Min([long]$length, $size - $offset))
    $filled = 0
    while ($filled -lt $buffer.Length) {
        $read = $stream.Read($buffer, $filled, $buffer.Length - $filled)
        if ($read -le 0) { break }
        $filled += $read
    }
}
finally { $stream.Dispose() }
$sha = [Security.Cryptography.SHA256]::Create()
try { $digest = ([BitConverter]::ToString($sha.ComputeHash($buffer, 0, $filled)) -replace '-', '').ToLowerInvariant() }
finally { $sha.Dispose() }
[ordered]@{ size = $size; offset = $offset; length = $filled; sha256 = $digest; base64 = [Convert]::ToBase64String($buffer, 0, $filled) }
