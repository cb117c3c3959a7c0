# scada.redundancy:library ini
# Windows ini files (citect.ini) read and edited the way GetPrivateProfileString sees them, as
# twin/scada_twin/power_operation/ini.py models it: section and key names are
# case-insensitive; the first occurrence of a key wins; the value is the text after the first
# '=', trimmed (a ';' after a value belongs to the value); lines starting with ';' or '#' are
# comments. Editing keeps every other line as it is (order, comments, blank lines, the spelling
# of existing keys), the line endings, and the file's encoding: a BOM (UTF-8, UTF-16) stays;
# a file without a BOM is rewritten as UTF-8 when it holds valid non-ASCII UTF-8, otherwise in
# the ANSI code page, which is what the Windows profile API reads.

function ConvertTo-IniLine {
    # One parsed line: Text (as in the file), Section (lower-case owner), Header, Key, Value.
    param([string]$Raw, [string]$Section)
    $stripped = $Raw.Trim()
    if ($stripped.StartsWith('[') -and $stripped.Contains(']')) {
        $name = $stripped.Substring(1, $stripped.IndexOf(']') - 1).Trim()
        return [pscustomobject]@{ Text = $Raw; Section = $name.ToLowerInvariant(); Header = $name; Key = $null; Value = '' }
    }
    if ($stripped.Length -gt 0 -and ';#'.IndexOf($stripped[0]) -lt 0 -and $stripped.Contains('=')) {
        $at = $stripped.IndexOf('=')
        return [pscustomobject]@{
            Text = $Raw; Section = $Section; Header = $null
            Key = $stripped.Substring(0, $at).Trim(); Value = $stripped.Substring($at + 1).Trim()
        }
    }
    return [pscustomobject]@{ Text = $Raw; Section = $Section; Header = $null; Key = $null; Value = '' }
}

function Get-IniFileEncoding {
    # (encoding, BOM length) of an ini file's bytes; see the header for the rules.
    param([byte[]]$Bytes)
    if ($Bytes.Length -ge 3 -and $Bytes[0] -eq 0xEF -and $Bytes[1] -eq 0xBB -and $Bytes[2] -eq 0xBF) {
        return @((New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $true), 3)
    }
    if ($Bytes.Length -ge 2 -and $Bytes[0] -eq 0xFF -and $Bytes[1] -eq 0xFE) {
        return @((New-Object -TypeName System.Text.UnicodeEncoding -ArgumentList $false, $true), 2)
    }
    if ($Bytes.Length -ge 2 -and $Bytes[0] -eq 0xFE -and $Bytes[1] -eq 0xFF) {
        return @((New-Object -TypeName System.Text.UnicodeEncoding -ArgumentList $true, $true), 2)
    }
    $ascii = $true
    foreach ($b in $Bytes) { if ($b -ge 0x80) { $ascii = $false; break } }
    if (-not $ascii) {
        $strict = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false, $true
        try {
            [void]$strict.GetString($Bytes)
            return @((New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false), 0)
        }
        catch {
            $null = $_  # not UTF-8: the ANSI code page below
        }
    }
    return @([System.Text.Encoding]::Default, 0)
}

function Read-IniDocument {
    # The parsed file: Lines (ArrayList of lines), Encoding, Bom, Newline, TrailingNewline.
    param([string]$LiteralPath)
    $bytes = [System.IO.File]::ReadAllBytes($LiteralPath)
    $encoding, $bomLength = Get-IniFileEncoding -Bytes $bytes
    $text = $encoding.GetString($bytes, $bomLength, $bytes.Length - $bomLength)
    $newline = "`n"
    if ($text.Contains("`r`n") -or -not $text.Contains("`n")) { $newline = "`r`n" }
    $raw = [regex]::Split($text, "`r`n|`n|`r")
    $trailing = ($text.Length -eq 0) -or $text.EndsWith("`n") -or $text.EndsWith("`r")
    $count = $raw.Length
    if ($trailing) { $count -= 1 }
    $lines = New-Object -TypeName System.Collections.ArrayList
    $section = ''
    for ($i = 0; $i -lt $count; $i++) {
        $line = ConvertTo-IniLine -Raw $raw[$i] -Section $section
        [void]$lines.Add($line)
        $section = $line.Section
    }
    return [pscustomobject]@{
        Path = $LiteralPath; Lines = $lines; Encoding = $encoding; Bom = ($bomLength -gt 0)
        Newline = $newline; TrailingNewline = $trailing
    }
}

function Find-IniLine {
    # The first 'Key=Value' line of a key in a section, or $null.
    param($Document, [string]$Section, [string]$Key)
    $sectionKey = $Section.ToLowerInvariant()
    foreach ($line in $Document.Lines) {
        if ($null -ne $line.Key -and $line.Section -eq $sectionKey -and
            [string]::Equals($line.Key, $Key, [System.StringComparison]::OrdinalIgnoreCase)) {
            return $line
        }
    }
    return $null
}

function Get-IniValue {
    # The value of a key (first occurrence), or $null when the key is absent.
    param($Document, [string]$Section, [string]$Key)
    $line = Find-IniLine -Document $Document -Section $Section -Key $Key
    if ($null -eq $line) { return $null }
    return $line.Value
}

function Get-IniSection {
    # Key -> value of a section, first occurrence of each key, in file order.
    param($Document, [string]$Section)
    $sectionKey = $Section.ToLowerInvariant()
    $found = [ordered]@{}
    foreach ($line in $Document.Lines) {
        if ($null -ne $line.Key -and $line.Section -eq $sectionKey -and -not $found.Contains($line.Key)) {
            $found[$line.Key] = $line.Value
        }
    }
    return $found
}

function Set-IniValue {
    # Set a key in place when present, else after the section's last key (section created at
    # the end when missing). Returns $true when the document changed.
    param($Document, [string]$Section, [string]$Key, [string]$Value)
    $line = Find-IniLine -Document $Document -Section $Section -Key $Key
    if ($null -ne $line) {
        if ([string]::Equals($line.Value, $Value, [System.StringComparison]::Ordinal)) { return $false }
        $line.Value = $Value
        $line.Text = "$($line.Key)=$Value"
        return $true
    }
    $sectionKey = $Section.ToLowerInvariant()
    $lines = $Document.Lines
    $header = -1
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($null -ne $lines[$i].Header -and $lines[$i].Section -eq $sectionKey) { $header = $i; break }
    }
    $new = [pscustomobject]@{ Text = "$Key=$Value"; Section = $sectionKey; Header = $null; Key = $Key; Value = $Value }
    if ($header -lt 0) {
        if ($lines.Count -gt 0 -and $lines[$lines.Count - 1].Text.Trim().Length -gt 0) {
            [void]$lines.Add([pscustomobject]@{ Text = ''; Section = $lines[$lines.Count - 1].Section; Header = $null; Key = $null; Value = '' })
        }
        [void]$lines.Add([pscustomobject]@{ Text = "[$Section]"; Section = $sectionKey; Header = $Section; Key = $null; Value = '' })
        [void]$lines.Add($new)
        return $true
    }
    $point = $header + 1
    for ($i = $header + 1; $i -lt $lines.Count; $i++) {
        if ($null -ne $lines[$i].Header) { break }
        if ($null -ne $lines[$i].Key) { $point = $i + 1 }
    }
    $lines.Insert($point, $new)
    return $true
}

function Remove-IniValue {
    # Remove every occurrence of a key in a section. Returns $true when there was one.
    param($Document, [string]$Section, [string]$Key)
    $sectionKey = $Section.ToLowerInvariant()
    $removed = $false
    for ($i = $Document.Lines.Count - 1; $i -ge 0; $i--) {
        $line = $Document.Lines[$i]
        if ($null -ne $line.Key -and $line.Section -eq $sectionKey -and
            [string]::Equals($line.Key, $Key, [System.StringComparison]::OrdinalIgnoreCase)) {
            $Document.Lines.RemoveAt($i)
            $removed = $true
        }
    }
    return $removed
}

function Write-IniDocument {
    # Write the document back in its own encoding and line endings. The new content goes to a
    # temporary file beside the original first, which then replaces it, so a failure half-way
    # never leaves a truncated citect.ini.
    param($Document, [string]$LiteralPath = $Document.Path)
    $text = (@($Document.Lines | ForEach-Object { $_.Text }) -join $Document.Newline)
    if ($Document.TrailingNewline -and $Document.Lines.Count -gt 0) { $text += $Document.Newline }
    $body = $Document.Encoding.GetBytes($text)
    $preamble = [byte[]]@()
    if ($Document.Bom) { $preamble = $Document.Encoding.GetPreamble() }
    $bytes = New-Object -TypeName 'byte[]' -ArgumentList ($preamble.Length + $body.Length)
    [System.Array]::Copy($preamble, 0, $bytes, 0, $preamble.Length)
    [System.Array]::Copy($body, 0, $bytes, $preamble.Length, $body.Length)
    $temporary = "$LiteralPath.scada-redundancy.tmp"
    [System.IO.File]::WriteAllBytes($temporary, $bytes)
    try {
        [System.IO.File]::Replace($temporary, $LiteralPath, [NullString]::Value)
    }
    catch {
        [System.IO.File]::WriteAllBytes($LiteralPath, $bytes)
        Remove-Item -LiteralPath $temporary -Force -ErrorAction SilentlyContinue
    }
}
