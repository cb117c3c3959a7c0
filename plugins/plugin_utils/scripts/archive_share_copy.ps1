# scada.redundancy:operation archive_share_copy
# scada.redundancy:requires fingerprint
# scada.redundancy:requires archive
# Copy a file from a share path to this host, for sites where the partner server's backup
# folder is reachable as '\\server\share\...'. The bytes are hashed as they are copied into
# '<path>.partial', which becomes <path> only when its SHA-256 equals the expected one (and,
# when asked, the archive is proved against its manifest); on any failure the partial file
# is removed. Reading the share uses the connection's own Windows logon: with NTLM over
# WinRM that logon cannot authenticate to a third machine (the double hop), so the share
# must grant access to the server's computer account, or the connection must use Kerberos
# delegation or CredSSP. Parameters (from $Params):
#   source    the share path of the file
#   path      full local path of the destination file
#   sha256    the SHA-256 the source host reported (empty: take the copy's own)
#   validate  prove the archive against its manifest before the move
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$source = [string]$Params.source
$path = [string]$Params.path
Assert-ArchivePath -Path $source -What 'share_path' -AllowUnc
Assert-ArchivePath -Path $path -What 'dest'
$partial = $path + '.partial'
$expected = [string]$Params.sha256

if (-not (Test-Path -LiteralPath $source -PathType Leaf)) {
    $err = New-Object -TypeName System.IO.FileNotFoundException -ArgumentList "'$source' does not exist or this host cannot reach it"
    $err.Data['category'] = 'not_found'
    throw $err
}
$folder = Split-Path -Path $path -Parent
if (-not (Test-Path -LiteralPath $folder -PathType Container)) {
    [void](New-Item -Path $folder -ItemType Directory -Force)
}
try {
    $from = New-Object -TypeName System.IO.FileStream -ArgumentList $source, 'Open', 'Read', 'Read'
    try {
        $to = New-Object -TypeName System.IO.FileStream -ArgumentList $partial, 'Create', 'Write', 'None'
        try { $copied = Copy-ArchiveStream -From $from -To $to }
        finally { $to.Dispose() }
    }
    finally {
        $from.Dispose()
    }
}
catch {
    if (Test-Path -LiteralPath $partial -PathType Leaf) { Remove-Item -LiteralPath $partial -Force }
    throw (New-ArchiveIoError -Message "cannot copy '$source' to '$partial'" -Exception $_.Exception)
}
if ($expected -and $copied.Sha256 -ne $expected) {
    Remove-Item -LiteralPath $partial -Force
    $err = New-Object -TypeName System.IO.InvalidDataException -ArgumentList "the copy (sha256 $($copied.Sha256)) differs from the source (sha256 $expected); it was removed"
    $err.Data['category'] = 'checksum_mismatch'
    throw $err
}
if ([bool]$Params.validate) {
    Initialize-ArchiveSupport
    try { [void](Test-ArchiveIntegrity -LiteralPath $partial) }
    catch {
        Remove-Item -LiteralPath $partial -Force
        throw
    }
}
if (Test-Path -LiteralPath $path -PathType Leaf) { Remove-Item -LiteralPath $path -Force }
[System.IO.File]::Move($partial, $path)
[ordered]@{ path = $path; source = $source; size = $copied.Length; sha256 = $copied.Sha256 }
