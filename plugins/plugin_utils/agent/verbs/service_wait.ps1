# scada.redundancy:verb service_wait
# Block until a service reaches a status or the timeout passes
# (ServiceController.WaitForStatus; its TimeoutException becomes category timeout).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$name,
    [Parameter(Mandatory = $true)][string]$status,
    [Parameter(Mandatory = $true)][double]$timeout
)

Add-Type -AssemblyName 'System.ServiceProcess'
$controller = New-Object -TypeName System.ServiceProcess.ServiceController -ArgumentList $name
try {
    $controller.WaitForStatus([System.ServiceProcess.ServiceControllerStatus]$status, [TimeSpan]::FromSeconds($timeout))
    [ordered]@{ status = [string]$controller.Status }
}
catch {
    $base = $_.Exception.GetBaseException()
    if ($base -is [System.ComponentModel.Win32Exception] -and $base.NativeErrorCode -eq 1060) {
        throw (New-AgentError -Message "Service $name was not found on computer '.'." -Category 'not_found')
    }
    if (-not ($base -is [System.ServiceProcess.TimeoutException])) { throw }
    $controller.Refresh()
    throw (New-AgentError -Message "service $name did not reach $status within $($timeout)s (it is $($controller.Status))" -Category 'timeout')
}
finally {
    $controller.Dispose()
}
