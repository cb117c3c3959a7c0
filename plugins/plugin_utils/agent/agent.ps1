# scada.redundancy:agent v1
# Runs a batch of verbs sent as JSON on stdin; arguments are splatted onto each verb's param
# block, never made code. Protocol: docs/design.md. Kept short: cmd.exe takes 8191 characters.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
$consoleHost = $Host.Name -eq 'ConsoleHost'
if ($consoleHost) {
    # Under PSRP there is no console, and this would throw.
    [Console]::OutputEncoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
}

function New-AgentError {
    # A terminating error with the category the controller reads.
    param([string]$Message, [string]$Category)
    $err = New-Object -TypeName System.InvalidOperationException -ArgumentList $Message
    $err.Data['category'] = $Category
    return $err
}

function Get-AgentErrorCategory {
    param([System.Exception]$Exception)
    if ($Exception.Data.Contains('category')) { return [string]$Exception.Data['category'] }
    switch -Wildcard ($Exception.GetType().FullName) {
        '*ParameterBinding*' { return 'invalid_arguments' }
        '*ItemNotFound*' { return 'not_found' }
        '*FileNotFound*' { return 'not_found' }
        '*DirectoryNotFound*' { return 'not_found' }
        '*UnauthorizedAccess*' { return 'access_denied' }
        '*IOException' { return 'io' }
    }
    return 'error'
}

function Write-AgentAnswer {
    param($Document)
    $text = ConvertTo-Json -InputObject $Document -Compress -Depth 20
    if ($consoleHost) { [Console]::Out.WriteLine($text) } else { $text }
}

$requestText = @($input) -join "`n"
try {
    $request = ConvertFrom-Json -InputObject $requestText
    $verbs = @{}
    foreach ($verb in @($request.verbs)) {
        $verbs[[string]$verb.name] = [System.Management.Automation.Language.Parser]::ParseInput(
            [string]$verb.script, "$($verb.name).ps1", [ref]$null, [ref]$null).GetScriptBlock()
    }
}
catch {
    Write-AgentAnswer @{ failed = $true; category = 'protocol'; msg = "agent: the request could not be read: $($_.Exception.Message)" }
    exit 1
}

$results = New-Object -TypeName System.Collections.ArrayList
foreach ($call in @($request.calls)) {
    try {
        $arguments = @{}
        foreach ($property in $call.args.PSObject.Properties) { $arguments[$property.Name] = $property.Value }
        $block = $verbs[[string]$call.verb]
        if ($null -eq $block) { throw (New-AgentError -Message "verb $($call.verb) was not sent" -Category 'protocol') }
        $output = @(& $block @arguments)
        if ($output.Count -ne 1) { throw (New-AgentError -Message "verb $($call.verb) gave $($output.Count) values, not one" -Category 'protocol') }
        [void]$results.Add([ordered]@{ ok = $true; value = $output[0] })
    }
    catch {
        $category = Get-AgentErrorCategory -Exception $_.Exception
        [void]$results.Add([ordered]@{ ok = $false; msg = $_.Exception.Message; category = $category })
        break
    }
}
Write-AgentAnswer @{ results = $results.ToArray() }
exit 0
