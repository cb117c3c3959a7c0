# scada.redundancy:verb process_run
# Run a program directly (no shell) with a command line the controller built, wait up to
# timeout seconds (then kill it), and return {exit_code, stdout, stderr, timed_out}; output is
# read asynchronously so a chatty program cannot block on a full pipe, and kept to 4000
# characters each (Process.Start with ProcessStartInfo; WaitForExit(Int32); Kill).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$file_name,
    [Parameter(Mandatory = $true)][AllowEmptyString()][string]$arguments,
    [int]$timeout = 60
)

$info = New-Object -TypeName System.Diagnostics.ProcessStartInfo -Property @{
    FileName = $file_name; Arguments = $arguments; UseShellExecute = $false; CreateNoWindow = $true
    RedirectStandardOutput = $true; RedirectStandardError = $true
}
$process = [System.Diagnostics.Process]::Start($info)
try {
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
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
        stdout = $out.Substring(0, [Math]::Min($out.Length, 4000)); stderr = $err.Substring(0, [Math]::Min($err.Length, 4000))
    }
}
finally { $process.Dispose() }
