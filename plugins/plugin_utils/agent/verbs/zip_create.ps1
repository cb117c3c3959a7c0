# scada.redundancy:verb zip_create
# Write a zip at path from entries {name, source (a file, read shared), base64 (used when
# source is empty), sha256 (empty: any)}, in order, each hashed as it is stored; a stored
# entry whose SHA-256 is not the one given fails (category changed: the file changed since it
# was listed). The archive is then read back and every entry hashed again (a mismatch: corrupt).
# On any failure the file at path is removed; a full disk is category disk_full (ZipFile.Open,
# ZipArchive.CreateEntry with CompressionLevel.Optimal, SHA256; IOException HResult 112 or 39).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$entries
)

Add-Type -AssemblyName 'System.IO.Compression', 'System.IO.Compression.FileSystem'
$sha = [Security.Cryptography.SHA256]::Create()
$buffer = New-Object -TypeName byte[] -ArgumentList 1048576
function Copy-Hashed($From, $To) {
    $total = [long]0
    while (($read = $From.Read($buffer, 0, $buffer.Length)) -gt 0) {
        [void]$sha.TransformBlock($buffer, 0, $read, $null, 0)
        if ($null -ne $To) { $To.Write($buffer, 0, $read) }
        $total += $read
    }
    [void]$sha.TransformFinalBlock($buffer, 0, 0)
    [ordered]@{ size = $total; sha256 = ([BitConverter]::ToString($sha.Hash) -replace '-', '').ToLowerInvariant() }
}
$stored = New-Object -TypeName System.Collections.ArrayList
try {
    [void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($path))
    $zip = [IO.Compression.ZipFile]::Open($path, [IO.Compression.ZipArchiveMode]::Create)
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
    $zip = [IO.Compression.ZipFile]::OpenRead($path)
    try {
        foreach ($item in $stored) {
            $in = $zip.GetEntry($item.name).Open(); try { $again = Copy-Hashed $in $null } finally { $in.Dispose() }
            if ($again.sha256 -ne $item.sha256) { throw (New-AgentError "$path does not read back as written: $($item.name) differs" 'corrupt') }
        }
    } finally { $zip.Dispose() }
    $file = [IO.File]::OpenRead($path); try { $whole = Copy-Hashed $file $null } finally { $file.Dispose() }
}
catch {
    if ([IO.File]::Exists($path)) { [IO.File]::Delete($path) }
    $base = $_.Exception.GetBaseException()
    if ($base -is [IO.IOException] -and (($base.HResult -band 0xFFFF) -in 39, 112)) { throw (New-AgentError $base.Message 'disk_full') }
    throw
}
[ordered]@{ size = $whole.size; sha256 = $whole.sha256; entries = $stored.ToArray() }
