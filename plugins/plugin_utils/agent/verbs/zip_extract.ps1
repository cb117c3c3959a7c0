# scada.redundancy:verb zip_extract
# Write entries of a zip below a new folder: entries {name (in the zip), target (the path below
# destination, '\' separators), sha256 (what the written bytes must hash to)}. Each file is
# created new (FileMode.CreateNew) and hashed as it is written; a mismatch is category corrupt.
# On any failure the destination folder is removed; a full disk is category disk_full
# (ZipFile.OpenRead, ZipArchive.GetEntry, SHA256; IOException HResult 112 or 39).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [Parameter(Mandatory = $true)][string]$destination,
    [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$entries
)

Add-Type -AssemblyName 'System.IO.Compression', 'System.IO.Compression.FileSystem'
$sha = [Security.Cryptography.SHA256]::Create()
$buffer = New-Object -TypeName byte[] -ArgumentList 1048576
$written = [long]0
$root = [IO.Path]::GetFullPath($destination).TrimEnd('\') + '\'
try {
    $zip = [IO.Compression.ZipFile]::OpenRead($path)
    try {
        foreach ($entry in $entries) {
            $member = $zip.GetEntry([string]$entry.name)
            if ($null -eq $member) { throw (New-AgentError "$path holds no entry $($entry.name)" 'corrupt') }
            $target = [IO.Path]::GetFullPath((Join-Path -Path $destination -ChildPath ([string]$entry.target)))
            if (-not $target.StartsWith($root, [StringComparison]::OrdinalIgnoreCase)) { throw (New-AgentError "$($entry.target) is not below $destination" 'invalid_arguments') }
            [void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($target))
            $in = $member.Open()
            try {
                $out = New-Object -TypeName IO.FileStream -ArgumentList $target, 'CreateNew', 'Write', 'None'
                try {
                    while (($read = $in.Read($buffer, 0, $buffer.Length)) -gt 0) {
                        [void]$sha.TransformBlock($buffer, 0, $read, $null, 0)
                        $out.Write($buffer, 0, $read)
                        $written += $read
                    }
                } finally { $out.Dispose() }
            } finally { $in.Dispose() }
            [void]$sha.TransformFinalBlock($buffer, 0, 0)
            $hex = ([BitConverter]::ToString($sha.Hash) -replace '-', '').ToLowerInvariant()
            if ($hex -ne [string]$entry.sha256) { throw (New-AgentError "$($entry.name) does not hash as expected once written" 'corrupt') }
        }
    } finally { $zip.Dispose() }
}
catch {
    if (Test-Path -LiteralPath $destination) { Remove-Item -LiteralPath $destination -Recurse -Force }
    $base = $_.Exception.GetBaseException()
    if ($base -is [IO.IOException] -and (($base.HResult -band 0xFFFF) -in 39, 112)) { throw (New-AgentError $base.Message 'disk_full') }
    throw
}
[ordered]@{ files = @($entries).Count; bytes = $written }
