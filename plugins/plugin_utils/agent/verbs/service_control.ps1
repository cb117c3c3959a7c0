# scada.redundancy:verb service_control
# Ask the Service Control Manager to start or stop a service (ServiceController.Start/Stop),
# without waiting; Windows' refusal (a pending status, dependent services) becomes category
# service_error with its own message.
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$name,
    [Parameter(Mandatory = $true)][string]$action
)

Add-Type -AssemblyName 'System.ServiceProcess'
$controller = New-Object -TypeName System.ServiceProcess.ServiceController -ArgumentList $name
try {
    if ($action -eq 'start') { $controller.Start() }
    elseif ($action -eq 'stop') { $controller.Stop() }
    else { throw (New-AgentError -Message "action must be start or stop, not '$action'" -Category 'invalid_arguments') }
    $controller.Refresh()
    [ordered]@{ status = [string]$controller.Status }
}
catch {
    if ($_.Exception.Data.Contains('category')) { throw }
    $base = $_.Exception.GetBaseException()
    # ERROR_SERVICE_DOES_NOT_EXIST (1060) is no refusal: there is no such service.
    if ($base -is [System.ComponentModel.Win32Exception] -and $base.NativeErrorCode -eq 1060) {
        throw (New-AgentError -Message "Service $name was not found on computer '.'." -Category 'not_found')
    }
    $message = $base.Message
    throw (New-AgentError -Message $message -Category 'service_error')
}
finally {
    $controller.Dispose()
}
