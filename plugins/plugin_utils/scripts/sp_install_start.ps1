# scada.redundancy:operation sp_install_start
# Starts System Platform setup silently with a response file and returns at once; the
# sp_install_watch operation waits for it. The response file holds the installer account's
# password, so it is written only into a fresh folder that only SYSTEM and Administrators can
# read, and removed as soon as setup exits (by the runner, and again by sp_install_watch).
# setup runs under a detached runner process started through WMI (Win32_Process.Create), so
# it outlives this WinRM command. The runner is the constant text below: it reads run.json in
# its working folder, runs setup, removes the response file, writes result.json.
# Parameters ($Params):
#   setup_path       full path of setup.exe on the host
#   response_switch  setup's switch that takes the response file path (not confirmed by the vendor)
#   response         [{key, value}] in order: the response file's lines key=value
# Result: run_id, pid, response_keys.
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function New-Failure {
    param([string]$Message, [string]$Category)
    $err = New-Object -TypeName System.InvalidOperationException -ArgumentList $Message
    $err.Data['category'] = $Category
    return $err
}

$runner = @'
$ErrorActionPreference = 'Stop'
$dir = (Get-Location).ProviderPath
$run = [System.IO.File]::ReadAllText((Join-Path -Path $dir -ChildPath 'run.json')) | ConvertFrom-Json
$code = $null
$failure = $null
try {
    # Process.Start + WaitForExit waits for setup alone; Start-Process -Wait (Windows
    # PowerShell 5.1) would also wait for every helper setup leaves running.
    $process = [System.Diagnostics.Process]::Start([string]$run.setup_path, [string]$run.arguments)
    $process.WaitForExit()
    $code = $process.ExitCode
}
catch { $failure = $_.Exception.Message }
finally { Remove-Item -LiteralPath ([string]$run.response_path) -Force -ErrorAction SilentlyContinue }
$doc = [ordered]@{ exit_code = $code; error = $failure; finished = [DateTime]::UtcNow.ToString('o') }
$text = ConvertTo-Json -InputObject $doc -Compress
[System.IO.File]::WriteAllText((Join-Path -Path $dir -ChildPath 'result.tmp'), $text)
Move-Item -LiteralPath (Join-Path -Path $dir -ChildPath 'result.tmp') -Destination (Join-Path -Path $dir -ChildPath 'result.json') -Force
'@

$setup = [string]$Params.setup_path
if (-not [System.IO.Path]::IsPathRooted($setup)) {
    throw (New-Failure -Message "setup_path must be a full path: '$setup'" -Category 'invalid_parameter')
}
if (-not (Test-Path -LiteralPath $setup -PathType Leaf)) {
    throw (New-Failure -Message "setup program not found: '$setup'" -Category 'not_found')
}
$switch = [string]$Params.response_switch
if ($switch -match '["\r\n]') {
    throw (New-Failure -Message 'response_switch must not contain quotes or line breaks' -Category 'invalid_parameter')
}
$lines = @()
$keys = @()
foreach ($entry in @($Params.response)) {
    $key = [string]$entry.key
    $value = [string]$entry.value
    if ($key -match '[=\r\n]' -or $value -match '[\r\n]' -or -not $key) {
        throw (New-Failure -Message "response key '$key': keys must be non-empty without '=' or line breaks, values without line breaks" -Category 'invalid_parameter')
    }
    $lines += ($key + '=' + $value)
    $keys += $key
}

$root = Join-Path -Path $env:ProgramData -ChildPath 'scada.redundancy\sp_install'
$runId = [guid]::NewGuid().ToString('N')
$runDir = Join-Path -Path $root -ChildPath $runId
$acl = New-Object -TypeName System.Security.AccessControl.DirectorySecurity
$acl.SetAccessRuleProtection($true, $false)
foreach ($sid in @('S-1-5-18', 'S-1-5-32-544')) {
    $identity = New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList $sid
    $rule = New-Object -TypeName System.Security.AccessControl.FileSystemAccessRule -ArgumentList $identity, 'FullControl', 'ContainerInherit,ObjectInherit', 'None', 'Allow'
    $acl.AddAccessRule($rule)
}
[void][System.IO.Directory]::CreateDirectory($root)
[void][System.IO.Directory]::CreateDirectory($runDir, $acl)
$responsePath = Join-Path -Path $runDir -ChildPath 'response.txt'
$utf8 = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
try {
    [System.IO.File]::WriteAllLines($responsePath, [string[]]$lines, $utf8)
    $run = [ordered]@{
        setup_path = $setup
        arguments = ($switch + ' "' + $responsePath + '"').Trim()
        response_path = $responsePath
    }
    [System.IO.File]::WriteAllText((Join-Path -Path $runDir -ChildPath 'run.json'), (ConvertTo-Json -InputObject $run -Compress), $utf8)
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($runner))
    $commandLine = 'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ' + $encoded
    $created = Invoke-CimMethod -ClassName Win32_Process -MethodName Create -Arguments @{ CommandLine = $commandLine; CurrentDirectory = $runDir }
    if ($created.ReturnValue -ne 0) {
        throw (New-Failure -Message ("could not start the setup runner (Win32_Process.Create returned {0})" -f $created.ReturnValue) -Category 'setup_failed')
    }
}
catch {
    Remove-Item -LiteralPath $runDir -Recurse -Force -ErrorAction SilentlyContinue
    throw
}
[ordered]@{ run_id = $runId; pid = [int]$created.ProcessId; response_keys = @($keys) }
