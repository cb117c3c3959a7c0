# scada.redundancy:verb gb_projects
# Every project Graphics Builder automation lists, with its direct includes, and the project
# selected before, which is selected again afterwards (GraphicsBuilder.Application members
# ProjectSelected, ProjectSelect, ProjectFirst/ProjectNext, ProjectFirstInclude/
# ProjectNextInclude; a list ends with an error, E_FAIL, not an empty name). The members are
# called through IDispatch as methods or property gets, as Visual Basic does.
[CmdletBinding()]
param()

try {
    $application = New-Object -ComObject 'GraphicsBuilder.Application'
}
catch {
    throw (New-AgentError "Graphics Builder automation (GraphicsBuilder.Application) is not available: $($_.Exception.Message)" 'vendor')
}
$flags = [Reflection.BindingFlags]::InvokeMethod -bor [Reflection.BindingFlags]::GetProperty
function Invoke-Member([string]$Name, [object[]]$Arguments = @()) {
    $application.GetType().InvokeMember($Name, $flags, $null, $application, $Arguments)
}
function Get-List([string]$First, [string]$Next) {
    $names = New-Object -TypeName System.Collections.ArrayList
    $member = $First
    while ($true) {
        try { $name = [string](Invoke-Member $member) } catch { break }  # E_FAIL: the list's end
        [void]$names.Add($name)
        $member = $Next
    }
    , $names.ToArray()
}
try {
    $selected = [string](Invoke-Member 'ProjectSelected')
    $projects = @(foreach ($project in (Get-List 'ProjectFirst' 'ProjectNext')) {
            [void](Invoke-Member 'ProjectSelect' @($project))
            [ordered]@{ name = $project; includes = (Get-List 'ProjectFirstInclude' 'ProjectNextInclude') }
        })
    if ($selected) { [void](Invoke-Member 'ProjectSelect' @($selected)) }
}
finally {
    [void][Runtime.InteropServices.Marshal]::FinalReleaseComObject($application)
}
[ordered]@{ selected = $selected; projects = $projects }
