# scada.redundancy:verb dir_create_private
# Create a folder that only SYSTEM and the Administrators group can open (inheritance off,
# FullControl for S-1-5-18 and S-1-5-32-544); its parent is created as usual
# (Directory.CreateDirectory with a DirectorySecurity; FileSystemAccessRule).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$path
)

$acl = New-Object -TypeName System.Security.AccessControl.DirectorySecurity
$acl.SetAccessRuleProtection($true, $false)
foreach ($sid in @('S-1-5-18', 'S-1-5-32-544')) {
    $identity = New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList $sid
    $rule = New-Object -TypeName System.Security.AccessControl.FileSystemAccessRule -ArgumentList $identity, 'FullControl', 'ContainerInherit,ObjectInherit', 'None', 'Allow'
    $acl.AddAccessRule($rule)
}
[void][System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($path.TrimEnd('\')))
[void][System.IO.Directory]::CreateDirectory($path, $acl)
# CreateDirectory applies the ACL only to a folder it creates.
[System.IO.Directory]::SetAccessControl($path, $acl)
[ordered]@{ path = $path }
