# scada.redundancy:library services
# Windows services as the collection sees them: found through Win32_Service, described by
# name, display name, status and start type, controlled through the Service Control Manager
# (System.ServiceProcess.ServiceController) with bounded waits, as Start-/Stop-Service do.
# Status values are ServiceControllerStatus names (Running, Stopped, StartPending,
# StopPending, ...); start types are Automatic, AutomaticDelayedStart, Manual, Disabled
# (Boot and System for drivers).

Add-Type -AssemblyName 'System.ServiceProcess'

function New-CategorisedError {
    # An exception the bootstrap reports with its category (not_found, timeout, ...).
    param([string]$Message, [string]$Category)
    $err = New-Object -TypeName System.InvalidOperationException -ArgumentList $Message
    $err.Data['category'] = $Category
    return $err
}

function ConvertTo-ServiceRecord {
    # One Win32_Service instance as {name, display_name, status, start_type}.
    param($Service)
    $startType = switch ([string]$Service.StartMode) {
        'Auto' { 'Automatic' }
        'Manual' { 'Manual' }
        'Disabled' { 'Disabled' }
        default { [string]$Service.StartMode }
    }
    if ($startType -eq 'Automatic') {
        # Delayed start is a flag beside StartMode; PowerShell 5.1's Get-Service cannot see it.
        $key = 'HKLM:\SYSTEM\CurrentControlSet\Services\' + [string]$Service.Name
        $delayed = Get-ItemProperty -LiteralPath $key -Name 'DelayedAutostart' -ErrorAction SilentlyContinue
        if ($null -ne $delayed -and [int]$delayed.DelayedAutostart -eq 1) { $startType = 'AutomaticDelayedStart' }
    }
    return [ordered]@{
        name = [string]$Service.Name
        display_name = [string]$Service.DisplayName
        status = ([string]$Service.State) -replace ' ', ''
        start_type = $startType
    }
}

function Get-ServiceRecord {
    # The named service (service name, case-insensitive); not_found when there is none.
    param([string]$Name)
    $found = @(Get-CimInstance -ClassName Win32_Service | Where-Object { $_.Name -eq $Name })
    if ($found.Count -eq 0) {
        throw (New-CategorisedError -Message "Cannot find any service with service name '$Name'." -Category 'not_found')
    }
    return ConvertTo-ServiceRecord -Service $found[0]
}

function Find-ServiceRecord {
    # Every service whose display name is -like any of the patterns, sorted by name.
    param([string[]]$Patterns)
    # @(...) so that no match pipes nothing rather than one $null.
    $matched = @(foreach ($service in Get-CimInstance -ClassName Win32_Service) {
            foreach ($pattern in $Patterns) {
                if ([string]$service.DisplayName -like $pattern) { $service; break }
            }
        })
    return @($matched | Sort-Object -Property 'Name' | ForEach-Object { ConvertTo-ServiceRecord -Service $_ })
}

function Get-SettledStatus {
    # The status a pending status is heading for.
    param([string]$Status)
    if ($Status -eq 'StartPending') { return 'Running' }
    if ($Status -eq 'StopPending') { return 'Stopped' }
    return $Status
}

function Wait-ServiceStatus {
    # Block until the service reaches the status, at most $Seconds; timeout error otherwise.
    param([string]$Name, [string]$Status, [double]$Seconds)
    $controller = New-Object -TypeName System.ServiceProcess.ServiceController -ArgumentList $Name
    try {
        $controller.WaitForStatus([System.ServiceProcess.ServiceControllerStatus]$Status, [TimeSpan]::FromSeconds($Seconds))
    }
    catch {
        # PowerShell wraps the .NET exception; the base one says whether it was the timeout.
        if (-not ($_.Exception.GetBaseException() -is [System.ServiceProcess.TimeoutException])) { throw }
        $controller.Refresh()
        throw (New-CategorisedError -Message "service $Name did not reach $Status within $($Seconds)s (it is $($controller.Status))" -Category 'timeout')
    }
    finally {
        $controller.Dispose()
    }
}

function Wait-ServiceSettled {
    # Wait out a pending status: the Service Control Manager refuses requests meanwhile.
    param([string]$Name, [double]$Seconds)
    $record = Get-ServiceRecord -Name $Name
    $settled = Get-SettledStatus -Status $record.status
    if ($settled -ne $record.status) {
        Wait-ServiceStatus -Name $Name -Status $settled -Seconds $Seconds
        $record = Get-ServiceRecord -Name $Name
    }
    return $record
}

function Invoke-ServiceControl {
    # Start or stop a service and wait for the result. Dependent services are never stopped
    # with it: Windows refuses, and the error names them.
    param([string]$Name, [ValidateSet('start', 'stop')][string]$Action, [double]$Seconds)
    $controller = New-Object -TypeName System.ServiceProcess.ServiceController -ArgumentList $Name
    try {
        $controller.Refresh()
        if ($Action -eq 'start' -and $controller.Status -ne 'Running') { $controller.Start() }
        if ($Action -eq 'stop' -and $controller.Status -ne 'Stopped') { $controller.Stop() }
    }
    catch {
        $message = $_.Exception.GetBaseException().Message
        throw (New-CategorisedError -Message $message -Category 'service_error')
    }
    finally {
        $controller.Dispose()
    }
    $target = 'Stopped'
    if ($Action -eq 'start') { $target = 'Running' }
    Wait-ServiceStatus -Name $Name -Status $target -Seconds $Seconds
}

function Set-ServiceStartType {
    # Set a start type, delayed automatic start included (sc.exe: Set-Service in 5.1 cannot).
    param([string]$Name, [string]$StartType)
    try {
        if ($StartType -eq 'AutomaticDelayedStart') {
            # Process.Start, not '& sc.exe ... 2>&1': under ErrorActionPreference Stop a native
            # command's first stderr line throws before its exit code can be read.
            $info = New-Object -TypeName System.Diagnostics.ProcessStartInfo -Property @{
                FileName = "$env:SystemRoot\System32\sc.exe"; UseShellExecute = $false; CreateNoWindow = $true
                RedirectStandardOutput = $true; RedirectStandardError = $true
                Arguments = ('config "{0}" start= delayed-auto' -f $Name)
            }
            $process = [System.Diagnostics.Process]::Start($info)
            $output = $process.StandardOutput.ReadToEnd() + $process.StandardError.ReadToEnd()
            $process.WaitForExit()
            if ($process.ExitCode -ne 0) { throw "sc.exe config failed: $($output.Trim())" }
        }
        else {
            Set-Service -Name $Name -StartupType $StartType
        }
    }
    catch {
        $message = $_.Exception.GetBaseException().Message
        throw (New-CategorisedError -Message $message -Category 'service_error')
    }
}
