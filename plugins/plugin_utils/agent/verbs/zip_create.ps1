# scada.redundancy:verb zip_create
# Write a zip at path (replacing a file there) from entries {name, source (a file, read shared),
# base64 (used when source is empty), sha256 (empty: any)}, in order, each hashed as it is
# stored; a stored entry whose SHA-256 is not the one given fails (category changed: the file
# changed since it was listed). The archive is then read back and every entry hashed again (a
# mismatch: corrupt). On any failure the file is removed; a full disk is category disk_full
# (ZipArchive over a FileStream it leaves open: its Dispose does not close one after an
# IOException; CreateEntry, CompressionLevel.Optimal; a new SHA256 per hash, as .NET Framework's
# TransformFinalBlock does not reset one; IOException HResult 112 or 39).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$entries
)

Add-Type -AssemblyName 'System.IO.Compression', 'System.IO.Compression.FileSystem'
$buffer = New-Object -TypeName byte[] -ArgumentList 1048576; $stored = New-Object -TypeName System.Collections.ArrayList
function Copy-Hashed($From, $To) {
    $sha = [Security.Cryptography.SHA256]::Create(); $total = [long]0
    while (($read = $From.Read($buffer, 0, $buffer.Length)) -gt 0) {
        [void]$sha.TransformBlock($buffer, 0, $read, $null, 0)
        if ($null -ne $To) { $To.Write($buffer, 0, $read) }; $total += $read
    }
    [void]$sha.TransformFinalBlock($buffer, 0, 0)
    $hex = ([BitConverter]::ToString($sha.Hash) -replace '-', '').ToLowerInvariant(); $sha.Dispose()
    [ordered]@{ size = $total; sha256 = $hex }
}
try {
    [void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($path))
    $file = New-Object -TypeName IO.FileStream -ArgumentList $path, 'Create', 'ReadWrite', 'None'
    try {
        $zip = New-Object -TypeName IO.Compression.ZipArchive -ArgumentList $file, ([IO.Compression.ZipArchiveMode]::Create), $true
        try {
            foreach ($entry in $entries) {
                $out = $zip.CreateEntry([string]$entry.name, [IO.Compression.CompressionLevel]::Optimal).Open()
                try {
                    if ($entry.source) { $in = New-Object -TypeName IO.FileStream -ArgumentList ([string]$entry.source), 'Open', 'Read', 'ReadWrite' }
                    else { $in = New-Object -TypeName IO.MemoryStream -ArgumentList (, [Convert]::FromBase64String([string]$entry.base64)) }
                    try { $hash = Copy-Hashed $in $out } finally { $in.Dispose() }
                } finally { $out.Dispose() }
                if ($entry.sha256 -and $hash.sha256 -ne [string]$entry.sha256) { throw (New-AgentError "$($entry.source) changed since it was listed" 'changed') }
                [void]$stored.Add([ordered]@{ name = [string]$entry.name; size = $hash.size; sha256 = $hash.sha256 })
            }
        } finally { $zip.Dispose() }
        [void]$file.Seek(0, 'Begin'); $zip = New-Object -TypeName IO.Compression.ZipArchive -ArgumentList $file, ([IO.Compression.ZipArchiveMode]::Read), $true
        try {
            foreach ($item in $stored) {
                $in = $zip.GetEntry($item.name).Open(); try { $again = Copy-Hashed $in $null } finally { $in.Dispose() }
                if ($again.sha256 -ne $item.sha256) { throw (New-AgentError "$path does not read back as written: $($item.name) differs" 'corrupt') }
            }
        } finally { $zip.Dispose() }
        [void]$file.Seek(0, 'Begin'); $whole = Copy-Hashed $file $null } finally { $file.Dispose() }
}
catch {
    $failure = $_; $base = $_.Exception.GetBaseException()
    try { [IO.File]::Delete($path) } catch { $null = $_ }  # the first failure is the one to report
    if ($base -is [IO.IOException] -and (($base.HResult -band 0xFFFF) -in 39, 112)) { throw (New-AgentError $base.Message 'disk_full') }
    throw $failure
}
[ordered]@{ size = $whole.size; sha256 = $whole.sha256; entries = $stored.ToArray() }
