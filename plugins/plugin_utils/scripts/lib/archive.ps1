# scada.redundancy:library archive
# The project backup archive on the host: a .ctz-compatible zip with one '<Project>/...'
# folder per saved project, 'Config/...' for configuration files, and the manifest
# 'scada-redundancy-manifest.json' listing every other member with its size and SHA-256.
# The format is defined once in plugins/plugin_utils/_archive.py; this library mirrors its
# checks on the host so an archive is proved intact, and free of names that could escape the
# folder it is unpacked into (zip-slip), before anything is restored from it.
# Requires the fingerprint library (Test-FingerprintVolatile, Get-TextSha256Hex) first.

$ArchiveManifestName = 'scada-redundancy-manifest.json'
$ArchiveManifestFormat = 'scada.redundancy/project-backup'
$ArchiveManifestVersion = 1
$ArchiveConfigFolder = 'Config'
# Projects a restore never overwrites, whatever is asked (compared case-insensitively).
$ArchiveProtectedProjects = @('PLS_Include')
$ArchiveBufferSize = 1048576

function Initialize-ArchiveSupport {
    # ZipArchive lives in these assemblies; Windows PowerShell 5.1 does not load them itself.
    # JavaScriptSerializer (System.Web.Extensions) reads and writes manifests of any size.
    Add-Type -AssemblyName 'System.IO.Compression', 'System.IO.Compression.FileSystem', 'System.Web.Extensions'
}

function New-ArchiveError {
    # An exception the bootstrap reports with its category (default: the archive is unusable).
    param([string]$Message, [string]$Category = 'archive_invalid')
    $err = New-Object -TypeName System.IO.InvalidDataException -ArgumentList $Message
    $err.Data['category'] = $Category
    return $err
}

function Test-ArchiveProtectedProject {
    param([string]$Name)
    foreach ($protected in $ArchiveProtectedProjects) {
        if ([string]::Equals($Name, $protected, [System.StringComparison]::OrdinalIgnoreCase)) { return $true }
    }
    return $false
}

function Get-ArchiveMemberNameProblem {
    # Why a member name may not be extracted on Windows, or $null when it is safe: absolute
    # paths, drive letters and any ':' (alternate data streams), '.', '..' and empty
    # components, control characters, device names, components ending in '.' or ' '.
    param([string]$Name)
    if ([string]::IsNullOrEmpty($Name)) { return 'empty member name' }
    foreach ($c in $Name.ToCharArray()) {
        if ([int]$c -lt 32) { return 'control character in member name' }
    }
    if ($Name[0] -eq [char]'/' -or $Name[0] -eq [char]'\') { return 'absolute path' }
    if ($Name.Contains(':')) { return "drive letter or ':' in member name" }
    foreach ($part in ($Name.TrimEnd('/') -split '[/\\]')) {
        if ($part -eq '' -or $part -eq '.' -or $part -eq '..') {
            $shown = $part
            if ($part -eq '') { $shown = '(empty)' }
            return "'$shown' path component"
        }
        if ($part.EndsWith('.') -or $part.EndsWith(' ')) { return 'path component ending in a dot or a space' }
        if ($part -match '^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$') { return "reserved device name '$part'" }
        if ($part.IndexOfAny([char[]]'<>"|?*') -ge 0) { return 'character Windows refuses in a file name' }
    }
    return $null
}

function Get-ArchiveProjectNameProblem {
    # Why a name cannot be a project folder name, or $null.
    param([object]$Name)
    if (-not ($Name -is [string]) -or [string]::IsNullOrWhiteSpace($Name)) { return 'empty project name' }
    if ($Name.IndexOfAny([char[]]'<>:"|?*\/') -ge 0 -or $Name -eq '.' -or $Name -eq '..' -or
        $Name.EndsWith('.') -or $Name.EndsWith(' ')) {
        return "project name '$Name' is not a plain folder name"
    }
    foreach ($c in $Name.ToCharArray()) {
        if ([int]$c -lt 32) { return "project name '$Name' is not a plain folder name" }
    }
    return $null
}

function ConvertFrom-ArchiveJson {
    # JSON text to Dictionary[string,object] and object[]; JavaScriptSerializer with no length
    # limit, so a manifest of many thousand files is read whole.
    param([string]$Text)
    $serializer = New-Object -TypeName System.Web.Script.Serialization.JavaScriptSerializer
    $serializer.MaxJsonLength = [int]::MaxValue
    $serializer.RecursionLimit = 16
    return , $serializer.DeserializeObject($Text)
}

function ConvertTo-ArchiveJson {
    # ConvertTo-Json unwraps PowerShell's own objects (which JavaScriptSerializer would not).
    param([object]$Value)
    return (ConvertTo-Json -InputObject $Value -Depth 10 -Compress)
}

function ConvertTo-ArchiveHex {
    param([byte[]]$Bytes)
    return ([System.BitConverter]::ToString($Bytes) -replace '-', '').ToLowerInvariant()
}

function Copy-ArchiveStream {
    # Copy $From to $To (or only read it when $To is $null) in bounded blocks, hashing what
    # passes, up to $Limit bytes (-1: to the end); returns @{ Sha256; Length }. Nothing is
    # held beyond one block.
    param([System.IO.Stream]$From, [System.IO.Stream]$To, [int64]$Limit = -1)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try {
        $buffer = New-Object -TypeName 'byte[]' -ArgumentList $ArchiveBufferSize
        [int64]$length = 0
        while ($true) {
            $want = $buffer.Length
            if ($Limit -ge 0) { $want = [int][System.Math]::Min([int64]$want, $Limit - $length) }
            if ($want -le 0) { break }
            $read = $From.Read($buffer, 0, $want)
            if ($read -le 0) { break }
            [void]$sha.TransformBlock($buffer, 0, $read, $null, 0)
            if ($null -ne $To) { $To.Write($buffer, 0, $read) }
            $length += $read
        }
        [void]$sha.TransformFinalBlock($buffer, 0, 0)
        return @{ Sha256 = (ConvertTo-ArchiveHex -Bytes $sha.Hash); Length = $length }
    }
    finally {
        $sha.Dispose()
    }
}

function Get-ArchiveFileSha256 {
    # SHA-256 and length of a file, streamed.
    param([string]$LiteralPath)
    $stream = [System.IO.File]::OpenRead($LiteralPath)
    try { return (Copy-ArchiveStream -From $stream -To $null) }
    finally { $stream.Dispose() }
}

function Get-ArchiveFingerprint {
    # Project fingerprint from entries with Relative ('\' or '/' separated) and Sha256: the
    # fingerprint library's algorithm over hashes already known (no file is read twice).
    param([object[]]$Entries)
    $byKey = New-Object -TypeName 'System.Collections.Generic.SortedDictionary[string,string]' -ArgumentList ([System.StringComparer]::Ordinal)
    foreach ($entry in $Entries) {
        $relative = ([string]$entry.Relative).Replace('/', '\')
        if (Test-FingerprintVolatile -Name ($relative.Split('\')[-1])) { continue }
        $byKey[$relative.ToLowerInvariant()] = [string]$entry.Sha256
    }
    $builder = New-Object -TypeName System.Text.StringBuilder
    foreach ($pair in $byKey.GetEnumerator()) {
        [void]$builder.Append($pair.Value).Append('  ').Append($pair.Key).Append("`n")
    }
    return Get-TextSha256Hex -Text $builder.ToString()
}

function Test-ArchiveInteger {
    param([object]$Value)
    return (($Value -is [int]) -or ($Value -is [long])) -and ([int64]$Value -ge 0)
}

function Assert-ArchiveManifest {
    # Check a decoded manifest against the format (see _archive.py.parse_manifest): version,
    # names, safe '/'-separated file paths inside listed project folders or Config/, no
    # case-insensitive duplicates, counts, and each project's fingerprint recomputed from
    # its files' hashes. Returns the manifest; throws an archive_invalid error otherwise.
    param([object]$Manifest)
    if (-not ($Manifest -is [System.Collections.IDictionary])) { throw (New-ArchiveError 'the manifest must be a JSON object') }
    if ($Manifest['format'] -ne $ArchiveManifestFormat) { throw (New-ArchiveError "manifest format is not '$ArchiveManifestFormat'") }
    if (-not ($Manifest['version'] -is [int]) -or $Manifest['version'] -ne $ArchiveManifestVersion) {
        throw (New-ArchiveError "manifest version $($Manifest['version']) is not supported (this collection reads version $ArchiveManifestVersion)")
    }
    foreach ($key in @('project', 'includes', 'projects', 'files', 'options', 'created_utc')) {
        if (-not $Manifest.ContainsKey($key)) { throw (New-ArchiveError "the manifest has no '$key'") }
    }
    $problem = Get-ArchiveProjectNameProblem -Name $Manifest['project']
    if ($problem) { throw (New-ArchiveError "manifest project: $problem") }
    foreach ($name in @($Manifest['includes'])) {
        $problem = Get-ArchiveProjectNameProblem -Name $name
        if ($problem) { throw (New-ArchiveError "manifest includes: $problem") }
    }
    $projects = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($entry in @($Manifest['projects'])) {
        if (-not ($entry -is [System.Collections.IDictionary])) { throw (New-ArchiveError 'a projects entry is not an object') }
        $problem = Get-ArchiveProjectNameProblem -Name $entry['name']
        if ($problem) { throw (New-ArchiveError "projects entry: $problem") }
        if ($projects.ContainsKey($entry['name'])) { throw (New-ArchiveError 'manifest lists a project twice') }
        if (-not (($entry['fingerprint'] -is [string]) -and ($entry['fingerprint'] -cmatch '^[0-9a-f]{64}$'))) {
            throw (New-ArchiveError "project '$($entry['name'])' has no valid fingerprint")
        }
        if (-not ((Test-ArchiveInteger $entry['files']) -and (Test-ArchiveInteger $entry['bytes']))) {
            throw (New-ArchiveError "project '$($entry['name'])': sizes and counts must be non-negative integers")
        }
        $projects[$entry['name']] = @{ Entry = $entry; Files = New-Object -TypeName System.Collections.ArrayList; Bytes = [int64]0 }
    }
    if (-not $projects.ContainsKey($Manifest['project'])) {
        throw (New-ArchiveError "manifest does not list the backed-up project '$($Manifest['project'])' among its projects")
    }
    $seen = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    [void]$seen.Add($ArchiveManifestName)
    foreach ($file in @($Manifest['files'])) {
        Assert-ArchiveFileEntry -File $file -Projects $projects -Seen $seen
    }
    foreach ($name in @($projects.Keys)) {
        $info = $projects[$name]
        if ($info.Files.Count -ne [int64]$info.Entry['files'] -or $info.Bytes -ne [int64]$info.Entry['bytes']) {
            throw (New-ArchiveError "manifest counts for project '$name' do not match its files")
        }
        if ((Get-ArchiveFingerprint -Entries $info.Files.ToArray()) -ne $info.Entry['fingerprint']) {
            throw (New-ArchiveError "manifest fingerprint of project '$name' does not match its files")
        }
    }
    if (-not (($Manifest['created_utc'] -is [string]) -and ($Manifest['created_utc'] -match '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$'))) {
        throw (New-ArchiveError 'manifest created_utc must look like 2026-01-31T12:00:00Z')
    }
    $options = $Manifest['options']
    foreach ($key in @('include_projects', 'subdirectories', 'configuration_files')) {
        if (-not (($options -is [System.Collections.IDictionary]) -and ($options[$key] -is [bool]))) {
            throw (New-ArchiveError 'manifest options must say include_projects, subdirectories and configuration_files as true or false')
        }
    }
    return , $Manifest
}

function Assert-ArchiveFileEntry {
    # One 'files' entry of a manifest; records it under its project (for the fingerprint).
    param([object]$File, [object]$Projects, [object]$Seen)
    if (-not ($File -is [System.Collections.IDictionary])) { throw (New-ArchiveError 'a files entry is not an object') }
    $path = $File['path']
    if (-not ($path -is [string]) -or $path.Contains('\')) { throw (New-ArchiveError "file path '$path' must be text with '/' separators") }
    $problem = Get-ArchiveMemberNameProblem -Name $path
    if ((-not $problem) -and ((-not $path.Contains('/')) -or $path.EndsWith('/'))) { $problem = 'not a file below a folder' }
    if ($problem) { throw (New-ArchiveError "file path '$path' is not allowed: $problem") }
    if (-not $Seen.Add($path)) { throw (New-ArchiveError "duplicate member name '$path' (names are case-insensitive on Windows)") }
    $top = $path.Substring(0, $path.IndexOf('/'))
    $kind = $File['kind']
    if ($kind -ceq 'project') {
        if ((-not $Projects.ContainsKey($top)) -or (-not ($File['project'] -ceq $top)) -or
            (-not ([string]$Projects[$top].Entry['name'] -ceq $top))) {
            throw (New-ArchiveError "file '$path' is not inside a listed project's folder")
        }
    }
    elseif ($kind -ceq 'ini' -or $kind -ceq 'config') {
        if ($top -cne $ArchiveConfigFolder -or $null -ne $File['project'] -or $path.IndexOf('/') -ne $path.LastIndexOf('/')) {
            throw (New-ArchiveError "configuration file '$path' must be directly in $ArchiveConfigFolder/")
        }
    }
    else {
        throw (New-ArchiveError "file '$path' has unknown kind '$kind'")
    }
    if (-not (($File['sha256'] -is [string]) -and ($File['sha256'] -cmatch '^[0-9a-f]{64}$'))) {
        throw (New-ArchiveError "file '$path' has no valid sha256")
    }
    if (-not (Test-ArchiveInteger $File['size'])) { throw (New-ArchiveError "$($path): sizes and counts must be non-negative integers") }
    if ($kind -ceq 'project') {
        $info = $Projects[$top]
        [void]$info.Files.Add(@{ Relative = $path.Substring($top.Length + 1); Sha256 = $File['sha256'] })
        $info.Bytes += [int64]$File['size']
    }
}

function Get-ArchiveMembers {
    # The file members of an open ZipArchive by name, after the name checks: unsafe names
    # and case-insensitive duplicates are refused; directory entries are skipped.
    param([System.IO.Compression.ZipArchive]$Archive)
    $members = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    $names = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($entry in $Archive.Entries) {
        $problem = Get-ArchiveMemberNameProblem -Name $entry.FullName
        if ($problem) { throw (New-ArchiveError "unsafe member name '$($entry.FullName)': $problem") }
        if (-not $names.Add($entry.FullName.Replace('\', '/').TrimEnd('/'))) {
            throw (New-ArchiveError "duplicate member name '$($entry.FullName)' (names are case-insensitive on Windows)")
        }
        if ($entry.FullName.EndsWith('/') -and $entry.Length -eq 0) { continue }
        $members[$entry.FullName] = $entry
    }
    return , $members
}

function Read-ArchiveManifest {
    # The checked manifest of an open ZipArchive (member content not yet verified).
    param([System.IO.Compression.ZipArchive]$Archive, [object]$Members)
    if (-not $Members.ContainsKey($ArchiveManifestName)) {
        throw (New-ArchiveError "the archive has no $ArchiveManifestName`: not a scada.redundancy backup")
    }
    $stream = $Members[$ArchiveManifestName].Open()
    try {
        $reader = New-Object -TypeName System.IO.StreamReader -ArgumentList $stream, (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false)
        $text = $reader.ReadToEnd()
    }
    finally {
        $stream.Dispose()
    }
    try { $manifest = ConvertFrom-ArchiveJson -Text $text }
    catch { throw (New-ArchiveError "the manifest is not valid JSON: $($_.Exception.Message)") }
    return , (Assert-ArchiveManifest -Manifest $manifest)
}

function Open-ArchiveRead {
    param([string]$LiteralPath)
    if (-not (Test-Path -LiteralPath $LiteralPath -PathType Leaf)) {
        throw (New-ArchiveError "archive '$LiteralPath' does not exist" 'not_found')
    }
    try { return [System.IO.Compression.ZipFile]::OpenRead($LiteralPath) }
    catch { throw (New-ArchiveError "'$LiteralPath' is not a readable zip archive: $($_.Exception.Message)") }
}

function Test-ArchiveIntegrity {
    # Prove an archive intact: safe names, members equal to the manifest's files, every
    # member's size and SHA-256 as listed. Returns the manifest; throws archive_invalid.
    param([string]$LiteralPath)
    $archive = Open-ArchiveRead -LiteralPath $LiteralPath
    try {
        $members = Get-ArchiveMembers -Archive $archive
        $manifest = Read-ArchiveManifest -Archive $archive -Members $members
        $listed = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($file in @($manifest['files'])) {
            [void]$listed.Add($file['path'])
            if (-not $members.ContainsKey($file['path'])) { throw (New-ArchiveError "archive members and manifest differ: '$($file['path'])' is absent") }
            $entry = $members[$file['path']]
            if ($entry.FullName -cne $file['path']) { throw (New-ArchiveError "archive members and manifest differ: '$($entry.FullName)' is listed as '$($file['path'])'") }
            $stream = $entry.Open()
            try { $found = Copy-ArchiveStream -From $stream -To $null }
            catch { throw (New-ArchiveError "member '$($file['path'])' cannot be read: $($_.Exception.Message)") }
            finally { $stream.Dispose() }
            if ($found.Length -ne [int64]$file['size']) { throw (New-ArchiveError "member '$($file['path'])' is $($found.Length) bytes, the manifest says $($file['size'])") }
            if ($found.Sha256 -ne $file['sha256']) { throw (New-ArchiveError "member '$($file['path'])' does not match its sha256 in the manifest") }
        }
        foreach ($name in $members.Keys) {
            if ($name -ne $ArchiveManifestName -and -not $listed.Contains($name)) {
                throw (New-ArchiveError "archive members and manifest differ: '$name' is not listed")
            }
        }
        return , $manifest
    }
    finally {
        $archive.Dispose()
    }
}

function Get-ArchiveStagingPath {
    # Where a checked member name lands below $Root; refuses anything that would leave it
    # (a second guard behind the name checks).
    param([string]$Root, [string]$Name)
    $rootFull = [System.IO.Path]::GetFullPath($Root).TrimEnd('\') + '\'
    $target = [System.IO.Path]::GetFullPath((Join-Path -Path $rootFull -ChildPath $Name.Replace('/', '\')))
    if (-not $target.StartsWith($rootFull, [System.StringComparison]::OrdinalIgnoreCase)) {
        throw (New-ArchiveError "member '$Name' would be written outside '$Root'")
    }
    return $target
}

function Assert-ArchivePath {
    # A full local path ('D:\...'), or with -AllowUnc a share path ('\\server\share\...');
    # anything relative or with wildcards is refused before it reaches a file API, and so is
    # a folder name of only dots and spaces between '\' or '/' ('..', '.. ', '...'): Windows
    # resolves those, so the path would leave the folder it names.
    param([string]$Path, [string]$What, [switch]$AllowUnc)
    $local = $Path -match '^[A-Za-z]:\\[^:*?"<>|]*$'
    $unc = $AllowUnc -and ($Path -match '^\\\\[^\\/:*?"<>|]+\\[^\\/:*?"<>|]+\\[^:*?"<>|]+$')
    if (-not ($local -or $unc) -or $Path -match '(^|[\\/])[. ]*\.[. ]*([\\/]|$)') {
        $err = New-Object -TypeName System.ArgumentException -ArgumentList "$What must be a full path such as D:\Backups\file.ctz, not '$Path'"
        $err.Data['category'] = 'invalid_parameter'
        throw $err
    }
}

function New-ArchiveIoError {
    # Wrap a file-system failure with a category: disk_full for ERROR_DISK_FULL (112) and
    # ERROR_HANDLE_DISK_FULL (39) anywhere in the exception chain, access_denied, io_error.
    param([string]$Message, [System.Exception]$Exception)
    $category = 'io_error'
    $current = $Exception
    while ($null -ne $current) {
        $code = $current.HResult -band 0xFFFF
        if (($current -is [System.IO.IOException]) -and ($code -eq 112 -or $code -eq 39)) { $category = 'disk_full'; break }
        if ($current -is [System.UnauthorizedAccessException]) { $category = 'access_denied'; break }
        $current = $current.InnerException
    }
    $detail = $Exception
    while ($null -ne $detail.InnerException) { $detail = $detail.InnerException }
    $err = New-Object -TypeName System.IO.IOException -ArgumentList "$Message`: $($detail.Message)"
    $err.Data['category'] = $category
    return $err
}
