# scada.redundancy:verb service_set_start_type
# Set a service's start type: Automatic, Manual or Disabled through Set-Service; delayed
# automatic start through sc.exe config start= delayed-auto (Set-Service in 5.1 cannot), run
# with Process.Start rather than '& sc.exe 2>&1', whose first stderr line would throw under
# ErrorActionPreference Stop. Windows' refusal becomes category service_error.
param(
    [Parameter(Mandatory = $true)][string]$name,
    [Parameter(Mandatory = $true)][string]$start_type
)

try {
    if ($start_type -ne 'AutomaticDelayedStart') { Set-Service -Name $name -StartupType $start_type }
    else {
        $info = New-Object -TypeName System.Diagnostics.ProcessStartInfo -Property @{
            FileName = "$env:SystemRoot\System32\sc.exe"; UseShellExecute = $false; CreateNoWindow = $true
            RedirectStandardOutput = $true; RedirectStandardError = $true; Arguments = ('config "{0}" start= delayed-auto' -f $name)
        }
        $process = [System.Diagnostics.Process]::Start($info)
        $output = $process.StandardOutput.ReadToEnd() + $process.StandardError.ReadToEnd()
        $process.WaitForExit()
        if ($process.ExitCode -ne 0) { throw "sc.exe config failed: $($output.Trim())" }
    }
}
catch {
    $message = $_.Exception.GetBaseException().Message
    throw (New-AgentError -Message $message -Category 'service_error')
}
[ordered]@{ name = $name; start_type = $start_type }
