# scada.redundancy:verb dir_create
# Create a folder and any missing parent with the permissions it inherits; an existing folder
# is no error (Directory.CreateDirectory).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path
)

[void][IO.Directory]::CreateDirectory($path)
[ordered]@{ path = $path }
