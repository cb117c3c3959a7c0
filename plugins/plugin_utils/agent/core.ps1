# scada.redundancy:agent-core v1
# The agent's work, sent on stdin by the launcher's caller (docs/design.md): bind each call's
# arguments to its verb's param block by splatting, run the calls in order, answer in JSON.
param($request)

function New-AgentError {
  # A terminating error whose category the controller reads.
  param([string]$Message, [string]$Category)
  $err = New-Object -TypeName System.InvalidOperationException -ArgumentList $Message
  $err.Data['category'] = $Category
  $err
}

function Write-AgentAnswer {
  param($Document)
  $text = ConvertTo-Json -InputObject $Document -Compress -Depth 20
  if ($console) { [Console]::Out.WriteLine($text) } else { $text }
}

try {
  $verbs = @{}
  foreach ($v in @($request.verbs)) {
    $errors = $null
    $verbs[[string]$v.name] = [Management.Automation.Language.Parser]::ParseInput([string]$v.script, "$($v.name).ps1", [ref]$null, [ref]$errors).GetScriptBlock()
    if (@($errors).Count -gt 0) { throw "verb $($v.name) does not parse: $(@($errors)[0].Message)" }
  }
  # Constant texts a verb gives a child process (its resource lines name them).
  $AgentResources = @{}
  foreach ($r in @($request.resources)) { $AgentResources[[string]$r.name] = [string]$r.script }
}
catch {
  Write-AgentAnswer @{ failed = $true; category = 'protocol'; msg = "agent: the request could not be read: $($_.Exception.Message)" }
  exit 1
}

function Write-AgentRecord {
  # The request's record file, replaced whole (a temporary file, then File.Replace or Move),
  # tried again for two seconds while a reader holds the file open.
  param($Document)
  $path = [string]$request.record
  [void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($path))
  [IO.File]::WriteAllText("$path.tmp", (ConvertTo-Json -InputObject $Document -Compress -Depth 20))
  for ($try = 1; ; $try++) {
    try {
      if ([IO.File]::Exists($path)) { [IO.File]::Replace("$path.tmp", $path, [NullString]::Value) }
      else { [IO.File]::Move("$path.tmp", $path) }
      return
    }
    catch [IO.IOException], [UnauthorizedAccessException] { if ($try -ge 20) { throw } }
    Start-Sleep -Milliseconds 100
  }
}

# With a record path, the batch leaves its trace on the host: 'running' with this process's id
# and start time before the calls, the answer after them, so a controller that lost the
# connection learns what became of the batch (the process gone while 'running': it was ended).
if ($request.record) {
  try {
    $self = [Diagnostics.Process]::GetCurrentProcess()
    Write-AgentRecord @{ state = 'running'; pid = $self.Id; started = $self.StartTime.ToUniversalTime().ToString('o') }
  }
  catch {
    Write-AgentAnswer @{ failed = $true; category = 'io'; msg = "agent: the record $($request.record) could not be written: $($_.Exception.Message)" }
    exit 1
  }
}

function Get-AgentReference {
  # The value an argument {"$ref": [call, name or index, ...]} names in an earlier call's
  # value; $null when anything on the way is missing, null or empty.
  param([object[]]$Path, $Results)
  $node = $null
  if ([int]$Path[0] -lt $Results.Count) { $node = $Results[[int]$Path[0]].value }
  foreach ($step in @($Path | Select-Object -Skip 1)) {
    if ($null -eq $node) { break }
    if ($step -is [string] -and $node -is [Collections.IDictionary]) { $node = $node[$step] }
    elseif ($step -is [string]) { $node = $node.PSObject.Properties[$step]; if ($null -ne $node) { $node = $node.Value } }
    else { $list = @($node); $node = $null; if ([int]$step -lt $list.Count) { $node = $list[[int]$step] } }
  }
  $node
}

function Invoke-AgentCalls {
  # Each call in order; stops at the first failure. A call whose reference finds nothing is
  # not run: it answers skipped, with a null value.
  $results = New-Object -TypeName System.Collections.ArrayList
  foreach ($call in @($request.calls)) {
    try {
      $arguments = @{}
      $skip = $false
      foreach ($p in $call.args.PSObject.Properties) {
        $value = $p.Value
        if ($value -is [Management.Automation.PSCustomObject] -and $null -ne $value.PSObject.Properties['$ref']) {
          $value = Get-AgentReference -Path @($value.'$ref') -Results $results
          if ($null -eq $value) { $skip = $true }
        }
        $arguments[$p.Name] = $value
      }
      if ($skip) { [void]$results.Add(@{ ok = $true; skipped = $true; value = $null }); continue }
      $block = $verbs[[string]$call.verb]
      if ($null -eq $block) { throw (New-AgentError "verb $($call.verb) was not sent" 'protocol') }
      $output = @(& $block @arguments)
      if ($output.Count -ne 1) { throw (New-AgentError "verb $($call.verb) gave $($output.Count) values, not one" 'protocol') }
      [void]$results.Add(@{ ok = $true; value = $output[0] })
    }
    catch {
      $e = $_.Exception
      # A .NET method's exception arrives wrapped ("Exception calling ..."): report its own.
      if ($e -is [Management.Automation.MethodInvocationException] -and $null -ne $e.InnerException) { $e = $e.InnerException }
      # The controller maps an uncategorised exception's type to a category.
      $category = if ($e.Data.Contains('category')) { [string]$e.Data['category'] } else { $null }
      [void]$results.Add(@{ ok = $false; msg = $e.Message; category = $category; type = $e.GetType().FullName })
      break
    }
  }
  , $results.ToArray()
}

# A long poll: with repeat, the batch runs again every interval seconds until its answer's
# digest differs from until_changed or max_wait seconds pass (the controller decides what the
# answer means; the host only notices a change).
$clock = [Diagnostics.Stopwatch]::StartNew()
$sha = [Security.Cryptography.SHA256]::Create()
while ($true) {
  $results = Invoke-AgentCalls
  $digest = [BitConverter]::ToString($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $results -Compress -Depth 20)))).Replace('-', '')
  $repeat = $request.repeat
  if ($null -eq $repeat -or $null -eq $repeat.until_changed -or $digest -ne [string]$repeat.until_changed) { break }
  if (@($results | Where-Object { -not $_.ok }).Count -gt 0) { break }
  $left = [double]$repeat.max_wait - $clock.Elapsed.TotalSeconds
  if ($left -le 0) { break }
  Start-Sleep -Milliseconds ([int](1000 * [Math]::Min([double]$repeat.interval, $left)))
}
$answer = @{ results = $results; digest = $digest; waited = [Math]::Round($clock.Elapsed.TotalSeconds, 3) }
if ($request.record) {
  try { Write-AgentRecord $answer } catch { $null = $_ }  # the answer still reaches the controller
}
Write-AgentAnswer $answer
