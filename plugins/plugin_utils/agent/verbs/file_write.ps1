# scada.redundancy:verb file_write
# Write a small file's bytes, given base64, replacing what was there
# (System.IO.File.WriteAllBytes); the folder must exist.
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [Parameter(Mandatory = $true)][AllowEmptyString()][string]$base64
)

$bytes = [Convert]::FromBase64String($base64)
[System.IO.File]::WriteAllBytes($path, $bytes)
[ordered]@{ size = $bytes.Length }
