# scada.redundancy:library dbf
# A minimal reader of dBASE III tables (.DBF), the format Plant SCADA keeps its project tables
# in: a 32-byte header (record count at 4, header length at 8, record length at 10), 32-byte
# field descriptors up to a 0x0D byte, then fixed-length records, each starting with a
# deletion flag ('*' deleted). Character fields are read in the ANSI code page and trimmed.
# Used for include.DBF and for a compile error table; a file that is not a well-formed table
# is recognised as such (Test-DbfTable), so callers can fall back to a text reading.

function Get-DbfLayout {
    # The table's layout (HeaderLength, RecordLength, Count, Fields) or $null when the bytes
    # are not a consistent dBASE III table.
    param([byte[]]$Bytes)
    if ($null -eq $Bytes -or $Bytes.Length -lt 33) { return $null }
    $count = [System.BitConverter]::ToUInt32($Bytes, 4)
    $headerLength = [int][System.BitConverter]::ToUInt16($Bytes, 8)
    $recordLength = [int][System.BitConverter]::ToUInt16($Bytes, 10)
    if ($headerLength -lt 33 -or $headerLength -gt $Bytes.Length -or $recordLength -lt 1) { return $null }
    $fields = New-Object -TypeName System.Collections.ArrayList
    $offset = 32
    $width = 1
    while ($offset -lt $headerLength -and $Bytes[$offset] -ne 0x0D) {
        if ($offset + 32 -gt $headerLength) { return $null }
        $nameLength = 0
        while ($nameLength -lt 11 -and $Bytes[$offset + $nameLength] -ne 0) { $nameLength++ }
        $name = [System.Text.Encoding]::ASCII.GetString($Bytes, $offset, $nameLength)
        $length = [int]$Bytes[$offset + 16]
        [void]$fields.Add([pscustomobject]@{ Name = $name.ToUpperInvariant(); Type = [char]$Bytes[$offset + 11]; Length = $length })
        $width += $length
        $offset += 32
    }
    if ($offset -ge $headerLength -or $fields.Count -eq 0 -or $width -ne $recordLength) { return $null }
    if ($headerLength + [int64]$count * $recordLength -gt $Bytes.Length) { return $null }
    return [pscustomobject]@{ HeaderLength = $headerLength; RecordLength = $recordLength; Count = [int]$count; Fields = $fields }
}

function Test-DbfTable {
    param([byte[]]$Bytes)
    return $null -ne (Get-DbfLayout -Bytes $Bytes)
}

function Read-DbfRecords {
    # The table's live (not deleted) records, each an ordered dictionary FIELDNAME -> text.
    param([byte[]]$Bytes)
    $layout = Get-DbfLayout -Bytes $Bytes
    if ($null -eq $layout) {
        $err = New-Object -TypeName System.IO.InvalidDataException -ArgumentList 'not a dBASE table'
        $err.Data['category'] = 'invalid_data'
        throw $err
    }
    $encoding = [System.Text.Encoding]::Default
    $records = New-Object -TypeName System.Collections.ArrayList
    for ($r = 0; $r -lt $layout.Count; $r++) {
        $start = $layout.HeaderLength + $r * $layout.RecordLength
        if ($Bytes[$start] -eq 0x2A) { continue }
        $record = [ordered]@{}
        $position = $start + 1
        foreach ($field in $layout.Fields) {
            $record[$field.Name] = $encoding.GetString($Bytes, $position, $field.Length).Trim([char[]]@([char]0, [char]32))
            $position += $field.Length
        }
        [void]$records.Add($record)
    }
    return , $records.ToArray()
}

function Get-DbfColumn {
    # One column of the live records: the named field, else the first character field.
    param([byte[]]$Bytes, [string]$Field)
    $layout = Get-DbfLayout -Bytes $Bytes
    $column = $Field.ToUpperInvariant()
    if (-not (@($layout.Fields | Where-Object { $_.Name -eq $column }).Count)) {
        $first = @($layout.Fields | Where-Object { $_.Type -eq [char]'C' }) | Select-Object -First 1
        if ($null -eq $first) { return , @() }
        $column = $first.Name
    }
    $values = New-Object -TypeName System.Collections.ArrayList
    foreach ($record in (Read-DbfRecords -Bytes $Bytes)) {
        if ($record[$column]) { [void]$values.Add([string]$record[$column]) }
    }
    return , $values.ToArray()
}
