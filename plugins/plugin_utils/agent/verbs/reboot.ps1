# scada.redundancy:verb reboot
# Restart Windows after delay seconds with a comment for logged-on users, as win_reboot does
# (shutdown.exe /r /t /c, through Process.Start: a native command redirected with 2>&1 would
# throw on its first stderr line under ErrorActionPreference Stop). {exit_code, output}.
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][int]$delay,
    [string]$message = ''
)

$info = New-Object -TypeName System.Diagnostics.ProcessStartInfo -Property @{
    FileName = "$env:SystemRoot\System32\shutdown.exe"; UseShellExecute = $false; CreateNoWindow = $true
    RedirectStandardOutput = $true; RedirectStandardError = $true
    Arguments = ('/r /t {0} /c "{1}"' -f $delay, $message.Replace('"', "'"))
}
$process = [System.Diagnostics.Process]::Start($info)
$output = $process.StandardError.ReadToEnd() + $process.StandardOutput.ReadToEnd()
$process.WaitForExit()
[ordered]@{ exit_code = $process.ExitCode; output = $output.Trim() }
