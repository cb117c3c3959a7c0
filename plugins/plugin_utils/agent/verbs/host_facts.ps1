# scada.redundancy:verb host_facts
# The computer's name, its Windows edition and version, when it last booted, the Windows and
# ProgramData folders, the ANSI code page and the connecting account (Win32_OperatingSystem;
# Encoding.Default.CodePage; WindowsIdentity.GetCurrent and WindowsPrincipal.IsInRole), and the
# PowerShell that runs the agent: its version and language mode ($PSVersionTable,
# $ExecutionContext.SessionState.LanguageMode: about_Automatic_Variables, about_Language_Modes).
[CmdletBinding()]
param()

$os = Get-CimInstance -ClassName Win32_OperatingSystem
$identity = [Security.Principal.WindowsIdentity]::GetCurrent()
$principal = New-Object -TypeName Security.Principal.WindowsPrincipal -ArgumentList $identity
[ordered]@{
    computer_name = $env:COMPUTERNAME
    os_caption = [string]$os.Caption
    os_version = [string]$os.Version
    last_boot = $os.LastBootUpTime.ToUniversalTime().ToString('o')
    windows_dir = [string]$os.WindowsDirectory
    program_data = $env:ProgramData
    ansi_code_page = [Text.Encoding]::Default.CodePage
    user = $identity.Name
    is_admin = $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
    powershell_version = $PSVersionTable.PSVersion.ToString()
    language_mode = $ExecutionContext.SessionState.LanguageMode.ToString()
}
