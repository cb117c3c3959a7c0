# scada.redundancy:verb file_wait
# Wait up to timeout seconds for a file to exist and hold at least one byte (what another
# process writes, such as a command the compiler runs), polling every 200 ms; then its bytes
# (base64), as file_read gives them, or exists: false (FileInfo, File.ReadAllBytes).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path,
    [Parameter(Mandatory = $true)][double]$timeout,
    [long]$max_bytes = 1048576
)

$clock = [Diagnostics.Stopwatch]::StartNew()
while ($true) {
    $file = New-Object -TypeName IO.FileInfo -ArgumentList $path
    if ($file.Exists -and $file.Length -gt 0) {
        if ($file.Length -gt $max_bytes) { throw (New-AgentError "$path is $($file.Length) bytes, more than the $max_bytes this read allows" 'too_large') }
        try {
            $bytes = [IO.File]::ReadAllBytes($path)
            [ordered]@{ exists = $true; size = $bytes.Length; base64 = [Convert]::ToBase64String($bytes) }
            return
        }
        catch [IO.IOException] { $null = $_ }  # still open for writing, or gone again: the next poll
    }
    if ($clock.Elapsed.TotalSeconds -ge $timeout) {
        [ordered]@{ exists = $false; size = $null; base64 = $null }
        return
    }
    Start-Sleep -Milliseconds 200
}
