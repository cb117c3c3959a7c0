# scada.redundancy:operation project_compile
# scada.redundancy:requires ini
# scada.redundancy:requires dbf
# scada.redundancy:requires fingerprint
# scada.redundancy:requires graphics_builder
# scada.redundancy:requires po_install
# Compile a project with its included projects through Graphics Builder automation
# (ProjectSelect + ProjectCompile), and learn the outcome the documented way: for this run the
# citect.ini hooks [CtEdit]CompileSuccessfulCommand / CompileUnsuccessfulCommand are set to a
# command that writes the compiler's replacement strings (%CtEnvErrors%, %CtEnvWarnings%) to a
# result file; afterwards the hooks are put back exactly as they were, also when the compile
# fails or times out. The original lines are first saved beside citect.ini, so a run that was
# killed half-way is repaired by the next one. The compile's messages (Type, Record, Name,
# Field, Table, Error, Context) are read from messages_file in the project folder.
# Parameters (from $Params):
#   project         project name; empty means the one [CtEdit]Run names
#   project_source  'folders' or 'graphics_builder' (see lib/po_install.ps1)
#   timeout         seconds to wait for ProjectCompile
#   hook_wait       seconds to wait for the hook's result file after ProjectCompile returns
#   messages_file   path of the compile messages, relative to the project folder
#   check           resolve the project and report what would happen, without compiling
#   run_id          32 hex digits naming this compile's run record,
#                   <[CtEdit]Data>\scada.redundancy\compile-runs\<run_id>.json: 'running' while it
#                   runs, then 'done' with the result or 'failed' with the message, so a controller
#                   that lost the connection half-way learns what became of the compile
#   attach          a run_id: answer that run's record instead of compiling (state 'unknown' when
#                   there is none: the compile never started; 'abandoned' when it is 'running' but
#                   the process that wrote it is gone, ended with the connection)
#   attach_wait     seconds to wait on the host for a 'running' record to end before answering
param($Params)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$HookKeys = @('CompileSuccessfulCommand', 'CompileUnsuccessfulCommand')
$MessageFields = @('TYPE', 'RECORD', 'NAME', 'FIELD', 'TABLE', 'ERROR', 'CONTEXT')
$MessageTypes = @('ERROR', 'FATAL', 'WARNING')

function Get-HookSidecar {
    param($Install)
    return "$($Install.IniPath).scada-redundancy-hooks.json"
}

function Restore-CompileHooks {
    # Put the hook lines back from the sidecar, if there is one; then remove it.
    param($Install)
    $sidecar = Get-HookSidecar -Install $Install
    if (-not (Test-Path -LiteralPath $sidecar -PathType Leaf)) { return }
    $saved = ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($sidecar))
    $ini = Read-IniDocument -LiteralPath $Install.IniPath
    $changed = $false
    foreach ($key in $HookKeys) {
        $original = $saved.PSObject.Properties[$key].Value
        if ($null -eq $original) {
            if (Remove-IniValue -Document $ini -Section 'CtEdit' -Key $key) { $changed = $true }
            continue
        }
        if (Set-IniValue -Document $ini -Section 'CtEdit' -Key $key -Value ([string]$original.value)) { $changed = $true }
        $line = Find-IniLine -Document $ini -Section 'CtEdit' -Key $key
        if ($line.Text -cne [string]$original.text) {
            $line.Text = [string]$original.text
            $changed = $true
        }
    }
    if ($changed) { Write-IniDocument -Document $ini }
    Remove-Item -LiteralPath $sidecar -Force
}

function Set-CompileHooks {
    # Save the current hook lines to the sidecar, then point both hooks at the result file.
    param($Install, [string]$ResultFile)
    $ini = Read-IniDocument -LiteralPath $Install.IniPath
    $saved = [ordered]@{}
    foreach ($key in $HookKeys) {
        $line = Find-IniLine -Document $ini -Section 'CtEdit' -Key $key
        $saved[$key] = if ($null -eq $line) { $null } else { [ordered]@{ value = $line.Value; text = $line.Text } }
    }
    [System.IO.File]::WriteAllText((Get-HookSidecar -Install $Install), (ConvertTo-Json -InputObject $saved -Compress))
    # The compiler replaces %CtEnv...% before running the line; the values are numbers.
    [void](Set-IniValue -Document $ini -Section 'CtEdit' -Key 'CompileSuccessfulCommand' -Value ('cmd.exe /d /c >"{0}" echo ok %CtEnvErrors% %CtEnvWarnings%' -f $ResultFile))
    [void](Set-IniValue -Document $ini -Section 'CtEdit' -Key 'CompileUnsuccessfulCommand' -Value ('cmd.exe /d /c >"{0}" echo failed %CtEnvErrors%' -f $ResultFile))
    Write-IniDocument -Document $ini
}

function New-ResultFilePath {
    # A fresh file name in a folder whose path cmd.exe and the compiler take literally.
    $folder = [System.IO.Path]::GetTempPath().TrimEnd('\')
    if ($folder -match '["%^&|<>()!]') { $folder = "$env:SystemRoot\Temp" }
    return "$folder\scada-redundancy-compile-$([guid]::NewGuid().ToString('N')).txt"
}

function Wait-HookResult {
    # The hook's answer {kind: ok|failed, errors, warnings}, or $null after Seconds.
    param([string]$LiteralPath, [double]$Seconds)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while ($true) {
        if (Test-Path -LiteralPath $LiteralPath -PathType Leaf) {
            $text = ''
            try { $text = [System.IO.File]::ReadAllText($LiteralPath) } catch { $null = $_ }
            if ($text -match '(ok|failed)\s+(\d+)(?:\s+(\d+))?') {
                $warnings = 0
                if ($Matches[3]) { $warnings = [int]$Matches[3] }
                return [ordered]@{ kind = $Matches[1]; errors = [int]$Matches[2]; warnings = $warnings }
            }
        }
        if ($clock.Elapsed.TotalSeconds -ge $Seconds) { return $null }
        Start-Sleep -Milliseconds 200
    }
}

function Get-CompileRunPath {
    param($Install, [string]$RunId)
    if (-not $Install.Paths['data'] -or $RunId -cnotmatch '^[0-9a-f]{32}$') { return $null }
    return "$($Install.Paths['data'].TrimEnd('\'))\scada.redundancy\compile-runs\$RunId.json"
}

function Write-CompileRun {
    # Replace the run record; earlier runs' records go when a new run starts.
    param([string]$LiteralPath, $Record, [switch]$First)
    if (-not $LiteralPath) { return }
    $folder = [System.IO.Path]::GetDirectoryName($LiteralPath)
    [void][System.IO.Directory]::CreateDirectory($folder)
    if ($First) { Get-ChildItem -LiteralPath $folder -Filter '*.json' -File | Remove-Item -Force }
    [System.IO.File]::WriteAllText($LiteralPath, (ConvertTo-Json -InputObject $Record -Compress -Depth 8))
}

function Get-ProcessStamp {
    # Process id and start time: together they name a process even after its id is reused.
    # $null when there is no such process or Windows will not say when it started (the id
    # reused by a protected process).
    param([int]$Id)
    if ($Id -le 0) { return $null }
    try {
        $process = Get-Process -Id $Id -ErrorAction Stop
        return "$Id@$($process.StartTime.ToUniversalTime().ToString('o'))"
    }
    catch {
        return $null
    }
}

function Wait-CompileRun {
    # The run's record once it is no longer 'running', or as it is after Seconds; 'abandoned'
    # when the process that wrote 'running' is gone.
    param([string]$LiteralPath, [double]$Seconds)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while ($true) {
        if (-not (Test-Path -LiteralPath $LiteralPath -PathType Leaf)) { return [ordered]@{ state = 'unknown' } }
        $record = ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($LiteralPath))
        if ($record.state -eq 'running' -and (Get-ProcessStamp -Id ([int]$record.pid)) -ne [string]$record.process) {
            return [ordered]@{ state = 'abandoned'; project = $record.project }
        }
        if ($record.state -ne 'running' -or $clock.Elapsed.TotalSeconds -ge $Seconds) { return $record }
        Start-Sleep -Milliseconds 500
    }
}

function ConvertTo-CompileMessage {
    # A vendor-shaped message from field values in the order of $MessageFields.
    param([string[]]$Values)
    $record = 0
    [void][int]::TryParse($Values[1], [ref]$record)
    return [ordered]@{
        Type = $Values[0].ToUpperInvariant(); Record = $record; Name = $Values[2]; Field = $Values[3]
        Table = $Values[4]; Error = $Values[5]; Context = $Values[6]
    }
}

function Read-CompileMessages {
    # Messages from a dBASE error table (fields TYPE..CONTEXT) or from text lines
    # 'Type | Record | Name | Field | Table | Error | Context'; other lines are ignored.
    param([string]$LiteralPath)
    $messages = New-Object -TypeName System.Collections.ArrayList
    $bytes = [System.IO.File]::ReadAllBytes($LiteralPath)
    if (Test-DbfTable -Bytes $bytes) {
        foreach ($row in (Read-DbfRecords -Bytes $bytes)) {
            $values = @($MessageFields | ForEach-Object { if ($row.Contains($_)) { [string]$row[$_] } else { '' } })
            if ($MessageTypes -contains $values[0]) { [void]$messages.Add((ConvertTo-CompileMessage -Values $values)) }
        }
        return , $messages.ToArray()
    }
    $encoding, $bomLength = Get-IniFileEncoding -Bytes $bytes
    foreach ($line in [regex]::Split($encoding.GetString($bytes, $bomLength, $bytes.Length - $bomLength), "`r`n|`n|`r")) {
        $values = @($line -split ' \| ', 7)
        if ($values.Count -eq 7 -and ($MessageTypes -contains $values[0].Trim())) {
            [void]$messages.Add((ConvertTo-CompileMessage -Values @($values | ForEach-Object { $_.Trim() })))
        }
    }
    return , $messages.ToArray()
}

$install = Get-PoRequiredInstall
if ($Params.attach) {
    $attachPath = Get-CompileRunPath -Install $install -RunId ([string]$Params.attach)
    if (-not $attachPath) { throw (New-PoError -Message 'attach must name a run id of 32 hex digits' -Category 'invalid_parameter') }
    return Wait-CompileRun -LiteralPath $attachPath -Seconds ([double]$Params.attach_wait)
}
$catalog = Get-PoProjectCatalog -Install $install -Source ([string]$Params.project_source)
$entry = Resolve-PoTargetProject -Install $install -Catalog $catalog -Name ([string]$Params.project)
$projects = Get-PoProjectClosure -Catalog $catalog -Name $entry.Name
$setFingerprint = Get-PoSetFingerprint -Catalog $catalog -Names $projects -Fingerprints @{}
$result = [ordered]@{
    project = $entry.Name; projects = $projects; fingerprint = $setFingerprint; compiled = $false
    success = $null; error_count = 0; warning_count = 0; messages = @(); outcome_source = $null; duration = 0.0
}
if ($Params.check) { return $result }

$runPath = Get-CompileRunPath -Install $install -RunId ([string]$Params.run_id)
Write-CompileRun -LiteralPath $runPath -First -Record ([ordered]@{
        state = 'running'; project = $entry.Name; pid = $PID; process = (Get-ProcessStamp -Id $PID)
    })
try {
    Restore-CompileHooks -Install $install
    $resultFile = New-ResultFilePath
    $messagesPath = "$($entry.Path)\$([string]$Params.messages_file)"
    $started = [DateTime]::UtcNow
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        Set-CompileHooks -Install $install -ResultFile $resultFile
        Invoke-GraphicsBuilderCompile -Project $entry.Name -TimeoutSeconds ([int]$Params.timeout)
        $hook = Wait-HookResult -LiteralPath $resultFile -Seconds ([double]$Params.hook_wait)
    }
    finally {
        Restore-CompileHooks -Install $install
        Remove-Item -LiteralPath $resultFile -Force -ErrorAction SilentlyContinue
    }
    $result.compiled = $true
    $result.duration = [Math]::Round($clock.Elapsed.TotalSeconds, 3)
    $fresh = (Test-Path -LiteralPath $messagesPath -PathType Leaf) -and
        ((Get-Item -LiteralPath $messagesPath).LastWriteTimeUtc -ge $started.AddSeconds(-2))
    if ($fresh) { $result.messages = Read-CompileMessages -LiteralPath $messagesPath }
    $listedErrors = @($result.messages | Where-Object { $_.Type -ne 'WARNING' }).Count
    $listedWarnings = @($result.messages | Where-Object { $_.Type -eq 'WARNING' }).Count
    if ($null -ne $hook) {
        $result.outcome_source = 'hook'
        $result.error_count = [Math]::Max($hook.errors, $listedErrors)
        $result.warning_count = [Math]::Max($hook.warnings, $listedWarnings)
        $result.success = ($hook.kind -eq 'ok') -and ($result.error_count -eq 0)
    }
    elseif ($fresh) {
        $result.outcome_source = 'messages'
        $result.error_count = $listedErrors
        $result.warning_count = $listedWarnings
        $result.success = $listedErrors -eq 0
    }
    else {
        throw (New-PoError -Message "the compile of $($entry.Name) ran, but neither the compile hook nor '$messagesPath' reported its outcome" -Category 'compile_unknown')
    }
    if ($result.success) {
        Write-PoCompiledMarker -Install $install -Entry $entry -SetFingerprint $setFingerprint -Projects $projects
    }
    else {
        Remove-PoCompiledMarker -Install $install -Entry $entry
    }
}
catch {
    $category = 'error'
    if ($_.Exception.Data.Contains('category')) { $category = [string]$_.Exception.Data['category'] }
    Write-CompileRun -LiteralPath $runPath -Record ([ordered]@{ state = 'failed'; msg = $_.Exception.Message; category = $category })
    throw
}
Write-CompileRun -LiteralPath $runPath -Record ([ordered]@{ state = 'done'; result = $result })
$result
