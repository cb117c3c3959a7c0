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
$arguments = @('/r', '/t', [string]$delay, '/c', [string]$Params.message)
$output = & "$env:SystemRoot\System32\shutdown.exe" @arguments 2>&1
if ($LASTEXITCODE -ne 0) {
    $err = New-Object -TypeName System.InvalidOperationException -ArgumentList ("shutdown.exe failed (exit code {0}): {1}" -f $LASTEXITCODE, (@($output) -join ' '))
    $err.Data['category'] = 'reboot_failed'
    throw $err
}
[ordered]@{ boot_id = $bootId; delay = $delay }
