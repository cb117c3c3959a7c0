# scada.redundancy:library ctapi
# Cicode calls through CtAPI (CtApi.dll: ctOpen, ctCicode, ctClose; ctSetManagedBinDirectory
# with the Bin folder first, where the DLL has it). The connection is local (ctOpen with no
# computer name), so [CtAPI]Remote=1 is not needed; it is only for CtAPI clients on other
# computers.
#
# The calling process must have the DLL's bitness. The operations run in the 64-bit
# PowerShell WinRM starts, while the DLL in a 32-bit install's Bin folder is 32-bit, so the
# calls always run in a child powershell.exe of the DLL's bitness (read from its PE header):
# SysWOW64 for an x86 DLL, the native one for x64, or an explicit executable. The child gets a
# constant script on its command line and the request (DLL path, credentials, Cicode calls) as
# base64 JSON on stdin; it answers one JSON document. A child that does not answer within the
# timeout is killed. Nothing here fails the operation: the answer says what went wrong.

$CtApiChildScript = @'
$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
$answer = [ordered]@{ connected = $false; error = $null; results = @() }
function Get-LastCtApiError {
    $code = [System.Runtime.InteropServices.Marshal]::GetLastWin32Error()
    return ('error {0}: {1}' -f $code, (New-Object -TypeName System.ComponentModel.Win32Exception -ArgumentList $code).Message)
}
try {
    $json = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String([Console]::In.ReadToEnd().Trim()))
    $request = ConvertFrom-Json -InputObject $json
    Add-Type -TypeDefinition @"
using System;
using System.Runtime.InteropServices;
using System.Text;
public static class ScadaRedundancyCtApi {
    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    public static extern bool SetDllDirectory(string path);
    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    public static extern IntPtr LoadLibrary(string path);
    [DllImport("CtApi.dll", CharSet = CharSet.Ansi, SetLastError = true)]
    public static extern IntPtr ctOpen(string computer, string user, string password, uint mode);
    [DllImport("CtApi.dll", CharSet = CharSet.Ansi, SetLastError = true)]
    public static extern bool ctCicode(IntPtr handle, string command, uint window, uint mode, StringBuilder result, uint length, IntPtr overlapped);
    [DllImport("CtApi.dll", SetLastError = true)]
    public static extern bool ctClose(IntPtr handle);
    [DllImport("CtApi.dll", CharSet = CharSet.Ansi)]
    public static extern bool ctSetManagedBinDirectory(string path);
}
"@
    $bin = [System.IO.Path]::GetDirectoryName([string]$request.dll)
    [void][ScadaRedundancyCtApi]::SetDllDirectory($bin)
    if ([ScadaRedundancyCtApi]::LoadLibrary([string]$request.dll) -eq [IntPtr]::Zero) {
        throw ('cannot load {0}: {1}' -f $request.dll, (Get-LastCtApiError))
    }
    try {
        [void][ScadaRedundancyCtApi]::ctSetManagedBinDirectory($bin)
    }
    catch {
        $null = $_  # older CtAPI versions do not export it
    }
    $user = [NullString]::Value
    $password = [NullString]::Value
    if ($request.user) {
        $user = [string]$request.user
        $password = [string]$request.password
    }
    $handle = [ScadaRedundancyCtApi]::ctOpen([NullString]::Value, $user, $password, 0)
    if ($handle -eq [IntPtr]::Zero) {
        $answer.error = 'ctOpen failed: ' + (Get-LastCtApiError)
    }
    else {
        $answer.connected = $true
        try {
            $results = New-Object -TypeName System.Collections.ArrayList
            foreach ($command in @($request.commands)) {
                $buffer = New-Object -TypeName System.Text.StringBuilder -ArgumentList 1024
                if ([ScadaRedundancyCtApi]::ctCicode($handle, [string]$command, 0, 0, $buffer, 1024, [IntPtr]::Zero)) {
                    [void]$results.Add([ordered]@{ ok = $true; value = $buffer.ToString(); error = $null })
                }
                else {
                    [void]$results.Add([ordered]@{ ok = $false; value = $null; error = (Get-LastCtApiError) })
                }
            }
            $answer.results = $results.ToArray()
        }
        finally {
            [void][ScadaRedundancyCtApi]::ctClose($handle)
        }
    }
}
catch {
    $answer.error = $_.Exception.Message
}
[Console]::Out.Write((ConvertTo-Json -InputObject $answer -Compress -Depth 4))
'@

function Get-PeMachine {
    # 'x86', 'x64' or 'unknown': the machine field of a DLL's PE header.
    param([string]$LiteralPath)
    $stream = [System.IO.File]::OpenRead($LiteralPath)
    try {
        $reader = New-Object -TypeName System.IO.BinaryReader -ArgumentList $stream
        $stream.Position = 0x3C
        $stream.Position = $reader.ReadInt32() + 4
        $machine = $reader.ReadUInt16()
    }
    finally {
        $stream.Dispose()
    }
    if ($machine -eq 0x14C) { return 'x86' }
    if ($machine -eq 0x8664) { return 'x64' }
    return 'unknown'
}

function Get-CtApiPowerShell {
    # The powershell.exe whose bitness matches the DLL's.
    param([string]$Machine)
    $root = "$env:SystemRoot"
    if ($Machine -eq 'x86' -and [Environment]::Is64BitOperatingSystem) {
        return "$root\SysWOW64\WindowsPowerShell\v1.0\powershell.exe"
    }
    if ($Machine -eq 'x64' -and -not [Environment]::Is64BitProcess) {
        return "$root\Sysnative\WindowsPowerShell\v1.0\powershell.exe"
    }
    return "$root\System32\WindowsPowerShell\v1.0\powershell.exe"
}

function Invoke-CtApi {
    # Run Cicode calls; returns {connected, error, results: [{ok, value, error}], powershell}.
    param([string]$DllPath, [string]$User, [string]$Password, [string[]]$Commands,
        [int]$TimeoutSeconds = 60, [string]$PowerShellPath = '')
    if (-not (Test-Path -LiteralPath $DllPath -PathType Leaf)) {
        return [pscustomobject]@{ connected = $false; error = "CtAPI library not found at '$DllPath'"; results = @(); powershell = $null }
    }
    $executable = $PowerShellPath
    if (-not $executable) { $executable = Get-CtApiPowerShell -Machine (Get-PeMachine -LiteralPath $DllPath) }
    $request = ConvertTo-Json -Compress -InputObject ([ordered]@{
            dll = $DllPath; user = $User; password = $Password; commands = @($Commands) })
    $info = New-Object -TypeName System.Diagnostics.ProcessStartInfo
    $info.FileName = $executable
    $info.Arguments = '-NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand ' +
        [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($CtApiChildScript))
    $info.UseShellExecute = $false
    $info.CreateNoWindow = $true
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.StandardOutputEncoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
    try {
        $child = [System.Diagnostics.Process]::Start($info)
    }
    catch {
        return [pscustomobject]@{ connected = $false; error = "cannot start '$executable' for CtAPI: $($_.Exception.Message)"; results = @(); powershell = $executable }
    }
    $stdout = $child.StandardOutput.ReadToEndAsync()
    $stderr = $child.StandardError.ReadToEndAsync()
    $child.StandardInput.Write([Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($request)))
    $child.StandardInput.Close()
    if (-not $child.WaitForExit([int]($TimeoutSeconds * 1000))) {
        try { $child.Kill() } catch { $null = $_ }
        return [pscustomobject]@{ connected = $false; error = "CtAPI did not answer within $TimeoutSeconds seconds"; results = @(); powershell = $executable }
    }
    $text = $stdout.Result.Trim()
    try {
        $answer = ConvertFrom-Json -InputObject $text
    }
    catch {
        $detail = ($stderr.Result.Trim() -split "`n")[0]
        return [pscustomobject]@{ connected = $false; error = "the CtAPI helper gave no answer: $detail"; results = @(); powershell = $executable }
    }
    return [pscustomobject]@{ connected = [bool]$answer.connected; error = $answer.error; results = @($answer.results); powershell = $executable }
}

$CtApiCicodeName = '^[A-Za-z0-9_]{1,64}$'

function Get-CtApiServerInfo {
    # Cicode ServerInfoEx("Server", 0, <component>[, <cluster>]) for each component over one
    # connection: 1 on the active server of a redundant pair, 0 on the standby. Returns
    # {connected, error, values: component -> '1' | '0' | $null (no such answer: the
    # component does not run, or CtAPI did not connect)}. Names go into Cicode text, so they
    # must be plain Cicode names; anything else is refused.
    param([string]$DllPath, [string]$User, [string]$Password, [string[]]$Components,
        [string]$Cluster = '', [int]$TimeoutSeconds = 60, [string]$PowerShellPath = '')
    foreach ($name in @($Components) + @($Cluster | Where-Object { $_ })) {
        if ([string]$name -notmatch $CtApiCicodeName) {
            $err = New-Object -TypeName System.ArgumentException -ArgumentList "'$name' is not a Cicode component or cluster name (letters, digits and underscores only)"
            $err.Data['category'] = 'invalid_parameter'
            throw $err
        }
    }
    $commands = @($Components | ForEach-Object {
            if ($Cluster) { 'ServerInfoEx("Server", 0, "{0}", "{1}")' -f $_, $Cluster }
            else { 'ServerInfoEx("Server", 0, "{0}")' -f $_ }
        })
    $answer = Invoke-CtApi -DllPath $DllPath -User $User -Password $Password -Commands $commands `
        -TimeoutSeconds $TimeoutSeconds -PowerShellPath $PowerShellPath
    $values = [ordered]@{}
    for ($i = 0; $i -lt @($Components).Count; $i++) {
        $value = $null
        if ($answer.connected -and $i -lt $answer.results.Count -and $answer.results[$i].ok) {
            $value = ([string]$answer.results[$i].value).Trim()
            if ($value -ne '0' -and $value -ne '1') { $value = $null }
        }
        $values[[string]@($Components)[$i]] = $value
    }
    return [pscustomobject]@{ connected = $answer.connected; error = $answer.error; values = $values }
}
