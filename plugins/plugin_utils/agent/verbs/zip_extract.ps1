# scada.redundancy:verb zip_extract
# Write entries of a zip below a new folder: entries {name (in the zip), target (the path below
# destination, '\' separators), sha256 (what the written bytes must hash to)}. Each file is
# created new (FileMode.CreateNew) and hashed as it is written; a mismatch is category corrupt.
# On any failure the destination folder, which must not exist before, is removed; a full disk
# is category disk_full (ZipFile.OpenRead, ZipArchive.GetEntry, a SHA256 per file; HResult 112/39).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [Parameter(Mandatory = $true)][string]$destination,
    [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$entries
)

Add-Type -AssemblyName 'System.IO.Compression', 'System.IO.Compression.FileSystem'
$buffer = New-Object -TypeName byte[] -ArgumentList 1048576
$written = [long]0
$root = [IO.Path]::GetFullPath($destination).TrimEnd('\') + '\'
$created = $false
try {
    if (Test-Path -LiteralPath $destination) { throw (New-AgentError "$destination exists: the destination must be a new folder" 'invalid_arguments') }
    [void][IO.Directory]::CreateDirectory($destination); $created = $true
    $zip = [IO.Compression.ZipFile]::OpenRead($path)
    try {
        foreach ($entry in $entries) {
            $member = $zip.GetEntry([string]$entry.name)
            if ($null -eq $member) { throw (New-AgentError "$path holds no entry $($entry.name)" 'corrupt') }
            $target = [IO.Path]::GetFullPath([IO.Path]::Combine($root, ([string]$entry.target).TrimStart('\')))
            if (-not $target.StartsWith($root, [StringComparison]::OrdinalIgnoreCase)) { throw (New-AgentError "$($entry.target) is not below $destination" 'invalid_arguments') }
            [void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($target))
            $sha = [Security.Cryptography.SHA256]::Create()  # one per file: TransformFinalBlock does not reset it
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
            $hex = ([BitConverter]::ToString($sha.Hash) -replace '-', '').ToLowerInvariant(); $sha.Dispose()
            if ($hex -ne [string]$entry.sha256) { throw (New-AgentError "$($entry.name) does not hash as expected once written" 'corrupt') }
        }
    } finally { $zip.Dispose() }
}
catch {
    $failure = $_; $base = $_.Exception.GetBaseException()
    try { if ($created) { Remove-Item -LiteralPath $destination -Recurse -Force } } catch { $null = $_ }  # the first failure is reported
    if ($base -is [IO.IOException] -and (($base.HResult -band 0xFFFF) -in 39, 112)) { throw (New-AgentError $base.Message 'disk_full') }
    throw $failure
}
[ordered]@{ files = @($entries).Count; bytes = $written }
