# scada.redundancy:resource ctapi_child
# Runs in a powershell.exe of CtApi.dll's bitness, started by the ctapi_cicode verb: reads
# {dll, user, password, commands} as base64 JSON on stdin, calls ctOpen, ctCicode for each
# command, ctClose, and writes {connected, error, results: [{ok, value, error}]} as base64 of
# UTF-8 JSON (the console's code page would garble other text). The error codes are read in
# C# right after each call: PowerShell's own interop in between could overwrite them.
$ErrorActionPreference = 'Stop'
$answer = [ordered]@{ connected = $false; error = $null; results = @() }
function Format-CtApiError {
    param([int]$Code)
    'error {0}: {1}' -f $Code, (New-Object -TypeName System.ComponentModel.Win32Exception -ArgumentList $Code).Message
}
try {
    # Only base64 characters: a stdin writer may have put a byte order mark first.
    $text = [Console]::In.ReadToEnd() -replace '[^A-Za-z0-9+/=]', ''
    $request = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($text)) | ConvertFrom-Json
    Add-Type -TypeDefinition @"
using System; using System.IO; using System.Runtime.InteropServices; using System.Text;
public static class ScadaRedundancyCtApi {
    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)] static extern bool SetDllDirectory(string path);
    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)] static extern IntPtr LoadLibrary(string path);
    [DllImport("CtApi.dll", CharSet = CharSet.Ansi, SetLastError = true)] static extern IntPtr ctOpen(string computer, string user, string password, uint mode);
    [DllImport("CtApi.dll", CharSet = CharSet.Ansi, SetLastError = true)] static extern bool ctCicode(IntPtr handle, string command, uint window, uint mode, StringBuilder result, uint length, IntPtr overlapped);
    [DllImport("CtApi.dll", SetLastError = true)] public static extern bool ctClose(IntPtr handle);
    [DllImport("CtApi.dll", CharSet = CharSet.Ansi)] static extern bool ctSetManagedBinDirectory(string path);
    public static int Load(string dll) {
        string bin = Path.GetDirectoryName(dll);
        SetDllDirectory(bin);
        if (LoadLibrary(dll) == IntPtr.Zero) return Marshal.GetLastWin32Error();
        try { ctSetManagedBinDirectory(bin); } catch (EntryPointNotFoundException) { }  // older CtAPI
        return 0;
    }
    public static IntPtr Open(string user, string password, out int error) {
        IntPtr handle = ctOpen(null, user, password, 0);
        error = handle == IntPtr.Zero ? Marshal.GetLastWin32Error() : 0;
        return handle;
    }
    public static bool Cicode(IntPtr handle, string command, out string value, out int error) {
        StringBuilder result = new StringBuilder(1024);
        bool ok = ctCicode(handle, command, 0, 0, result, 1024, IntPtr.Zero);
        error = ok ? 0 : Marshal.GetLastWin32Error();
        value = ok ? result.ToString() : null;
        return ok;
    }
}
"@
    $code = [ScadaRedundancyCtApi]::Load([string]$request.dll)
    if ($code -ne 0) { throw ('cannot load {0}: {1}' -f $request.dll, (Format-CtApiError $code)) }
    $user = [NullString]::Value
    $password = [NullString]::Value
    if ($request.user) { $user = [string]$request.user; $password = [string]$request.password }
    $code = 0
    $handle = [ScadaRedundancyCtApi]::Open($user, $password, [ref]$code)
    if ($handle -eq [IntPtr]::Zero) { $answer.error = 'ctOpen failed: ' + (Format-CtApiError $code) }
    else {
        $answer.connected = $true
        try {
            $answer.results = @(foreach ($command in @($request.commands)) {
                    $code = 0
                    $value = $null
                    if ([ScadaRedundancyCtApi]::Cicode($handle, [string]$command, [ref]$value, [ref]$code)) { [ordered]@{ ok = $true; value = $value; error = $null } }
                    else { [ordered]@{ ok = $false; value = $null; error = (Format-CtApiError $code) } }
                })
        }
        finally { [void][ScadaRedundancyCtApi]::ctClose($handle) }
    }
}
catch { $answer.error = $_.Exception.Message }
[Console]::Out.Write([Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $answer -Compress -Depth 4))))
