# scada.redundancy:verb process_wait
# Wait up to timeout seconds for a process to exit (Process.WaitForExit(Int32)):
# {exists: false} when no process has the id.
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][int]$process_id,
    [double]$timeout = 0
)

$process = Get-Process -Id $process_id -ErrorAction SilentlyContinue
if ($null -eq $process) {
    [ordered]@{ exists = $false; exited = $true }
    return
}
[ordered]@{ exists = $true; exited = $process.WaitForExit([int]($timeout * 1000)) }
