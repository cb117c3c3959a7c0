# scada.redundancy:verb file_read
# The bytes of a small file, base64 (File.Open sharing read, write and delete, so a process
# that replaces the file meanwhile is not refused); larger than max_bytes is refused (category
# too_large) so a mistake cannot pull a large file through WinRM.
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [long]$max_bytes = 16777216
)

if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
    [ordered]@{ exists = $false; size = $null; base64 = $null }
    return
}
$size = (Get-Item -LiteralPath $path).Length
if ($size -gt $max_bytes) {
    throw (New-AgentError -Message "$path is $size bytes, more than the $max_bytes this read allows" -Category 'too_large')
}
# Shared for writing and deleting, so a writer that replaces the file is never refused.
$stream = [IO.File]::Open($path, 'Open', 'Read', 'ReadWrite, Delete')
$bytes = New-Object -TypeName IO.MemoryStream
try { $stream.CopyTo($bytes) } finally { $stream.Dispose() }
[ordered]@{ exists = $true; size = $bytes.Length; base64 = [Convert]::ToBase64String($bytes.ToArray()) }
