# scada.redundancy:operation sp_reboot
# Restarts the host the way ansible.windows.win_reboot does: shutdown.exe /r with a short
# delay, so this command's answer leaves the host before it goes down. Parameters ($Params):
#   delay    seconds before the restart (0..600)
#   message  the comment shown to logged-on users
# Result: boot_id (the last boot time before the restart), delay.
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$delay = [int]$Params.delay
if ($delay -lt 0 -or $delay -gt 600) {
    $err = New-Object -TypeName System.ArgumentException -ArgumentList 'delay must be between 0 and 600'
    $err.Data['category'] = 'invalid_parameter'
    throw $err
}
$os = Get-CimInstance -ClassName Win32_OperatingSystem
$bootId = $os.LastBootUpTime.ToUniversalTime().ToString('o')
# Through Process.Start, not '& shutdown.exe 2>&1': under ErrorActionPreference Stop the
# first stderr line of a redirected native command throws before its exit code is read.
$info = New-Object -TypeName System.Diagnostics.ProcessStartInfo -Property @{
    FileName = "$env:SystemRoot\System32\shutdown.exe"; UseShellExecute = $false; CreateNoWindow = $true
    RedirectStandardOutput = $true; RedirectStandardError = $true
}
# One argument string: shutdown.exe takes the comment quoted; quotes in it cannot be escaped.
$info.Arguments = '/r /t {0} /c "{1}"' -f $delay, ([string]$Params.message).Replace('"', "'")
$process = [System.Diagnostics.Process]::Start($info)
$output = $process.StandardError.ReadToEnd() + $process.StandardOutput.ReadToEnd()
$process.WaitForExit()
if ($process.ExitCode -ne 0) {
    $err = New-Object -TypeName System.InvalidOperationException -ArgumentList ("shutdown.exe failed (exit code {0}): {1}" -f $process.ExitCode, $output.Trim())
    $err.Data['category'] = 'reboot_failed'
    throw $err
}
[ordered]@{ boot_id = $bootId; delay = $delay }
