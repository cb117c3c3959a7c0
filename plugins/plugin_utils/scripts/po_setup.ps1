# scada.redundancy:operation po_setup
# scada.redundancy:requires ini
# scada.redundancy:requires dbf
# scada.redundancy:requires fingerprint
# scada.redundancy:requires graphics_builder
# scada.redundancy:requires po_install
# The scriptable part of the Computer Setup Wizard: the citect.ini keys it writes. The wizard
# itself has no silent mode. [CtEdit]Run is set to the folder of the named project (the project
# the next runtime start loads); any other key is set (or, with a null value, removed) as
# given. Every other line of citect.ini stays as it is; the file keeps its encoding.
# Parameters (from $Params):
#   run_project     project for [CtEdit]Run; empty leaves Run alone
#   settings        list of {section, key, value}; a null value removes the key
#   project_source  'folders' or 'graphics_builder' (see lib/po_install.ps1)
#   check           report the changes without writing the file
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Get-LineText {
    param($Document, [string]$Section, [string]$Key)
    $line = Find-IniLine -Document $Document -Section $Section -Key $Key
    if ($null -eq $line) { return $null }
    return $line.Text
}

$install = Get-PoRequiredInstall
$wanted = New-Object -TypeName System.Collections.ArrayList
$runProject = $null
if ([string]$Params.run_project) {
    $catalog = Get-PoProjectCatalog -Install $install -Source ([string]$Params.project_source)
    $entry = Resolve-PoProject -Catalog $catalog -Name ([string]$Params.run_project)
    $runProject = $entry.Name
    [void]$wanted.Add([pscustomobject]@{ section = 'CtEdit'; key = 'Run'; value = $entry.Path })
}
foreach ($setting in @($Params.settings)) {
    # Checked on the controller too: nothing may add or break a line of citect.ini.
    foreach ($text in @([string]$setting.section, [string]$setting.key, [string]$setting.value)) {
        if ($text -match "[`r`n`0]") {
            throw (New-PoError -Message 'settings must not hold line breaks or NUL characters' -Category 'invalid_parameter')
        }
    }
    [void]$wanted.Add($setting)
}

$ini = Read-IniDocument -LiteralPath $install.IniPath
$changes = New-Object -TypeName System.Collections.ArrayList
foreach ($setting in $wanted) {
    $section = [string]$setting.section
    $key = [string]$setting.key
    $before = Get-LineText -Document $ini -Section $section -Key $key
    if ($null -eq $setting.value) {
        $changed = Remove-IniValue -Document $ini -Section $section -Key $key
    }
    else {
        $changed = Set-IniValue -Document $ini -Section $section -Key $key -Value ([string]$setting.value)
    }
    if ($changed) {
        [void]$changes.Add([ordered]@{
                section = $section; key = $key; before = $before
                after = Get-LineText -Document $ini -Section $section -Key $key
            })
    }
}
if ($changes.Count -gt 0 -and -not $Params.check) { Write-IniDocument -Document $ini }

[ordered]@{
    changed = $changes.Count -gt 0
    ini_path = $install.IniPath
    run_project = $runProject
    run_path = Get-IniValue -Document $ini -Section 'CtEdit' -Key 'Run'
    changes = $changes.ToArray()
}
