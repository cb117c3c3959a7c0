# scada.redundancy:operation project_restore
# scada.redundancy:requires ini
# scada.redundancy:requires dbf
# scada.redundancy:requires fingerprint
# scada.redundancy:requires graphics_builder
# scada.redundancy:requires po_install
# scada.redundancy:requires archive
# Restore a backup into the CURRENT project, as the procedure's Restore dialog is used: "To:
# Current Project", the chosen included projects (never PLS_Include), configuration files
# only when asked. Order of work, so that nothing changes unless everything can:
#   1. refuse protected projects (PLS_Include) among the requested ones;
#   2. prove the archive: safe member names, members equal to the manifest, every SHA-256;
#   3. compare each target project's fingerprint with the archive's (equal: nothing to do);
#   4. unpack the projects that differ into a staging folder next to the projects, checking
#      each file's SHA-256 again as it is written;
#   5. per project, rename '<Project>' to '<Project>.previous' (an older '.previous' is
#      deleted first) and move the staged folder in; a failure puts back every project
#      already swapped. The '.previous' folder is the rollback (state rolled_back).
# Parameters (from $Params):
#   state                restored | rolled_back
#   archive              full path of the archive on this host (restored)
#   project              target project; empty: the project [CtEdit]Run names
#   project_source       folders | graphics_builder (see the po_install library)
#   include_projects     $null: every included project in the archive except protected ones;
#                        else the names to restore (a protected name is refused)
#   configuration_files  also restore citect.ini and Config files (a '.previous' copy of
#                        each replaced file is kept)
#   keep_previous        keep '<Project>.previous' after a successful restore
#   check_mode           report what would change; change nothing
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
Initialize-ArchiveSupport

function Assert-NotProtected {
    param([string[]]$Names, [string]$What)
    foreach ($name in $Names) {
        if (Test-ArchiveProtectedProject -Name $name) {
            throw (New-ArchiveError "$What names '$name': $name is never overwritten by a restore; nothing was changed" 'protected')
        }
    }
}

function Get-TargetFiles {
    # lower-case relative path -> @{ Relative; Sha256 } of a project folder (volatile files left out).
    param([string]$Folder)
    $files = @{}
    foreach ($entry in (Get-FingerprintEntries -Folder $Folder)) {
        $files[$entry.Key] = @{ Relative = $entry.Relative; Sha256 = (Get-Sha256Hex -LiteralPath $entry.Path) }
    }
    return $files
}

function Compare-Project {
    # What restoring an archive project would do to a target project: added, changed, removed.
    param($ArchiveFiles, [hashtable]$Target)
    $added = New-Object -TypeName System.Collections.ArrayList
    $changed = New-Object -TypeName System.Collections.ArrayList
    $keys = @{}
    foreach ($file in $ArchiveFiles) {
        $relative = $file.Relative
        if (Test-FingerprintVolatile -Name ($relative.Split('\')[-1])) { continue }
        $key = $relative.ToLowerInvariant()
        $keys[$key] = $true
        if (-not $Target.ContainsKey($key)) { [void]$added.Add($relative) }
        elseif ($Target[$key].Sha256 -ne $file.Sha256) { [void]$changed.Add($relative) }
    }
    $removed = @(foreach ($key in $Target.Keys) { if (-not $keys.ContainsKey($key)) { $Target[$key].Relative } })
    return @{ Added = $added.ToArray(); Changed = $changed.ToArray(); Removed = [object[]]$removed }
}

function Get-SortedList {
    param([object[]]$Items)
    $list = [string[]]@($Items)
    [System.Array]::Sort($list, [System.StringComparer]::OrdinalIgnoreCase)
    return , $list
}

function Expand-Members {
    # Write the archive members of a plan entry below $Folder, proving each SHA-256 again.
    param($Zip, $Members, [string]$Folder)
    foreach ($file in $Members) {
        $target = Get-ArchiveStagingPath -Root $Folder -Name $file.Relative
        $parent = [System.IO.Path]::GetDirectoryName($target)
        if (-not (Test-Path -LiteralPath $parent -PathType Container)) { [void](New-Item -Path $parent -ItemType Directory -Force) }
        $in = $Zip.GetEntry($file.Path).Open()
        try {
            $out = New-Object -TypeName System.IO.FileStream -ArgumentList $target, 'CreateNew', 'Write', 'None'
            try { $written = Copy-ArchiveStream -From $in -To $out }
            finally { $out.Dispose() }
        }
        finally {
            $in.Dispose()
        }
        if ($written.Sha256 -ne $file.Sha256) {
            throw (New-ArchiveError "member '$($file.Path)' changed while it was unpacked; nothing was restored")
        }
    }
}

function Switch-Projects {
    # Swap each staged project in; on a failure put back every project already swapped.
    param($Plan, [string]$Staging, [bool]$KeepPrevious)
    $done = New-Object -TypeName System.Collections.ArrayList
    try {
        foreach ($item in $Plan) {
            $previous = "$($item.Path).previous"
            if (Test-Path -LiteralPath $previous) { Remove-Item -LiteralPath $previous -Recurse -Force }
            [System.IO.Directory]::Move($item.Path, $previous)
            [void]$done.Add($item)
            [System.IO.Directory]::Move("$Staging\$($item.Target)", $item.Path)
        }
    }
    catch {
        $failure = $_.Exception
        for ($i = $done.Count - 1; $i -ge 0; $i--) {
            Restore-Previous -Path $done[$i].Path
        }
        throw (New-ArchiveIoError -Message 'the restore could not swap the projects in; every project was put back' -Exception $failure)
    }
    if (-not $KeepPrevious) {
        foreach ($item in $Plan) { Remove-Item -LiteralPath "$($item.Path).previous" -Recurse -Force }
    }
}

function Restore-Previous {
    # Put '<Path>.previous' back as <Path>. What is at <Path> is first renamed aside (its name
    # ends in '.previous', so no project list takes it for a project) and deleted only once
    # the previous content is in place: a locked file cannot leave a half-deleted project.
    param([string]$Path)
    $aside = "$Path.$([guid]::NewGuid().ToString('N')).previous"
    if (Test-Path -LiteralPath $Path) { [System.IO.Directory]::Move($Path, $aside) }
    [System.IO.Directory]::Move("$Path.previous", $Path)
    if (Test-Path -LiteralPath $aside) { Remove-Item -LiteralPath $aside -Recurse -Force }
}

function Invoke-Rollback {
    # Put '<Project>.previous' back for the target and its (selected) included projects.
    param($Catalog, $Main, [object]$Include, [bool]$CheckMode)
    $names = @($Main.Name)
    if ($null -ne $Include) { $names += @($Include) }
    else { $names = @(Get-PoProjectClosure -Catalog $Catalog -Name $Main.Name) }
    $rolled = New-Object -TypeName System.Collections.ArrayList
    foreach ($name in $names) {
        if (Test-ArchiveProtectedProject -Name $name) { continue }
        $entry = $Catalog[([string]$name).ToLowerInvariant()]
        if ($null -eq $entry -or -not (Test-Path -LiteralPath "$($entry.Path).previous" -PathType Container)) { continue }
        if (-not $CheckMode) { Restore-Previous -Path $entry.Path }
        [void]$rolled.Add($entry.Name)
    }
    return [ordered]@{ changed = ($rolled.Count -gt 0); state = 'rolled_back'; project = $Main.Name; rolled_back = $rolled.ToArray() }
}

# -- the target ----------------------------------------------------------------------------
$state = [string]$Params.state
$checkMode = [bool]$Params.check_mode
if ($null -ne $Params.include_projects) {
    Assert-NotProtected -Names @($Params.include_projects) -What 'include_projects'
}
if ([string]$Params.project) { Assert-NotProtected -Names @([string]$Params.project) -What 'project' }
$install = Get-PoRequiredInstall
$source = [string]$Params.project_source
if (-not $source) { $source = 'folders' }
$catalog = Get-PoProjectCatalog -Install $install -Source $source
$main = Resolve-PoTargetProject -Install $install -Catalog $catalog -Name ([string]$Params.project)
Assert-NotProtected -Names @($main.Name) -What 'the current project'
if ($state -eq 'rolled_back') { return (Invoke-Rollback -Catalog $catalog -Main $main -Include $Params.include_projects -CheckMode $checkMode) }

# -- the archive, proved before anything else ---------------------------------------------
$archivePath = [string]$Params.archive
Assert-ArchivePath -Path $archivePath -What 'archive'
$manifest = Test-ArchiveIntegrity -LiteralPath $archivePath
Assert-NotProtected -Names @($manifest['project']) -What 'the archive'
$inArchive = @{}
foreach ($project in @($manifest['projects'])) { $inArchive[([string]$project['name']).ToLowerInvariant()] = $project }
$skipped = New-Object -TypeName System.Collections.ArrayList
$selected = New-Object -TypeName System.Collections.ArrayList
if ($null -eq $Params.include_projects) {
    foreach ($project in @($manifest['projects'])) {
        $name = [string]$project['name']
        if ($name -eq $manifest['project']) { continue }
        if (Test-ArchiveProtectedProject -Name $name) { [void]$skipped.Add($name) } else { [void]$selected.Add($name) }
    }
}
else {
    foreach ($name in @($Params.include_projects)) {
        $found = $inArchive[([string]$name).ToLowerInvariant()]
        if ($null -eq $found) { throw (New-ArchiveError "the archive holds no project '$name'; nothing was changed" 'not_found') }
        if ([string]$found['name'] -ne $manifest['project'] -and -not $selected.Contains([string]$found['name'])) { [void]$selected.Add([string]$found['name']) }
    }
    foreach ($project in @($manifest['projects'])) {
        if ((Test-ArchiveProtectedProject -Name $project['name']) -and -not $selected.Contains([string]$project['name'])) { [void]$skipped.Add([string]$project['name']) }
    }
}

# -- what would change ---------------------------------------------------------------------
$pairs = @(@{ Source = [string]$manifest['project']; Target = $main }) + @(foreach ($name in $selected) {
        $entry = $catalog[$name.ToLowerInvariant()]
        if ($null -eq $entry) {
            throw (New-PoError -Message "included project '$name' does not exist on this server: a restore goes into existing projects only (leave it out with include_projects); nothing was changed" -Category 'not_found')
        }
        @{ Source = $name; Target = $entry }
    })
$targets = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
$report = New-Object -TypeName System.Collections.ArrayList
$plan = New-Object -TypeName System.Collections.ArrayList
foreach ($pair in $pairs) {
    if (-not $targets.Add($pair.Target.Name)) { throw (New-PoError -Message "project '$($pair.Target.Name)' would be restored twice" -Category 'invalid_parameter') }
    $archiveProject = $inArchive[$pair.Source.ToLowerInvariant()]
    $members = @(foreach ($file in @($manifest['files'])) {
            if ($file['project'] -ceq $archiveProject['name']) {
                @{ Path = $file['path']; Relative = $file['path'].Substring(([string]$archiveProject['name']).Length + 1).Replace('/', '\'); Sha256 = $file['sha256'] }
            }
        })
    $current = Get-TargetFiles -Folder $pair.Target.Path
    $before = Get-ArchiveFingerprint -Entries @($current.Values)
    $diff = Compare-Project -ArchiveFiles $members -Target $current
    $action = 'unchanged'
    if ($before -ne $archiveProject['fingerprint']) {
        $action = 'restored'
        [void]$plan.Add(@{ Target = $pair.Target.Name; Path = $pair.Target.Path; Members = $members; Fingerprint = $archiveProject['fingerprint'] })
    }
    [void]$report.Add([ordered]@{
            name = $pair.Target.Name; source = $pair.Source; action = $action
            fingerprint_before = $before; fingerprint_after = $archiveProject['fingerprint']
            added = (Get-SortedList $diff.Added); changed = (Get-SortedList $diff.Changed); removed = (Get-SortedList $diff.Removed)
        })
}
$configPlan = New-Object -TypeName System.Collections.ArrayList
$configReport = New-Object -TypeName System.Collections.ArrayList
if ([bool]$Params.configuration_files) {
    foreach ($file in @($manifest['files'])) {
        if ($file['kind'] -eq 'project') { continue }
        $leaf = $file['path'].Substring($ArchiveConfigFolder.Length + 1)
        if ($file['kind'] -eq 'ini') { $destination = $install.IniPath }
        elseif ($install.Paths['config']) { $destination = "$($install.Paths['config'].TrimEnd('\'))\$leaf" }
        else { throw (New-PoError -Message 'citect.ini names no [CtEdit]Config folder for the configuration files' -Category 'broken_install') }
        $action = 'restored'
        if ((Test-Path -LiteralPath $destination -PathType Leaf) -and (Get-Sha256Hex -LiteralPath $destination) -eq $file['sha256']) { $action = 'unchanged' }
        else { [void]$configPlan.Add(@{ Path = $file['path']; Relative = $leaf; Sha256 = $file['sha256']; Destination = $destination }) }
        [void]$configReport.Add([ordered]@{ name = $leaf; path = $destination; action = $action })
    }
}
$result = [ordered]@{
    changed = ($plan.Count + $configPlan.Count) -gt 0; state = 'restored'; project = $main.Name
    archive = $archivePath; archive_project = $manifest['project']; source_host = $manifest['source_host']
    created_utc = $manifest['created_utc']; projects = $report.ToArray(); skipped_projects = $skipped.ToArray()
    configuration_files = $configReport.ToArray(); previous_kept = ([bool]$Params.keep_previous -and $plan.Count -gt 0)
}
if ($checkMode -or -not $result.changed) { return $result }

# -- unpack, then swap ---------------------------------------------------------------------
$staging = "$(Get-PoUserFolder -Install $install)\.scada-redundancy-restore-$([guid]::NewGuid().ToString('N'))"
$zip = [System.IO.Compression.ZipFile]::OpenRead($archivePath)
try {
    try {
        foreach ($item in $plan) { Expand-Members -Zip $zip -Members $item.Members -Folder "$staging\$($item.Target)" }
        if ($configPlan.Count) { Expand-Members -Zip $zip -Members $configPlan -Folder "$staging\.config" }
    }
    catch {
        if ($_.Exception.Data.Contains('category')) { throw }
        throw (New-ArchiveIoError -Message 'the archive could not be unpacked; nothing was changed' -Exception $_.Exception)
    }
    Switch-Projects -Plan $plan -Staging $staging -KeepPrevious ([bool]$Params.keep_previous)
    foreach ($item in $configPlan) {
        if (Test-Path -LiteralPath $item.Destination -PathType Leaf) { [System.IO.File]::Copy($item.Destination, "$($item.Destination).previous", $true) }
        [System.IO.File]::Copy("$staging\.config\$($item.Relative)", $item.Destination, $true)
    }
}
finally {
    $zip.Dispose()
    if (Test-Path -LiteralPath $staging) { Remove-Item -LiteralPath $staging -Recurse -Force }
}
foreach ($item in $report) {
    if ($item.action -ne 'restored') { continue }
    $after = Get-ProjectFingerprint -Folder $catalog[$item.name.ToLowerInvariant()].Path
    if ($after -ne $item.fingerprint_after) {
        throw (New-PoError -Message "project '$($item.name)' does not have the archive's fingerprint after the restore ($after); its previous content is in '$($catalog[$item.name.ToLowerInvariant()].Path).previous'" -Category 'verify_failed')
    }
}
$result
