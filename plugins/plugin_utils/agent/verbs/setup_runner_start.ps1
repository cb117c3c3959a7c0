# scada.redundancy:verb setup_runner_start
# scada.redundancy:resource setup_runner
# Start the constant setup runner detached, in a folder holding its run.json, so setup
# outlives this WinRM command (Win32_Process.Create: ReturnValue 0 is success).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$working_directory
)

$encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($AgentResources['setup_runner']))
$commandLine = 'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ' + $encoded
$created = Invoke-CimMethod -ClassName Win32_Process -MethodName Create -Arguments @{ CommandLine = $commandLine; CurrentDirectory = $working_directory }
[ordered]@{ return_value = [int]$created.ReturnValue; process_id = [int]$created.ProcessId }
