# scada.redundancy:verb service_control
# Ask the Service Control Manager to start or stop a service (ServiceController.Start/Stop),
# without waiting; Windows' refusal (a pending status, dependent services) becomes category
# service_error with its own message.
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
    $message = $_.Exception.GetBaseException().Message
    throw (New-AgentError -Message $message -Category 'service_error')
}
finally {
    $controller.Dispose()
}
