#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs constant agent verbs through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: host_info
short_description: Read facts about a SCADA server before changing it
version_added: 0.1.0
description:
  - Reads the operating system, the connecting user, the free space on the data drive and
    which of the two supported products are installed and where.
  - EcoStruxure Power Operation (AVEVA Plant SCADA / Citect) is found through the registry key
    C(HKLM:\SOFTWARE\WOW6432Node\Citect\SCADA Installs), whose first subkey names the version
    and holds the C(citect.ini) path and the Bin folder.
  - AVEVA System Platform is found by the display name of its uninstall entry, matched against
    O(system_platform_pattern); no other public registry key is documented for it.
  - The module runs as an action plugin over the task's own connection (WinRM), so every
    transport and credential the inventory already configures works unchanged.
options:
  data_drive:
    description:
      - The drive that holds project data and backups, as a letter and a colon (C(D:)).
      - When omitted, the system drive of the host is used.
    type: str
  system_platform_pattern:
    description:
      - A PowerShell wildcard matched against the C(DisplayName) of the uninstall entries to
        recognise an AVEVA System Platform installation.
    type: str
    default: "*System Platform*"
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
  - The connecting user needs read access to the registry and to WMI/CIM; an administrator
    account is needed by the modules that change the plant, and RV(host_info.user.is_admin)
    tells whether it is one.
seealso:
  - name: Design notes
    description: How the agent's verbs run on the host without any value written into script text.
    link: https://github.com/scada-redundancy/scada.redundancy/blob/main/docs/design.md
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Read the server's facts
  scada.redundancy.host_info:
    data_drive: "D:"
  register: facts

- name: Refuse to go on when the data drive is short of space
  ansible.builtin.assert:
    that: facts.host_info.data_drive.free_bytes > 10 * 1024 * 1024 * 1024
    fail_msg: Less than 10 GiB free on {{ facts.host_info.data_drive.drive }}
"""

RETURN = r"""
host_info:
  description: The facts read from the host.
  returned: success
  type: dict
  contains:
    computer_name:
      description: The host's NetBIOS computer name.
      type: str
      sample: PO-SRV-A
    os:
      description: The operating system.
      type: dict
      sample: {"caption": "Microsoft Windows Server 2022 Standard", "version": "10.0.20348"}
    user:
      description: The connecting user.
      type: dict
      contains:
        name:
          description: The user name as Windows reports it, C(DOMAIN\\user) or C(COMPUTER\\user).
          type: str
          sample: PO-SRV-A\\scada-admin
        is_admin:
          description: Whether the connection runs with the local Administrators role.
          type: bool
          sample: true
    data_drive:
      description: Size and free space of the data drive, in bytes.
      type: dict
      sample: {"drive": "D:", "free_bytes": 128849018880, "size_bytes": 214748364800}
    products:
      description:
        - One entry per supported product, each with C(installed) and, when installed, where.
        - C(power_operation) has C(version), C(bin_folder) and C(ini_path).
        - C(system_platform) has C(display_name), C(version) and C(install_location).
      type: dict
      sample:
        power_operation:
          installed: true
          version: "2024"
          bin_folder: C:\Program Files (x86)\Schneider Electric\Power Operation\v2024\bin
          ini_path: C:\ProgramData\Schneider Electric\Power Operation\v2024\Config\citect.ini
        system_platform:
          installed: false
"""
