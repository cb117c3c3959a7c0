# scada.redundancy:verb service_list
# The services whose display name is -like one of the patterns or whose name is one of the
# names, sorted by name (Win32_Service: Name, DisplayName, State, StartMode, ProcessId; the
# DelayedAutostart registry flag; the process's StartTime in UTC).
[CmdletBinding()]
param(
    [string[]]$patterns = @(),
    [string[]]$names = @()
)

$found = @(foreach ($service in Get-CimInstance -ClassName Win32_Service) {
        $display = [string]$service.DisplayName
        if ((@($patterns | Where-Object { $display -like $_ }).Count -gt 0) -or ($names -contains [string]$service.Name)) { $service }
    })
$services = @(foreach ($service in $found | Sort-Object -Property 'Name') {
        $key = 'HKLM:\SYSTEM\CurrentControlSet\Services\' + [string]$service.Name
        $flags = Get-ItemProperty -LiteralPath $key -ErrorAction SilentlyContinue
        $delayed = $null -ne $flags -and $null -ne $flags.PSObject.Properties['DelayedAutostart'] -and [int]$flags.DelayedAutostart -eq 1
        $started = $null
        if ($service.ProcessId) {
            $process = Get-Process -Id $service.ProcessId -ErrorAction SilentlyContinue
            # A process Windows will not describe (protected, or gone) has no start time.
            if ($null -ne $process) { try { $started = $process.StartTime.ToUniversalTime().ToString('o') } catch { $null = $_ } }
        }
        [ordered]@{
            name = [string]$service.Name; display_name = $display
            state = [string]$service.State; start_mode = [string]$service.StartMode
            delayed_autostart = $delayed; process_id = [int]$service.ProcessId; started = $started
        }
    })
[ordered]@{ services = $services }
