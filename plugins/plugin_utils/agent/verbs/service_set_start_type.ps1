# scada.redundancy:verb service_set_start_type
# Set a service's start type through sc.exe config start= auto | delayed-auto | demand |
# disabled: in 5.1, Set-Service cannot set delayed start and leaves its flag set when asked
# for Automatic. Run with Process.Start rather than '& sc.exe 2>&1', whose first stderr line
# would throw under ErrorActionPreference Stop. Windows' refusal is category service_error.
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$name,
    [Parameter(Mandatory = $true)][string]$start_type
)

$modes = @{ Automatic = 'auto'; AutomaticDelayedStart = 'delayed-auto'; Manual = 'demand'; Disabled = 'disabled' }
if (-not $modes.ContainsKey($start_type)) {
    throw (New-AgentError -Message "start_type must be Automatic, AutomaticDelayedStart, Manual or Disabled, not '$start_type'" -Category 'invalid_arguments')
}
$info = New-Object -TypeName System.Diagnostics.ProcessStartInfo -Property @{
    FileName = "$env:SystemRoot\System32\sc.exe"; UseShellExecute = $false; CreateNoWindow = $true
    RedirectStandardOutput = $true; RedirectStandardError = $true
    Arguments = ('config "{0}" start= {1}' -f $name, $modes[$start_type])
}
$process = [System.Diagnostics.Process]::Start($info)
$output = $process.StandardOutput.ReadToEnd() + $process.StandardError.ReadToEnd()
$process.WaitForExit()
if ($process.ExitCode -eq 1060) { throw (New-AgentError -Message "Cannot find any service with service name '$name'." -Category 'not_found') }
if ($process.ExitCode -ne 0) { throw (New-AgentError -Message "sc.exe config $name failed (exit code $($process.ExitCode)): $($output.Trim())" -Category 'service_error') }
[ordered]@{ name = $name; start_type = $start_type }
