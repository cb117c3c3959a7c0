# scada.redundancy:resource ctapi_child
# Runs in a powershell.exe of CtApi.dll's bitness, started by the ctapi_cicode verb: reads
# {dll, user, password, commands} as base64 JSON on stdin, calls ctOpen, ctCicode for each
# command, ctClose, and writes {connected, error, results: [{ok, value, error}]}.
$ErrorActionPreference = 'Stop'
$answer = [ordered]@{ connected = $false; error = $null; results = @() }
function Get-LastCtApiError {
    $code = [System.Runtime.InteropServices.Marshal]::GetLastWin32Error()
    return ('error {0}: {1}' -f $code, (New-Object -TypeName System.ComponentModel.Win32Exception -ArgumentList $code).Message)
}
try {
    $request = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String([Console]::In.ReadToEnd().Trim())) | ConvertFrom-Json
    Add-Type -TypeDefinition @"
using System;
using System.Runtime.InteropServices;
using System.Text;
public static class ScadaRedundancyCtApi {
    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)] public static extern bool SetDllDirectory(string path);
    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)] public static extern IntPtr LoadLibrary(string path);
    [DllImport("CtApi.dll", CharSet = CharSet.Ansi, SetLastError = true)] public static extern IntPtr ctOpen(string computer, string user, string password, uint mode);
    [DllImport("CtApi.dll", CharSet = CharSet.Ansi, SetLastError = true)] public static extern bool ctCicode(IntPtr handle, string command, uint window, uint mode, StringBuilder result, uint length, IntPtr overlapped);
    [DllImport("CtApi.dll", SetLastError = true)] public static extern bool ctClose(IntPtr handle);
    [DllImport("CtApi.dll", CharSet = CharSet.Ansi)] public static extern bool ctSetManagedBinDirectory(string path);
}
"@
    $bin = [System.IO.Path]::GetDirectoryName([string]$request.dll)
    [void][ScadaRedundancyCtApi]::SetDllDirectory($bin)
    if ([ScadaRedundancyCtApi]::LoadLibrary([string]$request.dll) -eq [IntPtr]::Zero) { throw ('cannot load {0}: {1}' -f $request.dll, (Get-LastCtApiError)) }
    try { [void][ScadaRedundancyCtApi]::ctSetManagedBinDirectory($bin) } catch { $null = $_ }  # older CtAPI lacks it
    $user = [NullString]::Value
    $password = [NullString]::Value
    if ($request.user) { $user = [string]$request.user; $password = [string]$request.password }
    $handle = [ScadaRedundancyCtApi]::ctOpen([NullString]::Value, $user, $password, 0)
    if ($handle -eq [IntPtr]::Zero) { $answer.error = 'ctOpen failed: ' + (Get-LastCtApiError) }
    else {
        $answer.connected = $true
        try {
            $answer.results = @(foreach ($command in @($request.commands)) {
                    $buffer = New-Object -TypeName System.Text.StringBuilder -ArgumentList 1024
                    if ([ScadaRedundancyCtApi]::ctCicode($handle, [string]$command, 0, 0, $buffer, 1024, [IntPtr]::Zero)) { [ordered]@{ ok = $true; value = $buffer.ToString(); error = $null } }
                    else { [ordered]@{ ok = $false; value = $null; error = (Get-LastCtApiError) } }
                })
        }
        finally { [void][ScadaRedundancyCtApi]::ctClose($handle) }
    }
}
catch { $answer.error = $_.Exception.Message }
[Console]::Out.Write((ConvertTo-Json -InputObject $answer -Compress -Depth 4))
