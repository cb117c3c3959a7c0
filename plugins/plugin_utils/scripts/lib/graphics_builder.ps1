# scada.redundancy:library graphics_builder
# Graphics Builder automation, the vendor's documented COM surface for projects: ProgID
# GraphicsBuilder.Application, members ProjectSelect, ProjectSelected,
# ProjectFirst/ProjectNext and ProjectFirstInclude/ProjectNextInclude. Failures surface as COM
# exceptions (E_FAIL). Whether the list members are methods or properties is not documented,
# so they are called through IDispatch with both flags, as Visual Basic does.

function New-GraphicsBuilder {
    try {
        return New-Object -ComObject 'GraphicsBuilder.Application'
    }
    catch {
        $err = New-Object -TypeName System.InvalidOperationException -ArgumentList ("Graphics Builder automation (GraphicsBuilder.Application) is not available: " + $_.Exception.Message)
        $err.Data['category'] = 'vendor'
        throw $err
    }
}

function Close-GraphicsBuilder {
    param($Application)
    if ($null -ne $Application) { [void][System.Runtime.InteropServices.Marshal]::FinalReleaseComObject($Application) }
}

function Invoke-GraphicsBuilderMember {
    # Call a member by name (method or property get) with optional arguments.
    param($Application, [string]$Name, [object[]]$Arguments = @())
    $flags = [System.Reflection.BindingFlags]::InvokeMethod -bor [System.Reflection.BindingFlags]::GetProperty
    return $Application.GetType().InvokeMember($Name, $flags, $null, $Application, $Arguments)
}

function Get-GraphicsBuilderList {
    # Names from a First/Next pair of members. The list ends with an error (E_FAIL) after its
    # last name, not with an empty answer, and the string returned then is undefined (Plant
    # SCADA Graphics Builder automation reference: ProjectFirst, ProjectNext, Error Handling).
    param($Application, [string]$First, [string]$Next)
    $names = New-Object -TypeName System.Collections.ArrayList
    $member = $First
    while ($true) {
        try {
            $name = [string](Invoke-GraphicsBuilderMember -Application $Application -Name $member)
        }
        catch {
            break  # E_FAIL: no (more) names
        }
        [void]$names.Add($name)
        $member = $Next
    }
    return , $names.ToArray()
}

function Get-GraphicsBuilderCatalog {
    # Every project Graphics Builder knows, with its direct includes: name -> includes. The
    # project selected before is selected again afterwards.
    $application = New-GraphicsBuilder
    try {
        $selected = [string](Invoke-GraphicsBuilderMember -Application $application -Name 'ProjectSelected')
        $catalog = [ordered]@{}
        foreach ($project in (Get-GraphicsBuilderList -Application $application -First 'ProjectFirst' -Next 'ProjectNext')) {
            [void](Invoke-GraphicsBuilderMember -Application $application -Name 'ProjectSelect' -Arguments @($project))
            $catalog[$project] = Get-GraphicsBuilderList -Application $application -First 'ProjectFirstInclude' -Next 'ProjectNextInclude'
        }
        if ($selected) { [void](Invoke-GraphicsBuilderMember -Application $application -Name 'ProjectSelect' -Arguments @($selected)) }
        return $catalog
    }
    finally {
        Close-GraphicsBuilder -Application $application
    }
}
