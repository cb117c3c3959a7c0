# scada.redundancy:verb gb_compile
# Compile a project with its includes through Graphics Builder automation: ProjectSelect, then
# ProjectCompile (GraphicsBuilder.Application; the vendor does not say whether ProjectCompile
# returns before the compile ends, so the call is waited on). The members run in their own
# single-threaded-apartment runspace, so the wait can end at timeout seconds (category
# timeout; the runspace is left to end, and Graphics Builder may go on compiling: a modal
# dialog nobody sees over WinRM holds the call until then). A refusal, E_FAIL, is category
# vendor. The result: when the call started and returned (UTC) and the seconds between.
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$project,
    [Parameter(Mandatory = $true)][int]$timeout
)

$members = {
    param([string]$Project)
    $ErrorActionPreference = 'Stop'
    $flags = [Reflection.BindingFlags]::InvokeMethod -bor [Reflection.BindingFlags]::GetProperty
    $application = New-Object -ComObject 'GraphicsBuilder.Application'
    try {
        [void]$application.GetType().InvokeMember('ProjectSelect', $flags, $null, $application, @($Project))
        [void]$application.GetType().InvokeMember('ProjectCompile', $flags, $null, $application, @())
    }
    finally { [void][Runtime.InteropServices.Marshal]::FinalReleaseComObject($application) }
}
$runspace = [Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace()
$runspace.ApartmentState = [Threading.ApartmentState]::STA
$runspace.Open()
$shell = [Management.Automation.PowerShell]::Create()
$shell.Runspace = $runspace
[void]$shell.AddScript($members.ToString()).AddArgument($project)
$started = [DateTime]::UtcNow
$clock = [Diagnostics.Stopwatch]::StartNew()
$pending = $shell.BeginInvoke()
if (-not $pending.AsyncWaitHandle.WaitOne([int]($timeout * 1000))) {
    [void]$shell.BeginStop($null, $null)
    throw (New-AgentError "the compile of $project did not finish within $timeout seconds" 'timeout')
}
try {
    [void]$shell.EndInvoke($pending)
    if ($shell.HadErrors) { throw $shell.Streams.Error[0].Exception }
}
catch {
    $inner = $_.Exception.GetBaseException()
    throw (New-AgentError "Graphics Builder refused the compile of ${project}: $($inner.Message)" 'vendor')
}
finally {
    $shell.Dispose()
    $runspace.Dispose()
}
[ordered]@{ started = $started.ToString('o'); finished = [DateTime]::UtcNow.ToString('o'); seconds = [Math]::Round($clock.Elapsed.TotalSeconds, 3) }
