# scada.redundancy:verb ctapi_cicode
# scada.redundancy:resource ctapi_child
# Cicode calls over one local CtAPI connection, in a child powershell.exe of CtApi.dll's
# bitness (PE header: SysWOW64 for x86), which is killed after timeout seconds. Never fails
# for CtAPI's sake: {connected, error, results: [{ok, value, error}], powershell}.
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$dll,
    [string[]]$commands = @(),
    [string]$user = '',
    [string]$password = '',
    [int]$timeout = 60,
    [string]$powershell = ''
)

$fail = { param($Message) [ordered]@{ connected = $false; error = $Message; results = @(); powershell = $powershell } }
if (-not (Test-Path -LiteralPath $dll -PathType Leaf)) { return (& $fail "CtAPI library not found at '$dll'") }
if (-not $powershell) {
    $stream = [System.IO.File]::OpenRead($dll)
    try { $reader = New-Object -TypeName System.IO.BinaryReader -ArgumentList $stream; $stream.Position = 0x3C; $stream.Position = $reader.ReadInt32() + 4; $machine = $reader.ReadUInt16() }
    finally { $stream.Dispose() }
    $folder = 'System32'
    if ($machine -eq 0x14C -and [Environment]::Is64BitOperatingSystem) { $folder = 'SysWOW64' }
    elseif ($machine -eq 0x8664 -and -not [Environment]::Is64BitProcess) { $folder = 'Sysnative' }
    $powershell = "$env:SystemRoot\$folder\WindowsPowerShell\v1.0\powershell.exe"
}
$info = New-Object -TypeName System.Diagnostics.ProcessStartInfo -Property @{
    FileName = $powershell; UseShellExecute = $false; CreateNoWindow = $true
    RedirectStandardInput = $true; RedirectStandardOutput = $true; RedirectStandardError = $true
    Arguments = '-NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand ' + [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($AgentResources['ctapi_child']))
}
try { $child = [System.Diagnostics.Process]::Start($info) }
catch { return (& $fail "cannot start '$powershell' for CtAPI: $($_.Exception.Message)") }
$stdout = $child.StandardOutput.ReadToEndAsync()
$stderr = $child.StandardError.ReadToEndAsync()
$request = ConvertTo-Json -Compress -InputObject ([ordered]@{ dll = $dll; user = $user; password = $password; commands = @($commands) })
$child.StandardInput.Write([Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($request)))
$child.StandardInput.Close()
if (-not $child.WaitForExit($timeout * 1000)) {
    try { $child.Kill() } catch { $null = $_ }
    return (& $fail "CtAPI did not answer within $timeout seconds")
}
# The child answers base64 of UTF-8 JSON; its stderr is CLIXML, of which the text is shown.
try { $answer = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($stdout.Result.Trim())) | ConvertFrom-Json }
catch { return (& $fail "the CtAPI helper gave no answer: $(($stderr.Result -replace '(?s)#< CLIXML|<[^>]+>|_x000D__x000A_', ' ').Trim())") }
[ordered]@{ connected = [bool]$answer.connected; error = $answer.error; results = @($answer.results); powershell = $powershell }
