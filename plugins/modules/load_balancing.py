#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs a constant PowerShell operation through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: load_balancing
short_description: Set the CPU load balancing of redundant AppEngines on a System Platform node
version_added: 0.2.0
description:
  - Reads and sets, per node, the registry values that enable CPU load balancing of redundant
    AppEngines during a failover (System Platform 2023 R2 SP1 and later), under
    C(HKLM\SOFTWARE\Wow6432Node\ArchestrA\Framework\EngineFailoverStartup) -
    C(EnableCPUBalancing) (REG_DWORD 0 or 1, vendor default 0) and
    C(LoadObjectsNumberPerGroup) (REG_DWORD, vendor default 50).
  - An option left out leaves its value as it is. Only values that differ are written.
  - The vendor recommends enabling it after both nodes of a pair run 2023 R2 SP1; set it on
    both nodes of the pair. Whether the engines read the values only when they start is not
    documented; expect them to apply at the next engine start.
options:
  enabled:
    description:
      - Set C(EnableCPUBalancing) to 1 (true) or 0 (false).
    type: bool
  objects_per_group:
    description:
      - Set C(LoadObjectsNumberPerGroup), the number of objects started per group.
    type: int
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reports the values that would change; the registry is not written.
  diff_mode:
    support: full
    details: Shows the changed values, before and after.
  platform:
    platforms: windows
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Enable CPU load balancing on both nodes of the pair after the upgrade
  scada.redundancy.load_balancing:
    enabled: true
    objects_per_group: 50
"""

RETURN = r"""
key:
  description: The registry key.
  returned: always
  type: str
  sample: HKLM\SOFTWARE\Wow6432Node\ArchestrA\Framework\EngineFailoverStartup
before:
  description: The values before the run (null when absent).
  returned: always
  type: dict
  sample: {EnableCPUBalancing: null, LoadObjectsNumberPerGroup: null}
after:
  description: The values after the run (as they would be, in check mode).
  returned: always
  type: dict
  sample: {EnableCPUBalancing: 1, LoadObjectsNumberPerGroup: 50}
changes:
  description: The values that changed (or would), each with C(name), C(before) and C(after).
  returned: always
  type: list
  elements: dict
  sample: [{name: EnableCPUBalancing, before: null, after: 1}]
load_balancing:
  description: The effective setting (vendor defaults for absent values).
  returned: always
  type: dict
  contains:
    enabled:
      description: CPU load balancing is enabled.
      type: bool
      sample: true
    objects_per_group:
      description: Objects started per group.
      type: int
      sample: 50
"""
