# scada.redundancy:verb zip_list
# The entries of a zip (name, size, compressed size; with sha256 each entry's SHA-256), the
# bytes (base64) of the entries named in read, at most max_read bytes each (larger: category
# too_large), and the size and SHA-256 of the file itself; exists: false when there is no file.
# A file that is no readable zip: category corrupt (ZipFile.OpenRead, InvalidDataException).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [bool]$sha256 = $false,
    [string[]]$read = @(),
    [long]$max_read = 268435456
)

if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
    [ordered]@{ exists = $false; size = $null; sha256 = $null; entries = @() }
    return
}
Add-Type -AssemblyName 'System.IO.Compression', 'System.IO.Compression.FileSystem'
$hasher = [Security.Cryptography.SHA256]::Create()
function Get-Hex($Stream) { ([BitConverter]::ToString($hasher.ComputeHash($Stream)) -replace '-', '').ToLowerInvariant() }
try { $zip = [IO.Compression.ZipFile]::OpenRead($path) }
catch [IO.InvalidDataException] { throw (New-AgentError "$path is not a readable zip: $($_.Exception.GetBaseException().Message)" 'corrupt') }
try {
    $listed = @(foreach ($entry in $zip.Entries) {
            $item = [ordered]@{ name = $entry.FullName; size = $entry.Length; compressed_size = $entry.CompressedLength; sha256 = $null; base64 = $null }
            if ($sha256) { $in = $entry.Open(); try { $item.sha256 = Get-Hex $in } finally { $in.Dispose() } }
            if ($read -contains $entry.FullName) {
                if ($entry.Length -gt $max_read) { throw (New-AgentError "$($entry.FullName) in $path is $($entry.Length) bytes, more than the $max_read this read allows" 'too_large') }
                $in = $entry.Open(); $bytes = New-Object -TypeName IO.MemoryStream
                try { $in.CopyTo($bytes) } finally { $in.Dispose() }
                $item.base64 = [Convert]::ToBase64String($bytes.ToArray())
            }
            $item
        })
}
catch [IO.InvalidDataException] { throw (New-AgentError "$path is damaged: $($_.Exception.Message)" 'corrupt') }
finally { $zip.Dispose() }
$file = [IO.File]::OpenRead($path)
try { $whole = Get-Hex $file; $size = $file.Length } finally { $file.Dispose() }
[ordered]@{ exists = $true; size = $size; sha256 = $whole; entries = $listed }
