#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs constant agent verbs through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: site_readiness
short_description: Check, changing nothing, every assumption the collection makes on a SCADA server
version_added: 0.2.0
description:
  - Reads what the collection's modules rely on and gives each check a verdict (V(pass),
    V(warn), V(fail) or V(not checked)) with what was found, what is expected (the
    documented default or the site's override given here) and, unless it passed, what to do.
  - "Windows: the version (Windows Server 2016-2022), Windows PowerShell 5.1 in FullLanguage
    mode (Constrained Language Mode, which AppLocker and WDAC script rules impose, refuses the
    agent's .NET calls), .NET Framework 4.6.2 or later, a local administrator account, and
    WinRM's C(MaxEnvelopeSizekb), C(MaxShellsPerUser) and C(MaxConcurrentOperationsPerUser)
    against what the collection needs, and the data drive."
  - "Power Operation: the C(SCADA Installs) registry key and the files it names, the
    C([CtEdit]) folders C(Run), C(User), C(Data) and C(Config), the Graphics Builder automation
    ProgID C(GraphicsBuilder.Application), C(CtApi.dll) with its bitness (PE header) and the
    C(powershell.exe) of that bitness, one runtime service and the notification services by
    their display-name patterns, and free space for O(free_space_factor) times the projects
    folder."
  - "System Platform: the install, C(ArchestrA.GRAccess.dll) and the assembly in the global
    assembly cache, C(csc.exe), the System Management Server settings, the site's engine
    status tool and the setup media."
  - A read that fails makes its checks V(not checked) with the reason; only an agent that
    cannot run at all ends the probe early, with that as its one check.
  - The task itself fails only on bad input or an unreachable host; a failed check is in
    RV(readiness.ready) and the checks. C(playbooks/readiness.yml) prints the table, writes
    it as JSON and fails the play at the end when a server is not ready.
options:
  products:
    description:
      - The products to check on this server. Empty means those installed; with none
        installed, the check C(product installed) fails.
    type: list
    elements: str
    choices: [power_operation, system_platform]
    default: []
  data_drive:
    description:
      - The drive that holds project data and backups (C(D:)); empty means the system drive.
      - The same drive as M(scada.redundancy.host_info)'s O(scada.redundancy.host_info#module:data_drive).
    type: str
    default: ""
  free_space_factor:
    description:
      - Free space needed on O(data_drive), as a multiple of the projects folder
        (C([CtEdit]User), every file below it), as the Power Operation role's
        C(power_operation_update_free_space_factor) checks it before an update.
    type: float
    default: 3.0
  system_platform_pattern:
    description:
      - The C(DisplayName) wildcard of System Platform's uninstall entry, as in
        M(scada.redundancy.host_info).
    type: str
    default: "*System Platform*"
  runtime_service_pattern:
    description:
      - Display-name wildcards of the runtime service, as in M(scada.redundancy.po_info).
        Exactly one service must match.
    type: list
    elements: str
    default: ["Citect Runtime Manager", "Plant SCADA Runtime Manager", "Power Operation Runtime Manager"]
  notification_patterns:
    description:
      - Display-name wildcards of the notification services M(scada.redundancy.notifications)
        puts in maintenance (its O(scada.redundancy.notifications#module:patterns)).
        At least one service must match; an empty list means the update does not touch them.
    type: list
    elements: str
    default: ["Event Notification Module*"]
  ctapi_dll:
    description:
      - The CtAPI library; empty means C(CtApi.dll) in the install's Bin folder.
    type: str
    default: ""
  graccess_dll:
    description:
      - ArchestrA.GRAccess.dll, which the galaxy modules' helper is compiled against.
    type: str
    default: C:\Program Files (x86)\Common Files\ArchestrA\ArchestrA.GRAccess.dll
  csc_path:
    description:
      - The C# compiler; empty means C(csc.exe) of .NET Framework 4.x below the Windows folder.
    type: str
    default: ""
  sms_key_paths:
    description:
      - Registry keys to look for the System Management Server settings in, as
        M(scada.redundancy.sms_check) does (its O(scada.redundancy.sms_check#module:key_paths)).
    type: list
    elements: str
    default: ['HKLM\SOFTWARE\WOW6432Node\ArchestrA\Framework\ASBRuntime']
  sms_server:
    description:
      - The SMS the upgrade configures (C(system_platform_upgrade_sms_server)); when given, a
        node without SMS settings yet passes.
    type: str
    default: ""
  historizing:
    description:
      - Whether the node historizes; unknown counts as historizing, as in
        M(scada.redundancy.sms_check).
    type: bool
  status_command:
    description:
      - The site's engine status command (C(system_platform_upgrade_status_command)) on the
        node that runs it; its program must exist. Empty skips the check.
    type: list
    elements: str
    default: []
  setup_path:
    description:
      - setup.exe of the target version on this node (C(system_platform_upgrade_setup_path)).
        Empty makes the check V(not checked).
    type: str
    default: ""
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: The module only reads; it behaves the same in check mode.
  diff_mode:
    support: none
  platform:
    platforms: windows
notes:
  - WinRM's settings are read from the C(WSMan:) drive, which needs an administrator; for
    another account they are V(warn), not readable.
  - The product checks follow what is documented in the collection's
    C(docs/site-readiness.md); each verdict's C(todo) names the variable to set.
seealso:
  - module: scada.redundancy.host_info
  - module: scada.redundancy.sms_check
  - name: Site readiness
    description: The checks, their expectations and the playbook.
    link: https://github.com/scada-redundancy/scada.redundancy/blob/main/docs/site-readiness.md
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Check a Power Operation server before its first update
  scada.redundancy.site_readiness:
    products: [power_operation]
    data_drive: "D:"
  register: probe

- name: Show what is not ready
  ansible.builtin.debug:
    msg: "{{ probe.readiness.checks | rejectattr('verdict', 'equalto', 'pass') | list }}"

- name: Check a System Platform node with the upgrade's settings
  scada.redundancy.site_readiness:
    products: [system_platform]
    setup_path: D:\Media\SP2023R2SP1\setup.exe
    sms_server: SP-GR
    historizing: true
"""

RETURN = r"""
readiness:
  description: The verdicts.
  returned: success
  type: dict
  contains:
    ready:
      description: No check failed and every check could be made.
      type: bool
      sample: true
    products:
      description: The products checked.
      type: list
      elements: str
      sample: [power_operation]
    summary:
      description: How many checks have each verdict.
      type: dict
      sample: {pass: 17, warn: 0, fail: 0, not_checked: 0}
    checks:
      description: One entry per check, in a fixed order (Windows first).
      type: list
      elements: dict
      contains:
        name:
          description: What is checked.
          type: str
          sample: CtAPI library
        found:
          description: What the server has.
          type: str
          sample: C:\Program Files (x86)\Schneider Electric\Power Operation\v2024\bin\CtApi.dll (x86)
        expected:
          description: What the collection expects (its default or the site's override).
          type: str
          sample: CtApi.dll, a PE image of x86 or x64, and the powershell.exe of its bitness
        verdict:
          description: V(pass), V(warn), V(fail) or V(not checked).
          type: str
          sample: pass
        todo:
          description: What to do, empty when the check passed.
          type: str
          sample: ""
"""
