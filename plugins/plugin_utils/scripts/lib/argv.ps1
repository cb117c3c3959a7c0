# scada.redundancy:library argv
# Running a site's own tool from an argument list (a command template whose placeholders the
# operation has filled in), without ever building script text from the values: the list
# becomes one Windows command line by the quoting rules CommandLineToArgvW and the C runtime
# parse, so each element reaches the tool as exactly one argument, and the process is started
# directly (no cmd.exe, no PowerShell parsing of the values).

function ConvertTo-ArgvArgument {
    # One argument quoted for CommandLineToArgvW: unquoted when it has no space, tab or quote;
    # otherwise in quotes, with backslashes doubled before a quote and before the closing one.
    param([string]$Value)
    if ($Value.Length -gt 0 -and $Value.IndexOfAny([char[]]" `t`n`v`"") -lt 0) { return $Value }
    $builder = New-Object -TypeName System.Text.StringBuilder
    [void]$builder.Append([char]'"')
    $backslashes = 0
    foreach ($c in $Value.ToCharArray()) {
        if ($c -eq [char]'\') {
            $backslashes++
            continue
        }
        if ($c -eq [char]'"') {
            [void]$builder.Append([char]'\', 2 * $backslashes + 1).Append([char]'"')
        }
        else {
            [void]$builder.Append([char]'\', $backslashes).Append($c)
        }
        $backslashes = 0
    }
    [void]$builder.Append([char]'\', 2 * $backslashes).Append([char]'"')
    return $builder.ToString()
}

function Invoke-ArgvProcess {
    # Start Argv[0] with Argv[1..] as its arguments, wait up to TimeoutSeconds (then kill it),
    # and return @{ ExitCode; Stdout; Stderr; TimedOut }. Output is read asynchronously so a
    # chatty tool cannot block on a full pipe.
    param([string[]]$Argv, [int]$TimeoutSeconds)
    $info = New-Object -TypeName System.Diagnostics.ProcessStartInfo
    $info.FileName = $Argv[0]
    $info.Arguments = (@($Argv | Select-Object -Skip 1 | ForEach-Object { ConvertTo-ArgvArgument -Value $_ }) -join ' ')
    $info.UseShellExecute = $false
    $info.CreateNoWindow = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($info)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $timedOut = -not $process.WaitForExit($TimeoutSeconds * 1000)
        if ($timedOut) {
            $process.Kill()
            [void]$process.WaitForExit(10000)
        }
        else {
            $process.WaitForExit()
        }
        return @{ ExitCode = $process.ExitCode; Stdout = $stdout.Result; Stderr = $stderr.Result; TimedOut = $timedOut }
    }
    finally {
        $process.Dispose()
    }
}
