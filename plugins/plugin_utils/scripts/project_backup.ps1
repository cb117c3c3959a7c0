# scada.redundancy:operation project_backup
# scada.redundancy:requires ini
# scada.redundancy:requires dbf
# scada.redundancy:requires fingerprint
# scada.redundancy:requires graphics_builder
# scada.redundancy:requires po_install
# scada.redundancy:requires archive
# scada.redundancy:requires argv
# Back up a Power Operation project into a .ctz-compatible zip with the collection's manifest,
# as the vendor's Backup dialog does ("Save Included Projects", "Save sub-directories",
# "Save configuration files"). The archive is written as '<name>.partial', re-opened and every
# member checked against the manifest, and only then given its name; a failure (disk full)
# removes the partial file. With archive_name given and an intact archive of identical content
# already there, nothing is written. With command_template, the site's own backup tool writes
# the archive instead, started from an argument list. Parameters (from $Params):
#   project              project name; empty: the project [CtEdit]Run names
#   project_source       folders | graphics_builder (see the po_install library)
#   include_projects     also save the included projects (transitively)
#   subdirectories       also save files in sub-folders of the project folders
#   configuration_files  also save citect.ini and the [CtEdit]Config files matching
#                        configuration_patterns (wildcards, e.g. '*.exe.config')
#   destination          folder of the archive; empty: [CtEdit]Backup
#   archive_name         file name; empty: '<project>-<yyyyMMddTHHmmssZ>.ctz' (UTC)
#   command_template     argument list of a site backup tool (empty: the built-in writer);
#                        placeholders {project} {project_path} {destination} {archive_name}
#                        {backup_folder} {ini_path} {bin_folder} are replaced in each element
#   command_timeout      seconds the tool may run
#   check_mode           report what would be saved; write nothing
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
Initialize-ArchiveSupport

function Get-BackupFiles {
    # The files to save, in archive order: objects with Member, Kind, Project, Path and Size
    # (Size and Sha256 become those of the bytes stored once a file is hashed or written).
    param($Projects, $Install, [bool]$Subdirectories, [bool]$ConfigurationFiles, [string[]]$Patterns)
    $files = New-Object -TypeName System.Collections.ArrayList
    foreach ($project in $Projects) {
        foreach ($entry in (Get-FingerprintEntries -Folder $project.Path)) {
            if ((-not $Subdirectories) -and $entry.Relative.Contains('\')) { continue }
            [void]$files.Add([pscustomobject]@{ Member = $project.Name + '/' + $entry.Relative.Replace('\', '/')
                    Kind = 'project'; Project = $project.Name; Path = $entry.Path; Size = $entry.Size; Sha256 = $null })
        }
    }
    if ($ConfigurationFiles) {
        [void]$files.Add([pscustomobject]@{ Member = "$ArchiveConfigFolder/" + [System.IO.Path]::GetFileName($Install.IniPath)
                Kind = 'ini'; Project = $null; Path = $Install.IniPath; Size = (Get-Item -LiteralPath $Install.IniPath).Length; Sha256 = $null })
        $config = $Install.Paths['config']
        if ($config -and (Test-Path -LiteralPath $config -PathType Container)) {
            foreach ($file in Get-ChildItem -LiteralPath $config -File -Force) {
                $matched = @($Patterns | Where-Object { $file.Name -like $_ }).Count -gt 0
                if ((-not $matched) -or (Test-PoSamePath -Left $file.FullName -Right $Install.IniPath)) { continue }
                [void]$files.Add([pscustomobject]@{ Member = "$ArchiveConfigFolder/" + $file.Name
                        Kind = 'config'; Project = $null; Path = $file.FullName; Size = $file.Length; Sha256 = $null })
            }
        }
    }
    $seen = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($file in $files) {
        $problem = Get-ArchiveMemberNameProblem -Name $file.Member
        if ($problem) { throw (New-ArchiveError "'$($file.Path)' cannot be saved under the name '$($file.Member)': $problem" 'unsupported') }
        if (-not $seen.Add($file.Member)) { throw (New-ArchiveError "two files would be saved as '$($file.Member)'" 'unsupported') }
    }
    return , $files.ToArray()
}

function New-BackupManifest {
    # The manifest of $Files, each carrying Size and Sha256 (see _archive.py for the format).
    param($Files, $Main, [string[]]$Includes, $Projects, $Install, [hashtable]$Options)
    $projectList = New-Object -TypeName System.Collections.ArrayList
    foreach ($project in $Projects) {
        $mine = @($Files | Where-Object { $_.Kind -eq 'project' -and $_.Project -eq $project.Name })
        $bytes = [int64]0
        foreach ($file in $mine) { $bytes += $file.Size }
        $hashes = @(foreach ($file in $mine) { @{ Relative = $file.Member.Substring($project.Name.Length + 1); Sha256 = $file.Sha256 } })
        [void]$projectList.Add([ordered]@{ name = $project.Name; files = $mine.Count; bytes = $bytes
                fingerprint = (Get-ArchiveFingerprint -Entries $hashes) })
    }
    $fileList = New-Object -TypeName System.Collections.ArrayList
    foreach ($file in $Files) {
        [void]$fileList.Add([ordered]@{ path = $file.Member; kind = $file.Kind; project = $file.Project
                size = [int64]$file.Size; sha256 = $file.Sha256 })
    }
    return [ordered]@{
        format = $ArchiveManifestFormat; version = $ArchiveManifestVersion
        project = $Main.Name; includes = [object[]]$Includes; projects = $projectList.ToArray()
        files = $fileList.ToArray(); source_host = $env:COMPUTERNAME; product_version = $Install.Version
        created_utc = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ', [System.Globalization.CultureInfo]::InvariantCulture)
        options = $Options
    }
}

function Add-FileHashes {
    # Size and Sha256 of each file as it is now (for the comparison with an existing archive).
    param($Files)
    foreach ($file in $Files) {
        $found = Get-ArchiveFileSha256 -LiteralPath $file.Path
        $file | Add-Member -NotePropertyName Size -NotePropertyValue $found.Length -Force
        $file | Add-Member -NotePropertyName Sha256 -NotePropertyValue $found.Sha256 -Force
    }
}

function Test-SameContent {
    # Whether an existing archive's manifest describes exactly $Manifest's projects and files.
    param($Existing, $Manifest)
    foreach ($key in @('project', 'product_version')) {
        if ([string]$Existing[$key] -cne [string]$Manifest[$key]) { return $false }
    }
    foreach ($key in @('include_projects', 'subdirectories', 'configuration_files')) {
        if ([bool]$Existing['options'][$key] -ne [bool]$Manifest['options'][$key]) { return $false }
    }
    $old = @{}
    foreach ($file in @($Existing['files'])) { $old[[string]$file['path']] = [string]$file['sha256'] }
    if ($old.Count -ne @($Manifest['files']).Count) { return $false }
    foreach ($file in @($Manifest['files'])) {
        if (-not $old.ContainsKey($file['path']) -or $old[$file['path']] -cne $file['sha256']) { return $false }
    }
    return $true
}

function Write-BackupArchive {
    # Write $Files and their manifest to $Partial; every file is hashed as it is stored, so
    # the manifest describes the bytes in the archive even if a file changes meanwhile.
    param([string]$Partial, $Files, [hashtable]$Describe)
    if (Test-Path -LiteralPath $Partial -PathType Leaf) { Remove-Item -LiteralPath $Partial -Force }
    $zip = [System.IO.Compression.ZipFile]::Open($Partial, [System.IO.Compression.ZipArchiveMode]::Create)
    try {
        foreach ($file in $Files) {
            $entry = $zip.CreateEntry($file.Member, [System.IO.Compression.CompressionLevel]::Optimal)
            $out = $entry.Open()
            try {
                $in = New-Object -TypeName System.IO.FileStream -ArgumentList $file.Path, 'Open', 'Read', 'ReadWrite'
                try { $stored = Copy-ArchiveStream -From $in -To $out }
                finally { $in.Dispose() }
            }
            finally {
                $out.Dispose()
            }
            $file | Add-Member -NotePropertyName Size -NotePropertyValue $stored.Length -Force
            $file | Add-Member -NotePropertyName Sha256 -NotePropertyValue $stored.Sha256 -Force
        }
        $document = New-BackupManifest -Files $Files @Describe
        $bytes = (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetBytes((ConvertTo-ArchiveJson -Value $document))
        $out = $zip.CreateEntry($ArchiveManifestName, [System.IO.Compression.CompressionLevel]::Optimal).Open()
        try { $out.Write($bytes, 0, $bytes.Length) }
        finally { $out.Dispose() }
        return $document
    }
    finally {
        $zip.Dispose()
    }
}

function Resolve-Template {
    # The tool's argument list with the placeholders replaced: values only, never code.
    param([string[]]$Template, [hashtable]$Values)
    return , @(foreach ($element in $Template) {
            $text = [string]$element
            foreach ($key in $Values.Keys) { $text = $text.Replace('{' + $key + '}', [string]$Values[$key]) }
            $text
        })
}

function Invoke-BackupTool {
    # Run the site's tool, then prove it wrote a readable zip with safe member names.
    param([string[]]$Argv, [int]$Timeout, [string]$Target)
    if (-not (Test-Path -LiteralPath $Argv[0] -PathType Leaf)) {
        throw (New-ArchiveError "the backup tool '$($Argv[0])' does not exist" 'not_found')
    }
    $run = Invoke-ArgvProcess -Argv $Argv -TimeoutSeconds $Timeout
    $tail = (("$($run.Stderr)`n$($run.Stdout)").Trim() -split "`r?`n" | Select-Object -Last 5) -join ' | '
    if ($run.TimedOut) { throw (New-ArchiveError "the backup tool did not finish within $Timeout s and was stopped: $tail" 'tool_failed') }
    if ($run.ExitCode -ne 0) { throw (New-ArchiveError "the backup tool exited with code $($run.ExitCode): $tail" 'tool_failed') }
    if (-not (Test-Path -LiteralPath $Target -PathType Leaf)) {
        throw (New-ArchiveError "the backup tool exited with code 0 but wrote no '$Target'" 'tool_failed')
    }
    $zip = Open-ArchiveRead -LiteralPath $Target
    try { $members = Get-ArchiveMembers -Archive $zip }
    finally { $zip.Dispose() }
    if ($members.ContainsKey($ArchiveManifestName)) { return (Test-ArchiveIntegrity -LiteralPath $Target) }
    return $null
}

# -- what to save --------------------------------------------------------------------------
$install = Get-PoRequiredInstall
$source = [string]$Params.project_source
if (-not $source) { $source = 'folders' }
$catalog = Get-PoProjectCatalog -Install $install -Source $source
$main = Resolve-PoTargetProject -Install $install -Catalog $catalog -Name ([string]$Params.project)
$closure = @(Get-PoProjectClosure -Catalog $catalog -Name $main.Name)
$includes = @($closure | Select-Object -Skip 1)
$projects = @($main)
if ([bool]$Params.include_projects) {
    $projects = @(foreach ($name in $closure) {
            $entry = $catalog[$name.ToLowerInvariant()]
            if ($null -ne $entry) { $entry }
        })
}
$options = [ordered]@{
    include_projects = [bool]$Params.include_projects; subdirectories = [bool]$Params.subdirectories
    configuration_files = [bool]$Params.configuration_files
}
$files = Get-BackupFiles -Projects $projects -Install $install -Subdirectories $options.subdirectories `
    -ConfigurationFiles $options.configuration_files -Patterns @($Params.configuration_patterns)

$folder = [string]$Params.destination
if (-not $folder) { $folder = $install.Paths['backup'] }
if (-not $folder) {
    throw (New-PoError -Message 'no destination given and citect.ini names no [CtEdit]Backup folder' -Category 'invalid_parameter')
}
$folder = $folder.TrimEnd('\')
$name = [string]$Params.archive_name
if ($name.IndexOfAny([char[]]'\/:*?"<>|') -ge 0) {
    # The archive stays in its folder: a name with a separator could lead out of it.
    throw (New-PoError -Message "archive_name must be a plain file name, not '$name'" -Category 'invalid_parameter')
}
if (-not $name) {
    $name = '{0}-{1}.ctz' -f $main.Name, [DateTime]::UtcNow.ToString('yyyyMMddTHHmmssZ', [System.Globalization.CultureInfo]::InvariantCulture)
}
$target = "$folder\$name"
Assert-ArchivePath -Path $target -What 'destination'
$template = @($Params.command_template | Where-Object { $null -ne $_ })

$result = [ordered]@{
    changed = $true; path = $target; archive_name = $name; folder = $folder; project = $main.Name
    includes = $includes; projects = @(); files = $files.Count; bytes = [int64]0; size = $null; sha256 = $null
    method = 'builtin'; manifest = $true; options = $options; source_host = $env:COMPUTERNAME
    product_version = $install.Version
}
if ($template.Count) { $result.method = 'command' }
foreach ($file in $files) { $result.bytes += $file.Size }
$result.projects = @(foreach ($project in $projects) {
        $mine = @($files | Where-Object { $_.Kind -eq 'project' -and $_.Project -eq $project.Name })
        $bytes = [int64]0
        foreach ($file in $mine) { $bytes += $file.Size }
        [ordered]@{ name = $project.Name; files = $mine.Count; bytes = $bytes }
    })
$describe = @{ Main = $main; Includes = $includes; Projects = $projects; Install = $install; Options = $options }

# -- an identical archive already there: nothing to write ---------------------------------
if ((-not $template.Count) -and [string]$Params.archive_name -and (Test-Path -LiteralPath $target -PathType Leaf)) {
    try { $existing = Test-ArchiveIntegrity -LiteralPath $target }
    catch { $existing = $null }
    if ($null -ne $existing) {
        Add-FileHashes -Files $files
        if (Test-SameContent -Existing $existing -Manifest (New-BackupManifest -Files $files @describe)) {
            $found = Get-ArchiveFileSha256 -LiteralPath $target
            $result.changed = $false
            $result.size = $found.Length
            $result.sha256 = $found.Sha256
            $result.projects = @($existing['projects'])
            $result.created_utc = $existing['created_utc']
            return $result
        }
    }
}
if ([bool]$Params.check_mode) { return $result }

# -- write it ------------------------------------------------------------------------------
if (-not (Test-Path -LiteralPath $folder -PathType Container)) {
    [void](New-Item -Path $folder -ItemType Directory -Force)
}
if ($template.Count) {
    $values = @{ project = $main.Name; project_path = $main.Path; destination = $target; archive_name = $name
        backup_folder = $folder; ini_path = $install.IniPath; bin_folder = $install.Paths['bin']
    }
    $manifest = Invoke-BackupTool -Argv (Resolve-Template -Template $template -Values $values) -Timeout ([int]$Params.command_timeout) -Target $target
    $result.manifest = ($null -ne $manifest)
}
else {
    $partial = "$target.partial"
    try {
        [void](Write-BackupArchive -Partial $partial -Files $files -Describe $describe)
        $manifest = Test-ArchiveIntegrity -LiteralPath $partial
        if (Test-Path -LiteralPath $target -PathType Leaf) { Remove-Item -LiteralPath $target -Force }
        [System.IO.File]::Move($partial, $target)
    }
    catch {
        $failure = $_.Exception
        if (Test-Path -LiteralPath $partial -PathType Leaf) { Remove-Item -LiteralPath $partial -Force }
        if ($failure.Data.Contains('category')) { throw }
        throw (New-ArchiveIoError -Message "the backup '$target' could not be written (the partial archive was removed)" -Exception $failure)
    }
}
if ($null -ne $manifest) {
    $result.projects = @($manifest['projects'])
    $result.created_utc = $manifest['created_utc']
    $result.files = @($manifest['files']).Count
}
$found = Get-ArchiveFileSha256 -LiteralPath $target
$result.size = $found.Length
$result.sha256 = $found.Sha256
$result
