# scada.redundancy:verb process_run
# Run a program directly (no shell) with a command line the controller built, stdin given
# as text (UTF-8 without a BOM, then closed), wait up to timeout seconds (then kill it), and
# return {exit_code, stdout, stderr, timed_out}; output is read asynchronously so a chatty
# program cannot block on a full pipe, decoded as UTF-8 with utf8 (else the OEM code page),
# and kept to max_output characters each (Process.Start with ProcessStartInfo;
# StandardInput.BaseStream; WaitForExit(Int32); Kill).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$file_name,
    [Parameter(Mandatory = $true)][AllowEmptyString()][string]$arguments,
    [int]$timeout = 60,
    [string]$stdin = '',
    [bool]$utf8 = $false,
    [int]$max_output = 4000
)

$info = New-Object -TypeName System.Diagnostics.ProcessStartInfo -Property @{
    FileName = $file_name; Arguments = $arguments; UseShellExecute = $false; CreateNoWindow = $true
    RedirectStandardInput = $true; RedirectStandardOutput = $true; RedirectStandardError = $true
}
$encoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
if ($utf8) { $info.StandardOutputEncoding = $encoding; $info.StandardErrorEncoding = $encoding }
$process = [System.Diagnostics.Process]::Start($info)
try {
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $bytes = $encoding.GetBytes($stdin)
    # A program that ended without reading its input has closed the pipe: its exit code tells.
    try { $process.StandardInput.BaseStream.Write($bytes, 0, $bytes.Length); $process.StandardInput.Close() }
    catch [IO.IOException] { $null = $_ }
    $timedOut = -not $process.WaitForExit($timeout * 1000)
    if ($timedOut) {
        $process.Kill()
        [void]$process.WaitForExit(10000)
    }
    else { $process.WaitForExit() }
    $out = [string]$stdout.Result
    $err = [string]$stderr.Result
    [ordered]@{
        exit_code = $process.ExitCode; timed_out = $timedOut
        stdout = $out.Substring(0, [Math]::Min($out.Length, $max_output)); stderr = $err.Substring(0, [Math]::Min($err.Length, $max_output))
    }
}
finally { $process.Dispose() }
