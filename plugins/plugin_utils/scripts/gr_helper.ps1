# scada.redundancy:operation gr_helper
# scada.redundancy:requires argv
# Runs the collection's GRAccess helper (GRHelper.cs) on the Galaxy Repository node: GRAccess
# is a 32-bit apartment-threaded COM component PowerShell cannot drive, so the helper's C#
# source travels here as data, is compiled once per content hash with the .NET Framework's own
# csc.exe (x86), and is run with the request JSON on its standard input. Parameters ($Params):
#   source          the helper's C# source text
#   source_sha256   its SHA-256 (64 hex digits) as the controller computed it; checked here
#   folder          root folder of the compiled helpers; each lives in <folder>\<sha256>\
#   graccess_dll    path of ArchestrA.GRAccess.dll (compile reference)
#   csc             path of csc.exe; empty: %WINDIR%\Microsoft.NET\Framework\v4.0.30319\csc.exe
#   request         the helper's request, one JSON text (it may hold the galaxy password: it is
#                   written to the helper's stdin only, never to a file or the result)
#   timeout_seconds how long the helper may run before it is stopped
# Result: compiled (this run compiled the helper), helper (the exe's path), exit_code, stdout
# (the helper's JSON document, parsed on the controller), stderr.
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function New-Failure {
    param([string]$Message, [string]$Category)
    $err = New-Object -TypeName System.InvalidOperationException -ArgumentList $Message
    $err.Data['category'] = $Category
    return $err
}

$utf8 = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
$source = [string]$Params.source
$expected = ([string]$Params.source_sha256).ToLowerInvariant()
if ($expected -notmatch '^[0-9a-f]{64}$') {
    throw (New-Failure -Message 'source_sha256 must be 64 hexadecimal digits' -Category 'invalid_parameter')
}
$sourceBytes = $utf8.GetBytes($source)
$hasher = [System.Security.Cryptography.SHA256]::Create()
$actual = -join ($hasher.ComputeHash($sourceBytes) | ForEach-Object { $_.ToString('x2') })
if ($actual -ne $expected) {
    throw (New-Failure -Message "the helper source arrived with SHA-256 $actual, not $expected" -Category 'protocol')
}

$dll = [string]$Params.graccess_dll
if (-not (Test-Path -LiteralPath $dll -PathType Leaf)) {
    throw (New-Failure -Message "GRAccess library not found: $dll (is this the Galaxy Repository node?)" -Category 'not_installed')
}
$root = [string]$Params.folder
if (-not $root) { throw (New-Failure -Message 'folder is required' -Category 'invalid_parameter') }
$folder = [System.IO.Path]::Combine($root, $actual)
$exe = [System.IO.Path]::Combine($folder, 'GRHelper.exe')
$timeout = [int]$Params.timeout_seconds
if ($timeout -le 0) { $timeout = 3600 }

$compiled = $false
if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) {
    $csc = [string]$Params.csc
    if (-not $csc) {
        $csc = [System.IO.Path]::Combine($env:WINDIR, 'Microsoft.NET\Framework\v4.0.30319\csc.exe')
    }
    if (-not (Test-Path -LiteralPath $csc -PathType Leaf)) {
        throw (New-Failure -Message "the C# compiler was not found: $csc (.NET Framework 4.x)" -Category 'not_installed')
    }
    $null = [System.IO.Directory]::CreateDirectory($folder)
    $cs = [System.IO.Path]::Combine($folder, 'GRHelper.cs')
    [System.IO.File]::WriteAllBytes($cs, $sourceBytes)
    # Compile to a temporary name and rename, so a half-written exe is never taken as done.
    $partial = [System.IO.Path]::Combine($folder, 'GRHelper.partial.exe')
    $argv = @($csc, '/nologo', '/platform:x86', '/target:exe', "/r:$dll",
              '/r:System.Web.Extensions.dll', "/out:$partial", $cs)
    $run = Invoke-ArgvProcess -Argv $argv -TimeoutSeconds 600
    if ($run.TimedOut -or $run.ExitCode -ne 0 -or -not (Test-Path -LiteralPath $partial -PathType Leaf)) {
        $detail = (([string]$run.Stdout) + ([string]$run.Stderr)).Trim()
        throw (New-Failure -Message "compiling the GRAccess helper failed (exit code $($run.ExitCode)): $detail" -Category 'compile_failed')
    }
    Move-Item -LiteralPath $partial -Destination $exe -Force
    $compiled = $true
}

# Run the helper: the request on stdin as UTF-8 bytes (no BOM), one JSON document on stdout.
$info = New-Object -TypeName System.Diagnostics.ProcessStartInfo
$info.FileName = $exe
$info.UseShellExecute = $false
$info.CreateNoWindow = $true
$info.RedirectStandardInput = $true
$info.RedirectStandardOutput = $true
$info.RedirectStandardError = $true
$info.StandardOutputEncoding = $utf8
$info.StandardErrorEncoding = $utf8
$info.WorkingDirectory = $folder
$process = [System.Diagnostics.Process]::Start($info)
$stdoutTask = $process.StandardOutput.ReadToEndAsync()
$stderrTask = $process.StandardError.ReadToEndAsync()
$requestBytes = $utf8.GetBytes([string]$Params.request)
$process.StandardInput.BaseStream.Write($requestBytes, 0, $requestBytes.Length)
$process.StandardInput.Close()
if (-not $process.WaitForExit($timeout * 1000)) {
    $process.Kill()
    throw (New-Failure -Message "the GRAccess helper did not finish within $timeout seconds and was stopped" -Category 'timeout')
}
$process.WaitForExit()

[ordered]@{
    compiled = $compiled
    helper = $exe
    exit_code = $process.ExitCode
    stdout = $stdoutTask.Result
    stderr = $stderrTask.Result
}
