# scada.redundancy:verb path_move
# Give a file a new name on the same volume, replacing a file of that name (File.Replace when
# the destination exists, else File.Move: a rename, so the destination is whole throughout).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$source,
    [Parameter(Mandatory = $true)][string]$destination
)

if ([IO.File]::Exists($destination)) { [IO.File]::Replace($source, $destination, [NullString]::Value) }
else { [IO.File]::Move($source, $destination) }
[ordered]@{ path = $destination }
