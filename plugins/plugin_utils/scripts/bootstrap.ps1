# scada.redundancy:bootstrap v1
# Runs one scada.redundancy operation. The command line carries only this constant text; the
# operation's script, the shared libraries it requires and its parameters arrive as one JSON
# line on stdin, so no value is ever part of code. Data that follows a line of four NUL
# characters is piped to the operation.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
[Console]::OutputEncoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false

function Write-Failure {
    param([string]$Message, [string]$Category)
    $doc = [ordered]@{ failed = $true; msg = $Message; category = $Category }
    [Console]::Out.WriteLine((ConvertTo-Json -InputObject $doc -Compress -Depth 4))
}

# The request is everything before the separator line; the enumerator then goes on streaming
# the rest of stdin into the operation, so large uploads are never held in memory here.
$requestLines = foreach ($line in $input) {
    if ([string]::Equals($line, "`0`0`0`0")) { break }
    $line
}
$requestText = @($requestLines) -join "`n"

try {
    $request = ConvertFrom-Json -InputObject $requestText
    # Libraries define functions in this scope, where the operation's script block sees them.
    foreach ($library in @($request.libraries)) {
        . ([System.Management.Automation.Language.Parser]::ParseInput(
                [string]$library.script, "$($library.name).ps1", [ref]$null, [ref]$null).GetScriptBlock())
    }
    $block = [System.Management.Automation.Language.Parser]::ParseInput(
        [string]$request.script, "$($request.operation).ps1", [ref]$null, [ref]$null).GetScriptBlock()
}
catch {
    Write-Failure -Message "bootstrap: the operation request could not be read: $($_.Exception.Message)" -Category 'protocol'
    exit 1
}

try {
    $result = $input | & $block -Params $request.params
    [Console]::Out.WriteLine((ConvertTo-Json -InputObject $result -Compress -Depth 20))
    exit 0
}
catch {
    $category = 'error'
    if ($_.Exception.Data.Contains('category')) {
        $category = [string]$_.Exception.Data['category']
    }
    Write-Failure -Message $_.Exception.Message -Category $category
    exit 1
}
