#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs a constant PowerShell operation through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: po_setup
short_description: Set the citect.ini keys the Power Operation Computer Setup Wizard writes
version_added: 0.1.0
description:
  - The update procedure runs the Computer Setup Wizard (I(Next) through to the end, changing
    nothing) after a compile. B(The wizard has no known silent mode, so it cannot be run
    unattended; this module does not run it.) What can be scripted is its result, the
    citect.ini keys it writes. This module checks them and, where they differ, sets them.
  - O(run_project) sets C([CtEdit]Run) to the project's folder, which makes it the project the
    runtime loads at its next start.
  - O(settings) sets any other keys, for example C([CtEdit]Backup) or the server startup and
    shutdown settings the wizard writes; which keys a given wizard page writes is not publicly
    documented, so they are yours to name. A null value removes the key.
  - Every other line of citect.ini stays as it is (order, comments, blank lines, the spelling
    of existing keys, line endings), and the file keeps its encoding. Section and key names
    are matched without regard to letter case, as the Windows profile functions do.
  - A run that finds every key already set changes nothing and reports C(changed=false).
options:
  run_project:
    description:
      - The project (any letter case) whose folder C([CtEdit]Run) must name. It must exist.
    type: str
  settings:
    description:
      - 'Further keys, as C({section: {key: value}}). Values are written as text; quote C(1)
        and C(0). A null value removes the key.'
      - Names and values must be one line without surrounding spaces; a key cannot hold C(=)
        or start with C(;), C(#) or C([).
    type: dict
    default: {}
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - scada.redundancy.power_operation
attributes:
  check_mode:
    support: full
    details: Reports the lines that would change; citect.ini is not written.
  diff_mode:
    support: full
    details: Shows the changed citect.ini lines under their section headers, before and after.
  platform:
    platforms: windows
notes:
  - Profile ini files take precedence over the local citect.ini for every key except
    C([CtEdit]Run), C(Bin), C(Data), C(Logs) and C(Config); a key set here can be overridden by
    a profile.
  - The runtime reads C([CtEdit]Run) when it starts; restart it (M(scada.redundancy.runtime))
    for the change to take effect.
seealso:
  - module: scada.redundancy.po_info
  - module: scada.redundancy.project_compile
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Make PlantProject the project the runtime loads next
  scada.redundancy.po_setup:
    run_project: PlantProject

- name: Set the backup folder the wizard would write, and remove an old key
  scada.redundancy.po_setup:
    settings:
      CtEdit:
        Backup: D:\Backups\PowerOperation
      General:
        ObsoleteKey: null
  diff: true
"""

RETURN = r"""
ini_path:
  description: The citect.ini that was checked.
  returned: always
  type: str
  sample: C:\ProgramData\Schneider Electric\Power Operation\v2024\Config\citect.ini
run_project:
  description: The project O(run_project) resolved to (its registered spelling); null without it.
  returned: always
  type: str
  sample: PlantProject
run_path:
  description: The C([CtEdit]Run) value after the run (as it would be, in check mode).
  returned: always
  type: str
  sample: C:\ProgramData\Schneider Electric\Power Operation\v2024\User\PlantProject
changes:
  description: The keys that changed (or would), with their lines before and after (null when absent).
  returned: always
  type: list
  elements: dict
  sample:
    - section: CtEdit
      key: Run
      before: Run=C:\ProgramData\Schneider Electric\Power Operation\v2024\User\OldProject
      after: Run=C:\ProgramData\Schneider Electric\Power Operation\v2024\User\PlantProject
"""
