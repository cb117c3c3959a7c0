# scada.redundancy:verb file_write_atomic
# Write a small file so that a crash never leaves half of it: the bytes (base64) go to
# <path>.tmp, which then replaces the file (File.Replace) or becomes it (File.Move); the
# folder is created when missing (Directory.CreateDirectory). With expect_sha256, a file whose
# content hashes otherwise, or is missing, is not written (category changed): the caller read
# it and decided on what it read.
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [Parameter(Mandatory = $true)][AllowEmptyString()][string]$base64,
    [string]$expect_sha256 = ''
)

if ($expect_sha256) {
    $current = ''
    if ([IO.File]::Exists($path)) { $current = (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash }
    if ($current -ne $expect_sha256) { throw (New-AgentError "$path changed since it was read: it was not written" 'changed') }
}

$bytes = [Convert]::FromBase64String($base64)
[void][System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($path))
$temporary = "$path.tmp"
[System.IO.File]::WriteAllBytes($temporary, $bytes)
if ([System.IO.File]::Exists($path)) { [System.IO.File]::Replace($temporary, $path, [NullString]::Value) }
else { [System.IO.File]::Move($temporary, $path) }
[ordered]@{ size = $bytes.Length }
