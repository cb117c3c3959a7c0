# scada.redundancy:library po_install
# Power Operation (AVEVA Plant SCADA) install discovery and project layout, shared by the
# Power Operation operations. Needs the libraries ini, dbf, fingerprint and graphics_builder;
# an operation lists them before this one.
#
# Discovery (vendor-documented): the first subkey of HKLM:\SOFTWARE\WOW6432Node\Citect\SCADA
# Installs names the version and holds DefaultINIPath (citect.ini) and BinFolder. Folders come
# from citect.ini [CtEdit]: User (the projects), Config, Data, Backup, Logs, Bin, Copy, Deploy;
# [CtEdit]Run is the folder of the project the next runtime start loads.
#
# Projects. A project is a folder <[CtEdit]User>\<name>. Two ways to list them and their
# includes (option project_source):
#   folders           (default) every sub-folder of [CtEdit]User that holds a .DBF table, except
#                     names matching $PoProjectFolderExclusions (the '<Project>.previous' copies
#                     a restore keeps); includes read from <project>\include.DBF: a dBASE table
#                     (field NAME, else its first character field) or, when the file is not a
#                     table, one name per line with ';' comments, as the twin models it.
#   graphics_builder  the product's own list through Graphics Builder automation
#                     (ProjectFirst/ProjectNext, ProjectFirstInclude/ProjectNextInclude).
# Included names that are not projects are kept as written, so a compile can report them.

$PoInstallsKey = 'HKLM:\SOFTWARE\WOW6432Node\Citect\SCADA Installs'
$PoFolderKeys = [ordered]@{
    user = 'User'; config = 'Config'; data = 'Data'; backup = 'Backup'; logs = 'Logs'
    bin = 'Bin'; copy = 'Copy'; deploy = 'Deploy'
}
$PoIncludeFile = 'include.DBF'
$PoProjectFolderExclusions = @('*.previous')

function New-PoError {
    # An exception the bootstrap reports with its category.
    param([string]$Message, [string]$Category = 'error')
    $err = New-Object -TypeName System.InvalidOperationException -ArgumentList $Message
    $err.Data['category'] = $Category
    return $err
}

function Get-PoRegistryValue {
    param([string]$Path, [string]$Name)
    $item = Get-ItemProperty -LiteralPath $Path -ErrorAction SilentlyContinue
    if ($null -eq $item -or $null -eq $item.PSObject.Properties[$Name]) { return $null }
    return [string]$item.PSObject.Properties[$Name].Value
}

function Get-PoInstall {
    # The install the registry names, or $null when Power Operation is not installed: Version,
    # IniPath, BinFolder, Ini (the parsed citect.ini), Paths (name -> folder or $null), RunPath.
    if (-not (Test-Path -LiteralPath $PoInstallsKey)) { return $null }
    $first = Get-ChildItem -LiteralPath $PoInstallsKey | Select-Object -First 1
    if ($null -eq $first) { return $null }
    $iniPath = Get-PoRegistryValue -Path $first.PSPath -Name 'DefaultINIPath'
    $binFolder = Get-PoRegistryValue -Path $first.PSPath -Name 'BinFolder'
    if (-not $iniPath -or -not (Test-Path -LiteralPath $iniPath -PathType Leaf)) {
        throw (New-PoError -Message "Power Operation $($first.PSChildName) is registered, but its citect.ini ('$iniPath') does not exist" -Category 'broken_install')
    }
    $ini = Read-IniDocument -LiteralPath $iniPath
    $paths = [ordered]@{}
    foreach ($name in $PoFolderKeys.Keys) {
        $value = Get-IniValue -Document $ini -Section 'CtEdit' -Key $PoFolderKeys[$name]
        if (-not $value) { $value = $null }
        $paths[$name] = $value
    }
    if (-not $paths['bin']) { $paths['bin'] = $binFolder }
    $run = Get-IniValue -Document $ini -Section 'CtEdit' -Key 'Run'
    if (-not $run) { $run = $null }
    return [pscustomobject]@{
        Version = [string]$first.PSChildName; IniPath = $iniPath; BinFolder = $binFolder
        Ini = $ini; Paths = $paths; RunPath = $run
    }
}

function Get-PoRequiredInstall {
    # The install, or a 'not_installed' failure.
    $install = Get-PoInstall
    if ($null -eq $install) {
        throw (New-PoError -Message 'Power Operation is not installed on this host (no SCADA Installs registry key)' -Category 'not_installed')
    }
    return $install
}

function Get-PoUserFolder {
    # [CtEdit]User, else the folder that holds the [CtEdit]Run project.
    param($Install)
    if ($Install.Paths['user']) { return $Install.Paths['user'].TrimEnd('\') }
    if ($Install.RunPath) { return [System.IO.Path]::GetDirectoryName($Install.RunPath.TrimEnd('\')) }
    throw (New-PoError -Message "citect.ini ($($Install.IniPath)) names neither [CtEdit]User nor [CtEdit]Run: the projects folder is unknown" -Category 'broken_install')
}

function Test-PoSamePath {
    param([string]$Left, [string]$Right)
    if (-not $Left -or -not $Right) { return $false }
    try {
        $a = [System.IO.Path]::GetFullPath($Left).TrimEnd('\')
        $b = [System.IO.Path]::GetFullPath($Right).TrimEnd('\')
    }
    catch {
        return $false
    }
    return [string]::Equals($a, $b, [System.StringComparison]::OrdinalIgnoreCase)
}

function Read-PoIncludeFile {
    # Names a project's include.DBF lists, in order (see the header for the two formats).
    param([string]$LiteralPath)
    if (-not (Test-Path -LiteralPath $LiteralPath -PathType Leaf)) { return , @() }
    $bytes = [System.IO.File]::ReadAllBytes($LiteralPath)
    if (Test-DbfTable -Bytes $bytes) { return , (Get-DbfColumn -Bytes $bytes -Field 'NAME') }
    $encoding, $bomLength = Get-IniFileEncoding -Bytes $bytes
    $names = New-Object -TypeName System.Collections.ArrayList
    foreach ($line in [regex]::Split($encoding.GetString($bytes, $bomLength, $bytes.Length - $bomLength), "`r`n|`n|`r")) {
        $name = $line.Trim()
        if ($name -and -not $name.StartsWith(';')) { [void]$names.Add($name) }
    }
    return , $names.ToArray()
}

function Test-PoProjectFolder {
    param([string]$LiteralPath)
    return @(Get-ChildItem -LiteralPath $LiteralPath -File -Force | Where-Object { $_.Extension -eq '.dbf' }).Count -gt 0
}

function Get-PoProjectCatalog {
    # lower-case name -> {Name, Path, Includes}, sorted by name (see the header for Source).
    param($Install, [string]$Source = 'folders')
    $user = Get-PoUserFolder -Install $Install
    $found = [ordered]@{}
    if ($Source -eq 'graphics_builder') {
        $listing = Get-GraphicsBuilderCatalog
        foreach ($name in $listing.Keys) { $found[[string]$name] = @($listing[$name]) }
    }
    elseif (Test-Path -LiteralPath $user -PathType Container) {
        foreach ($folder in Get-ChildItem -LiteralPath $user -Directory -Force) {
            $excluded = @($PoProjectFolderExclusions | Where-Object { $folder.Name -like $_ }).Count -gt 0
            if ($excluded -or -not (Test-PoProjectFolder -LiteralPath $folder.FullName)) { continue }
            $found[$folder.Name] = Read-PoIncludeFile -LiteralPath "$($folder.FullName)\$PoIncludeFile"
        }
    }
    $names = [string[]]@($found.Keys)
    [System.Array]::Sort($names, [System.StringComparer]::OrdinalIgnoreCase)
    $catalog = [ordered]@{}
    foreach ($name in $names) {
        $catalog[$name.ToLowerInvariant()] = [pscustomobject]@{ Name = $name; Path = "$user\$name"; Includes = @($found[$name]) }
    }
    return $catalog
}

function Resolve-PoProject {
    # The catalog entry of a project (any letter case), or a 'not_found' failure.
    param($Catalog, [string]$Name)
    $entry = $Catalog[$Name.ToLowerInvariant()]
    if ($null -eq $entry) {
        throw (New-PoError -Message "project '$Name' does not exist on this server" -Category 'not_found')
    }
    return $entry
}

function Get-PoProjectClosure {
    # The project and everything it includes, transitively, each once, depth first in include
    # order: the set a compile sees.
    param($Catalog, [string]$Name)
    $order = New-Object -TypeName System.Collections.ArrayList
    $seen = @{}
    $pending = New-Object -TypeName System.Collections.ArrayList
    [void]$pending.Add((Resolve-PoProject -Catalog $Catalog -Name $Name).Name)
    while ($pending.Count -gt 0) {
        $current = [string]$pending[0]
        $pending.RemoveAt(0)
        if ($seen.ContainsKey($current.ToLowerInvariant())) { continue }
        $seen[$current.ToLowerInvariant()] = $true
        [void]$order.Add($current)
        $entry = $Catalog[$current.ToLowerInvariant()]
        if ($null -eq $entry) { continue }
        $children = @(foreach ($include in @($entry.Includes)) {
                $known = $Catalog[([string]$include).ToLowerInvariant()]
                if ($null -ne $known) { $known.Name } else { [string]$include }
            })
        if ($children.Count) { $pending.InsertRange(0, $children) }
    }
    return , $order.ToArray()
}

function Get-PoRunProject {
    # The catalog entry whose folder [CtEdit]Run names, or $null.
    param($Install, $Catalog)
    foreach ($entry in $Catalog.Values) {
        if (Test-PoSamePath -Left $entry.Path -Right $Install.RunPath) { return $entry }
    }
    return $null
}

function Resolve-PoTargetProject {
    # The project an operation acts on: the one named, else the current one ([CtEdit]Run).
    param($Install, $Catalog, [string]$Name)
    if ($Name) { return Resolve-PoProject -Catalog $Catalog -Name $Name }
    $entry = Get-PoRunProject -Install $Install -Catalog $Catalog
    if ($null -eq $entry) {
        throw (New-PoError -Message "[CtEdit]Run ('$($Install.RunPath)') names no project on this server; name the project with the 'project' option" -Category 'not_found')
    }
    return $entry
}

function Get-PoSetFingerprint {
    # The set fingerprint of a closure; Fingerprints caches project fingerprints by lower-case
    # name. A name that is not a project counts as an empty project, as in the reference.
    param($Catalog, [string[]]$Names, [hashtable]$Fingerprints)
    $set = @{}
    foreach ($name in $Names) {
        $key = $name.ToLowerInvariant()
        if (-not $Fingerprints.ContainsKey($key)) {
            $entry = $Catalog[$key]
            if ($null -eq $entry) { $Fingerprints[$key] = Get-TextSha256Hex -Text '' }
            else { $Fingerprints[$key] = Get-ProjectFingerprint -Folder $entry.Path }
        }
        $set[$name] = $Fingerprints[$key]
    }
    return Get-ProjectSetFingerprint -Fingerprints $set
}
