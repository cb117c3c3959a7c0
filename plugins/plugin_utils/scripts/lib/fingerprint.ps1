# scada.redundancy:library fingerprint
# Content fingerprints of Power Operation projects: equal fingerprints mean equal sources, so
# two servers (or a server and a backup) can be compared without copying anything.
# The algorithm is fixed byte for byte by twin/scada_twin/power_operation/fingerprint.py:
#   project: every file below the folder except volatile names (compile outputs, logs, locks,
#     temporary files); relative paths with '\', lower-cased (ToLowerInvariant), sorted by
#     ordinal comparison; one line '<sha256 hex>  <lower-cased path>' + LF per file; the
#     fingerprint is the SHA-256 (lower-case hex) of the UTF-8 bytes of all lines.
#   set: the same over lines '<project fingerprint>  <lower-cased project name>' + LF, sorted
#     by ordinal comparison of the lower-cased names.
# Ordinal sorting matters: Sort-Object compares culture-aware and would order '_' and '-'
# differently from the reference, so the scripts sort with [StringComparer]::Ordinal.

# File-name patterns (PowerShell -like, case-insensitive) left out of every fingerprint.
$FingerprintVolatilePatterns = @('*.rdb', '*.log', '*.lck', '*.tmp', '~*')

function Test-FingerprintVolatile {
    # True when a file name (last path component) is a compile output, log, lock or temp file.
    param([string]$Name)
    foreach ($pattern in $FingerprintVolatilePatterns) {
        if ($Name -like $pattern) { return $true }
    }
    return $false
}

function Get-Sha256Hex {
    # Lower-case hex SHA-256 of a file, streamed (projects hold large graphics files).
    param([string]$LiteralPath)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $stream = [System.IO.File]::OpenRead($LiteralPath)
    try {
        $bytes = $sha.ComputeHash($stream)
    }
    finally {
        $stream.Dispose()
        $sha.Dispose()
    }
    return ([System.BitConverter]::ToString($bytes) -replace '-', '').ToLowerInvariant()
}

function Get-TextSha256Hex {
    # Lower-case hex SHA-256 of the UTF-8 bytes of a text.
    param([string]$Text)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try {
        $bytes = $sha.ComputeHash((New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetBytes($Text))
    }
    finally {
        $sha.Dispose()
    }
    return ([System.BitConverter]::ToString($bytes) -replace '-', '').ToLowerInvariant()
}

function Get-FingerprintEntries {
    # The files a fingerprint covers, in fingerprint order: objects with Path (full path),
    # Relative (as found, '\' separators), Key (lower-cased relative path) and Size.
    # Archives reuse this list so a backup holds exactly what its fingerprint describes.
    param([string]$Folder, [switch]$IncludeVolatile)
    if (-not (Test-Path -LiteralPath $Folder -PathType Container)) {
        $err = New-Object -TypeName System.IO.DirectoryNotFoundException -ArgumentList "project folder '$Folder' does not exist"
        $err.Data['category'] = 'not_found'
        throw $err
    }
    $root = (Get-Item -LiteralPath $Folder).FullName.TrimEnd('\')
    $byKey = New-Object -TypeName 'System.Collections.Generic.SortedDictionary[string,object]' -ArgumentList ([System.StringComparer]::Ordinal)
    foreach ($file in Get-ChildItem -LiteralPath $root -Recurse -File -Force) {
        if ((-not $IncludeVolatile) -and (Test-FingerprintVolatile -Name $file.Name)) { continue }
        $relative = $file.FullName.Substring($root.Length).TrimStart('\')
        $key = $relative.ToLowerInvariant()
        $byKey[$key] = New-Object -TypeName PSObject -Property ([ordered]@{
                Path = $file.FullName; Relative = $relative; Key = $key; Size = [int64]$file.Length })
    }
    return , @($byKey.Values)
}

function Get-ProjectFingerprint {
    # The fingerprint of one project folder (see the header for the algorithm).
    param([string]$Folder)
    $builder = New-Object -TypeName System.Text.StringBuilder
    foreach ($entry in (Get-FingerprintEntries -Folder $Folder)) {
        [void]$builder.Append((Get-Sha256Hex -LiteralPath $entry.Path)).Append('  ').Append($entry.Key).Append("`n")
    }
    return Get-TextSha256Hex -Text $builder.ToString()
}

function Get-ProjectSetFingerprint {
    # The fingerprint of several projects together, from a hashtable {name: project fingerprint}.
    param([System.Collections.IDictionary]$Fingerprints)
    $byName = New-Object -TypeName 'System.Collections.Generic.SortedDictionary[string,string]' -ArgumentList ([System.StringComparer]::Ordinal)
    foreach ($name in $Fingerprints.Keys) {
        $byName[([string]$name).ToLowerInvariant()] = [string]$Fingerprints[$name]
    }
    $builder = New-Object -TypeName System.Text.StringBuilder
    foreach ($pair in $byName.GetEnumerator()) {
        [void]$builder.Append($pair.Value).Append('  ').Append($pair.Key).Append("`n")
    }
    return Get-TextSha256Hex -Text $builder.ToString()
}
