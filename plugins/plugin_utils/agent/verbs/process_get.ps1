# scada.redundancy:verb process_get
# Whether a process with the id runs, its name and when it started (UTC): an id with its start
# time names one process even after Windows reuses the id (Get-Process -Id, Process.StartTime,
# which throws for a protected process: started is then null).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][int]$process_id
)

$process = Get-Process -Id $process_id -ErrorAction SilentlyContinue
if ($null -eq $process) {
    [ordered]@{ exists = $false; name = $null; started = $null }
    return
}
$started = $null
try { $started = $process.StartTime.ToUniversalTime().ToString('o') } catch { $null = $_ }
[ordered]@{ exists = $true; name = $process.ProcessName; started = $started }
