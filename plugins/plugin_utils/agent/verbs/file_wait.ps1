# scada.redundancy:verb file_wait
# Wait up to timeout seconds for a file to exist and hold at least one byte (what another
# process writes, such as a command the compiler runs), polling every 200 ms; then its bytes
# (base64), as file_read gives them, or exists: false (Test-Path, File.ReadAllBytes).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [Parameter(Mandatory = $true)][double]$timeout,
    [long]$max_bytes = 1048576
)

$clock = [Diagnostics.Stopwatch]::StartNew()
while ($true) {
    if ((Test-Path -LiteralPath $path -PathType Leaf) -and (Get-Item -LiteralPath $path).Length -gt 0) {
        $size = (Get-Item -LiteralPath $path).Length
        if ($size -gt $max_bytes) { throw (New-AgentError "$path is $size bytes, more than the $max_bytes this read allows" 'too_large') }
        try {
            [ordered]@{ exists = $true; size = $size; base64 = [Convert]::ToBase64String([IO.File]::ReadAllBytes($path)) }
            return
        }
        catch [IO.IOException] { $null = $_ }  # still open for writing: read it at the next poll
    }
    if ($clock.Elapsed.TotalSeconds -ge $timeout) {
        [ordered]@{ exists = $false; size = $null; base64 = $null }
        return
    }
    Start-Sleep -Milliseconds 200
}
