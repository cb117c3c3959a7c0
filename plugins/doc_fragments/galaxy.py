# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options of every galaxy module: the galaxy, its login and the GRAccess helper."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  galaxy:
    description:
      - Name of the galaxy on the Galaxy Repository (GR) node.
    type: str
    required: true
  gr_node:
    description:
      - Node name passed to GRAccess C(QueryGalaxies). Default the computer the task runs on,
        which must be the GR node (run these modules against the GR host).
    type: str
    default: ""
  galaxy_user:
    description:
      - Galaxy user for C(IGalaxy.Login). Empty for a galaxy without security.
    type: str
    default: ""
  galaxy_password:
    description:
      - Password of O(galaxy_user). It reaches the helper on its standard input only (inside
        the operation's JSON parameters), is never written to a file on the host and never
        appears in results or logs.
    type: str
    default: ""
  graccess_dll:
    description:
      - Path of C(ArchestrA.GRAccess.dll) on the GR node, the compile reference of the helper.
      - The documented default install location; a 64-bit Windows keeps it under
        C(Program Files (x86)). The assembly is also in the GAC, but csc.exe needs a path.
    type: str
    default: C:\Program Files (x86)\Common Files\ArchestrA\ArchestrA.GRAccess.dll
  helper_folder:
    description:
      - Folder on the GR node where the GRAccess helper is compiled, in a sub-folder named by
        the SHA-256 of its source (C(<helper_folder>\<sha256>\GRHelper.cs) and C(GRHelper.exe)).
        A helper of the same content is compiled once and reused; a new collection release
        compiles its own next to the old one.
    type: str
    default: C:\ProgramData\scada.redundancy\grhelper
  csc_path:
    description:
      - Path of C(csc.exe). Default C(%WINDIR%\Microsoft.NET\Framework\v4.0.30319\csc.exe), the
        32-bit compiler of .NET Framework 4.x (it compiles C# 5, which the helper is written in).
    type: str
    default: ""
  helper_timeout:
    description:
      - Seconds one helper run (one GRAccess command, for example a cascade deploy) may take
        before it is stopped and the task fails.
    type: int
    default: 3600
notes:
  - B(The GRAccess path.) GRAccess is a 32-bit apartment-threaded COM component that PowerShell
    cannot drive. The collection ships a small C# helper (C(plugins/plugin_utils/grhelper/GRHelper.cs));
    each task sends its source as data with its SHA-256, the GR node checks the hash, compiles
    it with C(csc.exe /platform:x86 /target:exe /r:<graccess_dll> /r:System.Web.Extensions.dll)
    when C(GRHelper.exe) is absent from the hash's folder, and runs it with one JSON request on
    its standard input. Every GRAccess call's C(CommandResult) is checked and reported.
  - GRAccess calls run as the WinRM user, which must be allowed to use the galaxy (and, for
    a galaxy with security, O(galaxy_user) must be a galaxy user).
"""
