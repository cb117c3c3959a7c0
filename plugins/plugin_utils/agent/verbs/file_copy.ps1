# scada.redundancy:verb file_copy
# Copy a file over another, creating or replacing it (File.Copy with overwrite).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$source,
    [Parameter(Mandatory = $true)][string]$destination
)

[IO.File]::Copy($source, $destination, $true)
[ordered]@{ path = $destination; size = (New-Object -TypeName IO.FileInfo -ArgumentList $destination).Length }
