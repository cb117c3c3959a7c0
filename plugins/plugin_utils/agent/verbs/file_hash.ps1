# scada.redundancy:verb file_hash
# A file's size and the SHA-256 of its first length bytes (-1: all of them), read in 1 MiB
# blocks while others may only read it; hashed says how many bytes that was; exists: false
# when there is no file. A share path (\\server\share\...) is read with the connection's
# own logon (Test-Path -PathType Leaf; FileStream; HashAlgorithm.TransformBlock).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [long]$length = -1
)

if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
    [ordered]@{ exists = $false; size = $null; hashed = 0; sha256 = $null }
    return
}
$stream = [IO.File]::Open($path, 'Open', 'Read', 'Read')
# A new hash object per hash: .NET Framework's TransformFinalBlock does not reset one.
$sha = [Security.Cryptography.SHA256]::Create()
try {
    $size = $stream.Length
    $left = $size
    if ($length -ge 0) { $left = [Math]::Min($length, $size) }
    [long]$hashed = 0
    $buffer = New-Object -TypeName 'byte[]' -ArgumentList 1048576
    while ($hashed -lt $left) {
        $read = $stream.Read($buffer, 0, [int][Math]::Min([long]$buffer.Length, $left - $hashed))
        if ($read -le 0) { break }
        [void]$sha.TransformBlock($buffer, 0, $read, $null, 0)
        $hashed += $read
    }
    [void]$sha.TransformFinalBlock($buffer, 0, 0)
    [ordered]@{ exists = $true; size = $size; hashed = $hashed; sha256 = ([BitConverter]::ToString($sha.Hash) -replace '-', '').ToLowerInvariant() }
}
finally {
    $sha.Dispose()
    $stream.Dispose()
}
